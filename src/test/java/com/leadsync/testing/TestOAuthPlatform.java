package com.leadsync.testing;

import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedConnection;
import com.leadsync.connect.oauth.OAuthException;
import com.leadsync.connect.oauth.OAuthPlatform;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * An OAuth platform for the connect routes' own tests (type {@code test_oauth}, PKCE): its code says what the grant
 * reaches — {@code pages:<id>,<id>} grants those Meta pages with token {@code tok-<id>-<nonce>} (config: a webhook
 * key {@code key-<id>-<nonce>} and a label {@code label-<nonce>}), {@code refuse} and
 * {@code down} fail as a platform would — and it keeps the last callback it completed.
 */
@ApplicationScoped
public class TestOAuthPlatform implements OAuthPlatform {

    public static final String TYPE = "test_oauth";
    public static final String CONSENT_PAGE = "https://consent.example.test/authorize";

    private final AtomicReference<CallbackRequest> last = new AtomicReference<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean usesPkce() {
        return true;
    }

    @Override
    public URI authorizeUrl(AuthorizeRequest request) {
        return URI.create(CONSENT_PAGE + "?state=" + enc(request.state()) + "&redirect_uri="
                + enc(request.redirectUri()) + "&code_challenge=" + enc(request.codeChallenge())
                + "&code_challenge_method=S256");
    }

    @Override
    public Granted complete(CallbackRequest callback) {
        last.set(callback);
        String code = callback.code();
        if (code.equals("refuse")) {
            throw OAuthException.refused("The platform refused the code <b>(invalid_grant)</b>.");
        }
        if (code.equals("down")) {
            throw OAuthException.unavailable("The platform could not be reached; try again in a moment.", null);
        }
        String nonce = callback.query().getOrDefault("nonce", "1");
        List<GrantedConnection> pages = Arrays.stream(code.substring("pages:".length()).split(","))
                .filter(id -> !id.isBlank())
                .map(id -> new GrantedConnection(id, "Page " + id, "tok-" + id + "-" + nonce, null,
                        Instant.parse("2027-01-01T00:00:00Z"), Map.of("webhookKey", "key-" + id + "-" + nonce,
                                "label", "label-" + nonce))).toList();
        return new Granted.Connections(ProviderType.META_LEAD_ADS, pages);
    }

    public CallbackRequest last() {
        return last.get();
    }

    private static String enc(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
