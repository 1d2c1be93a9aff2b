package com.leadsync.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An offline HubSpot OAuth token endpoint (crm.md §A.1), beside {@link LocalFakes}' contacts API (which takes any
 * bearer token): {@code POST /_local/hubspot/oauth/v1/token} refreshes the refresh tokens in
 * {@code leadsync.local.hubspot-refresh-tokens} for the client {@code leadsync.hubspot.client-id}/{@code -secret},
 * with a 30-minute access token and the same refresh token back, as HubSpot does; others are HubSpot's refusals.
 */
@ApplicationScoped
public class LocalHubSpotOAuthFake {

    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(30);

    private final Set<String> refreshTokens;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final ObjectMapper json;
    private final IssuedTokens issued;

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
    }

    void routes(@Observes Router router) {
        router.post("/_local/hubspot/oauth/v1/token").order(-199).blockingHandler(
                FakeReply.handler(ctx -> token(FakeRequest.of(ctx))), false);
    }

    FakeReply token(FakeRequest req) {
        if (clientId.isEmpty() || !clientId.get().equals(req.form("client_id"))) {
            return refusal("BAD_CLIENT_ID", "missing or invalid client_id");
        }
        if (clientSecret.isEmpty() || !clientSecret.get().equals(req.form("client_secret"))) {
            return refusal("BAD_CLIENT_SECRET", "missing or invalid client_secret");
        }
        if (!"refresh_token".equals(req.form("grant_type"))) {
            return refusal("BAD_GRANT_TYPE", "grant_type must be refresh_token (local fake)");
        }
        String refresh = req.form("refresh_token");
        if (refresh == null || !refreshTokens.contains(refresh)) {
            return refusal("BAD_REFRESH_TOKEN", "missing or unknown refresh token");
        }
        return FakeReply.json(200, json.createObjectNode().put("token_type", "bearer").put("refresh_token", refresh)
                .put("access_token", issued.issue()).put("expires_in", issued.lifetime().toSeconds()));
    }

    private FakeReply refusal(String status, String message) {
        return FakeReply.json(400, json.createObjectNode().put("status", status).put("message", message)
                .put("correlationId", "local-hubspot-oauth"));
    }
}
