package com.leadsync.local;

import com.leadsync.connect.oauth.OAuthStates;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consent page of an offline OAuth fake, as the person who clicks "Allow" at once: an authorization code for the
 * redirect URI (and PKCE challenge) of the request, then the browser sent back with it and the {@code state}; and the
 * code's single exchange, checked as platforms check it (unknown, used, expired, another redirect URI, a verifier
 * that does not match the challenge). Codes live in memory, ten minutes, like a platform's.
 */
final class LocalConsent {

    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

    /** What the consent was given for; {@code offline} says whether a refresh token goes with the code. */
    record Given(String redirectUri, String codeChallenge, boolean offline, Instant expiresAt) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Given> codes = new ConcurrentHashMap<>();
    private final String prefix;
    private final Clock clock;

    LocalConsent(String prefix, Clock clock) {
        this.prefix = prefix;
        this.clock = clock;
    }

    /** The 302 back to {@code redirectUri} with a new code and the state (a code for those terms). */
    FakeReply allow(String redirectUri, String state, String codeChallenge, boolean offline) {
        Instant now = clock.instant();
        codes.values().removeIf(g -> g.expiresAt().isBefore(now));
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String code = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        codes.put(code, new Given(redirectUri, codeChallenge, offline, now.plus(CODE_LIFETIME)));
        String back = redirectUri + (URI.create(redirectUri).getRawQuery() == null ? "?" : "&") + "code="
                + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&state="
                + URLEncoder.encode(state == null ? "" : state, StandardCharsets.UTF_8);
        return new FakeReply(302, "text/plain; charset=UTF-8", Map.of("location", back), new byte[0]);
    }

    /**
     * Takes the code out; empty (the platform's {@code invalid_grant}) when it is unknown, used, expired, issued for
     * another redirect URI, or its challenge is not the verifier's S256.
     */
    Optional<Given> exchange(String code, String redirectUri, String codeVerifier) {
        Given given = code == null ? null : codes.remove(code);
        if (given == null || !clock.instant().isBefore(given.expiresAt())
                || !given.redirectUri().equals(redirectUri)) {
            return Optional.empty();
        }
        if (given.codeChallenge() != null && (codeVerifier == null
                || !given.codeChallenge().equals(OAuthStates.challenge(codeVerifier)))) {
            return Optional.empty();
        }
        return Optional.of(given);
    }


    static FakeReply badRequest(String message) {
        return new FakeReply(400, "text/plain; charset=UTF-8", Map.of(), message.getBytes(StandardCharsets.UTF_8));
    }
}
