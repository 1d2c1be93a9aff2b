package com.leadsync.local;

import com.leadsync.connect.oauth.OAuthStates;
import com.leadsync.connect.oauth.TokenEndpoint;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consent page of an offline OAuth fake, for the connect click-through in local mode: {@code GET …/authorize}
 * "consents" at once, sending the browser straight back to its {@code redirect_uri} with a new authorization code and
 * the {@code state} (plus what the platform adds, e.g. Zoho's {@code accounts-server}); the fake's token endpoint
 * then redeems the code once, within five minutes, checking the PKCE verifier when the request had a challenge.
 */
final class LocalOAuthConsent {

    static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private record Issued(Instant expiresAt, String challenge) {
    }

    private final String prefix;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Issued> codes = new ConcurrentHashMap<>();

    LocalOAuthConsent(String prefix, Clock clock) {
        this.prefix = prefix;
        this.clock = clock;
    }

    /** The consent stand-in's answer to {@code req}: a 302 back with a code, or a 400 without a redirect URI. */
    FakeReply consent(FakeRequest req, Map<String, String> extra) {
        String redirect = req.param("redirect_uri");
        if (redirect == null || !isHttpUrl(redirect)) {
            return new FakeReply(400, "text/plain; charset=UTF-8", Map.of(),
                    "local consent: redirect_uri must be an http(s) URL".getBytes(StandardCharsets.UTF_8));
        }
        Instant now = clock.instant();
        codes.values().removeIf(c -> c.expiresAt().isBefore(now));
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String code = prefix + B64.encodeToString(bytes);
        codes.put(code, new Issued(now.plus(CODE_LIFETIME), req.param("code_challenge")));
        Map<String, String> back = new LinkedHashMap<>();
        back.put("code", code);
        if (req.param("state") != null) {
            back.put("state", req.param("state"));
        }
        back.putAll(extra);
        StringJoiner query = new StringJoiner("&");
        back.forEach((k, v) -> query.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String location = TokenEndpoint.appendQuery(redirect, query.toString());
        return new FakeReply(302, "text/plain; charset=UTF-8", Map.of("location", location), new byte[0]);
    }

    /**
     * Takes {@code code} out: true once for a code this consent issued and that has not expired, whose challenge (if
     * any) is the S256 of {@code verifier}.
     */
    boolean redeem(String code, String verifier) {
        Issued issued = code == null ? null : codes.remove(code);
        if (issued == null || issued.expiresAt().isBefore(clock.instant())) {
            return false;
        }
        return issued.challenge() == null || (verifier != null && issued.challenge().equals(OAuthStates.challenge(verifier)));
    }


    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
