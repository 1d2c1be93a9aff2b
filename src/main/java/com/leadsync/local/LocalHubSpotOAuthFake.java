package com.leadsync.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An offline HubSpot OAuth token endpoint (crm.md §A.1), beside {@link LocalFakes}' contacts API (which takes any
 * bearer token): {@code POST /_local/hubspot/oauth/v1/token} refreshes the refresh tokens in
 * {@code leadsync.local.hubspot-refresh-tokens} for the client {@code leadsync.hubspot.client-id}/{@code -secret},
 * with a 30-minute access token and the same refresh token back, as HubSpot does; others are HubSpot's refusals.
 * For the connect click-through: a consent stand-in at {@code GET /_local/hubspot/oauth/authorize}, codes it issued
 * exchanged ({@code grant_type=authorization_code}) for the first of those refresh tokens, and
 * {@code GET /_local/hubspot/oauth/v1/access-tokens/{token}} naming portal {@value #LOCAL_HUB_ID}.
 */
@ApplicationScoped
public class LocalHubSpotOAuthFake {

    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(30);
    static final long LOCAL_HUB_ID = 4242424;
    static final String LOCAL_HUB_DOMAIN = "local-portal.hubspot.com";

    private final Set<String> refreshTokens;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final ObjectMapper json;
    private final IssuedTokens issued;
    private final LocalOAuthConsent consent;

    LocalHubSpotOAuthFake(
            @ConfigProperty(name = "leadsync.local.hubspot-refresh-tokens",
                    defaultValue = "local-hubspot-refresh-token") Set<String> refreshTokens,
            @ConfigProperty(name = "leadsync.hubspot.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.hubspot.client-secret") Optional<String> clientSecret,
            Clock clock, ObjectMapper json) {
        this.refreshTokens = Set.copyOf(refreshTokens);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.json = json;
        this.issued = new IssuedTokens("local-hubspot-at-", ACCESS_TOKEN_LIFETIME, clock);
        this.consent = new LocalOAuthConsent("local-hubspot-code-", clock);
    }

    void routes(@Observes Router router) {
        router.post("/_local/hubspot/oauth/v1/token").order(-199).blockingHandler(
                FakeReply.handler(ctx -> token(FakeRequest.of(ctx))), false);
        router.get("/_local/hubspot/oauth/authorize").order(-199).handler(
                FakeReply.handler(ctx -> consent.consent(FakeRequest.of(ctx), Map.of())));
        router.get("/_local/hubspot/oauth/v1/access-tokens/:token").order(-199).handler(
                FakeReply.handler(ctx -> tokenInfo(ctx.pathParam("token"))));
    }

    FakeReply token(FakeRequest req) {
        if (clientId.isEmpty() || !clientId.get().equals(req.form("client_id"))) {
            return refusal("BAD_CLIENT_ID", "missing or invalid client_id");
        }
        if (clientSecret.isEmpty() || !clientSecret.get().equals(req.form("client_secret"))) {
            return refusal("BAD_CLIENT_SECRET", "missing or invalid client_secret");
        }
        if ("authorization_code".equals(req.form("grant_type"))) {
            if (!consent.redeem(req.form("code"), null)) {
                return refusal("BAD_AUTH_CODE", "missing or invalid auth code");
            }
            return tokens(grantedRefreshToken());
        }
        if (!"refresh_token".equals(req.form("grant_type"))) {
            return refusal("BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token");
        }
        String refresh = req.form("refresh_token");
        if (refresh == null || !refreshTokens.contains(refresh)) {
            return refusal("BAD_REFRESH_TOKEN", "missing or unknown refresh token");
        }
        return tokens(refresh);
    }

    private FakeReply tokens(String refresh) {
        return FakeReply.json(200, json.createObjectNode().put("token_type", "bearer").put("refresh_token", refresh)
                .put("access_token", issued.issue()).put("expires_in", issued.lifetime().toSeconds()));
    }

    /** A code grants the first configured refresh token, so the destination it makes keeps refreshing here. */
    private String grantedRefreshToken() {
        return new TreeSet<>(refreshTokens).first();
    }

    /** {@code GET /oauth/v1/access-tokens/{token}}: the portal an access token this fake issued is for. */
    FakeReply tokenInfo(String token) {
        if (issued.standing(token) != IssuedTokens.Standing.VALID) {
            return FakeReply.json(404, json.createObjectNode().put("status", "error")
                    .put("message", "The access token is not found or expired").put("correlationId", "local-hubspot"));
        }
        ObjectNode info = json.createObjectNode().put("token", token).put("user", "local@example.com")
                .put("hub_domain", LOCAL_HUB_DOMAIN).put("hub_id", LOCAL_HUB_ID).put("app_id", 1)
                .put("expires_in", issued.lifetime().toSeconds()).put("user_id", 1).put("token_type", "access");
        info.putArray("scopes").add("oauth").add("crm.objects.contacts.read").add("crm.objects.contacts.write")
                .add("crm.schemas.contacts.read");
        return FakeReply.json(200, info);
    }

    private FakeReply refusal(String status, String message) {
        return FakeReply.json(400, json.createObjectNode().put("status", status).put("message", message)
                .put("correlationId", "local-hubspot-oauth"));
    }
}
