package com.leadsync.delivery.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.TokenRefresher;
import com.leadsync.delivery.HttpOutcomes;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Refreshes a HubSpot OAuth grant (crm.md §A.1): {@code POST /oauth/v1/token} with
 * {@code grant_type=refresh_token}, the app's client id and secret and the refresh token. Access tokens live 30 minutes
 * ({@code expires_in}). A revoked or uninstalled grant ({@code BAD_HUB}/{@code access_denied}, {@code invalid_grant},
 * or an unknown refresh token) is {@link GrantRevoked}; a refused client is our configuration; 429 and 5xx are
 * transient.
 */
@ApplicationScoped
public class HubSpotTokenRefresher implements TokenRefresher {

    /** HubSpot's documented lifetime, used only if an answer leaves {@code expires_in} out. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(30);
    /**
     * Answers that mean the grant is dead for good. {@code BAD_HUB}/{@code access_denied} are crm.md's; ⚠ HubSpot's
     * OAuth API also answers {@code BAD_REFRESH_TOKEN} ("missing or unknown refresh token") for a refresh token it no
     * longer knows — that is not something a retry fixes either.
     */
    private static final Set<String> DEAD_GRANT = Set.of("BAD_HUB", "BAD_REFRESH_TOKEN", "invalid_grant",
            "access_denied");

    private final HubSpotOAuthApi oauth;
    private final ObjectMapper json;
    private final Clock clock;
    private final String clientId;
    private final String clientSecret;

    HubSpotTokenRefresher(@RestClient HubSpotOAuthApi oauth, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "leadsync.hubspot.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.hubspot.client-secret") Optional<String> clientSecret) {
        this.oauth = oauth;
        this.json = json;
        this.clock = clock;
        this.clientId = clientId.map(String::trim).orElse("");
        this.clientSecret = clientSecret.map(String::trim).orElse("");
    }

    @Override
    public String issuer() {
        return HubSpotDestination.TYPE;
    }

    @Override
    public RefreshedTokens refresh(String refreshToken, Map<String, String> config) {
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw new ProviderCallException("leadsync.hubspot.client-id and leadsync.hubspot.client-secret must be"
                    + " set to refresh HubSpot OAuth tokens", Kind.INVALID, null);
        }
        Response received;
        try {
            received = oauth.token("refresh_token", clientId, clientSecret, refreshToken);
        } catch (WebApplicationException e) {
            received = e.getResponse();
        } catch (ProcessingException e) {
            throw new ProviderCallException("HubSpot OAuth unreachable: " + e.getMessage(), Kind.TRANSIENT, e);
        }
        try (Response response = received) {
            int status = response.getStatus();
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode body = readJson(text);
            if (status / 100 == 2) {
                return tokens(body, refreshToken);
            }
            String code = body.path("status").asText("");
            String error = body.path("error").asText("");
            String said = "HubSpot OAuth " + status + (code.isEmpty() ? "" : " " + code)
                    + (error.isEmpty() ? "" : " " + error) + describe(body, text);
            if (DEAD_GRANT.contains(code) || DEAD_GRANT.contains(error)) {
                throw new GrantRevoked(said);
            }
            Kind kind = status == 429 ? Kind.THROTTLED : status >= 500 ? Kind.TRANSIENT : Kind.INVALID;
            // BAD_CLIENT_ID, BAD_CLIENT_SECRET, BAD_GRANT_TYPE...: our registration or request, not the grant.
            throw new ProviderCallException(said, kind, null);
        } catch (ProcessingException e) {
            throw new ProviderCallException("HubSpot OAuth answer unreadable: " + e.getMessage(), Kind.TRANSIENT, e);
        }
    }

    private RefreshedTokens tokens(JsonNode body, String refreshedFrom) {
        RefreshedTokens answer = tokenAnswer(body, clock.instant());
        if (answer == null) {
            throw new ProviderCallException("HubSpot OAuth answered without an access_token", Kind.TRANSIENT, null);
        }
        // HubSpot sends the refresh token back with every refresh; only a different one is a rotation to store.
        String returned = answer.refreshToken();
        return returned == null || returned.equals(refreshedFrom) ? new RefreshedTokens(answer.accessToken(), null,
                answer.expiresAt()) : answer;
    }

    /**
     * HubSpot's token answer, to a refresh or a code exchange ({@code access_token}, {@code refresh_token},
     * {@code expires_in}, 30 minutes when left out); null without an access token.
     */
    static RefreshedTokens tokenAnswer(JsonNode body, Instant now) {
        String accessToken = body.path("access_token").asText("");
        if (accessToken.isBlank()) {
            return null;
        }
        long seconds = body.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
        String refresh = body.path("refresh_token").asText("");
        return new RefreshedTokens(accessToken, refresh.isBlank() ? null : refresh, now.plus(lifetime));
    }

    /** ": message" from HubSpot's error JSON ({@code message}, or OAuth's {@code error_description}). */
    private static String describe(JsonNode body, String text) {
        String message = body.path("message").asText(body.path("error_description").asText(""));
        if (!message.isEmpty()) {
            return ": " + HttpOutcomes.snippet(message);
        }
        String snippet = body.isEmpty() ? HttpOutcomes.snippet(text) : "";
        return snippet.isEmpty() ? "" : ": " + snippet;
    }

    private JsonNode readJson(String text) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(text);
            return node != null && node.isObject() ? node : json.createObjectNode();
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }
}
