package com.leadsync.source.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.TokenRefresher;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.BoundedBody;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Google access tokens live an hour (providers.md §2.4): {@code POST {google-oauth}/token} with
 * {@code grant_type=refresh_token} and the app's client credentials. {@code invalid_grant} (revoked, expired
 * after 7 days in Testing, unused for 6 months, …) is a dead grant; a refused client is our configuration;
 * an outage or throttling is transient.
 */
@ApplicationScoped
public class GoogleTokenRefresher implements TokenRefresher {

    /** Google's documented lifetime, used only if an answer leaves {@code expires_in} out. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    private final GoogleOAuthApi oauth;
    private final ObjectMapper json;
    private final Clock clock;
    private final String clientId;
    private final String clientSecret;
    private final long maxAnswer;

    GoogleTokenRefresher(@RestClient GoogleOAuthApi oauth, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "leadsync.google.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.google.client-secret") Optional<String> clientSecret,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer) {
        this.oauth = oauth;
        this.json = json;
        this.clock = clock;
        this.clientId = clientId.map(String::trim).orElse("");
        this.clientSecret = clientSecret.map(String::trim).orElse("");
        this.maxAnswer = maxAnswer.asLongValue();
    }

    @Override
    public String issuer() {
        return ProviderType.GOOGLE_ADS.wireName();
    }

    @Override
    public RefreshedTokens refresh(String refreshToken, Map<String, String> config) {
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw new ProviderCallException("leadsync.google.client-id and leadsync.google.client-secret must be set"
                    + " to refresh Google tokens", Kind.INVALID, null);
        }
        Response received;
        try {
            received = oauth.token("refresh_token", refreshToken, clientId, clientSecret);
        } catch (WebApplicationException e) {
            received = e.getResponse();
        } catch (ProcessingException e) {
            throw new ProviderCallException("Google OAuth unreachable: " + e.getMessage(), Kind.TRANSIENT, e);
        }
        try (Response response = received) {
            int status = response.getStatus();
            JsonNode body = readJson(BoundedBody.text(response, maxAnswer, "Google OAuth token refresh"));
            if (status / 100 == 2) {
                return tokens(body);
            }
            String error = body == null ? "" : body.path("error").asText("");
            String said = "Google OAuth " + status + (error.isEmpty() ? "" : " " + error)
                    + (body == null || !body.hasNonNull("error_description") ? ""
                            : ": " + body.path("error_description").asText());
            if ("invalid_grant".equals(error)) {
                throw new GrantRevoked(said);
            }
            if (status == 429) {
                throw new ProviderCallException(said, Kind.THROTTLED, null);
            }
            if (status >= 500) {
                throw new ProviderCallException(said, Kind.TRANSIENT, null);
            }
            // invalid_client, unauthorized_client, invalid_request: our client credentials or request, not the grant.
            throw new ProviderCallException(said, Kind.INVALID, null);
        } catch (ProcessingException e) {
            throw new ProviderCallException("Google OAuth answer unreadable: " + e.getMessage(), Kind.TRANSIENT, e);
        }
    }

    private RefreshedTokens tokens(JsonNode body) {
        String accessToken = body == null ? "" : body.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw new ProviderCallException("Google OAuth answered without an access_token", Kind.TRANSIENT, null);
        }
        long seconds = body.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
        String rotated = body.path("refresh_token").asText("");
        return new RefreshedTokens(accessToken, rotated.isEmpty() ? null : rotated, clock.instant().plus(lifetime));
    }

    private JsonNode readJson(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
