package com.leadsync.source.linkedin;

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
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Refreshes a LinkedIn grant: {@code POST /oauth/v2/accessToken} with {@code grant_type=refresh_token}
 * and the app's client id and secret (providers.md §3.5, contract §5). LinkedIn answers
 * {@code {access_token, expires_in, refresh_token?, refresh_token_expires_in?}}; refresh tokens exist only
 * for approved partners and their 365-day life does not restart on refresh, so a dead grant is expected
 * once a year: {@code invalid_grant} is {@link GrantRevoked}.
 */
@ApplicationScoped
public class LinkedInTokenRefresher implements TokenRefresher {

    private final LinkedInOAuthApi oauth;
    private final ObjectMapper json;
    private final Clock clock;
    private final String clientId;
    private final String clientSecret;
    private final long maxAnswer;

    LinkedInTokenRefresher(@RestClient LinkedInOAuthApi oauth, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "leadsync.linkedin.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.linkedin.client-secret") Optional<String> clientSecret,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer) {
        this.oauth = oauth;
        this.json = json;
        this.clock = clock;
        this.clientId = clientId.orElse("");
        this.clientSecret = clientSecret.orElse("");
        this.maxAnswer = maxAnswer.asLongValue();
    }

    @Override
    public String issuer() {
        return ProviderType.LINKEDIN_ADS.wireName();
    }

    @Override
    public RefreshedTokens refresh(String refreshToken, Map<String, String> config) {
        if (clientId.isBlank() || clientSecret.isBlank()) {
            throw new ProviderCallException("LinkedIn token refresh needs leadsync.linkedin.client-id and"
                    + " leadsync.linkedin.client-secret", Kind.INVALID, null);
        }
        Response received;
        try {
            received = oauth.refresh("refresh_token", refreshToken, clientId, clientSecret);
        } catch (WebApplicationException e) {
            received = e.getResponse();
        } catch (ProcessingException e) {
            throw new ProviderCallException("LinkedIn token endpoint unreachable: " + e.getMessage(), Kind.TRANSIENT,
                    e);
        }
        try (Response response = received) {
            int status = response.getStatus();
            JsonNode body = readJson(BoundedBody.text(response, maxAnswer, "LinkedIn token refresh"));
            if (status / 100 == 2) {
                return tokens(body);
            }
            String error = body.path("error").asText("");
            String description = body.path("error_description").asText("");
            if (revoked(error, description)) {
                throw new GrantRevoked("LinkedIn refused the refresh token (" + error + "): " + description);
            }
            Kind kind = status == 429 ? Kind.THROTTLED : status >= 500 ? Kind.TRANSIENT : Kind.INVALID;
            throw new ProviderCallException("LinkedIn token endpoint " + status + ": " + error
                    + (description.isEmpty() ? "" : " - " + description), kind, null);
        }
    }

    /**
     * {@code invalid_grant} is the OAuth word for a dead grant. [U] LinkedIn has also been seen to say
     * {@code invalid_request} with a description that the refresh token is invalid, expired or revoked: that
     * is a dead grant too, and treating it as a fixable request error would keep polling it forever.
     */
    private static boolean revoked(String error, String description) {
        if ("invalid_grant".equals(error)) {
            return true;
        }
        String d = description.toLowerCase(Locale.ROOT);
        return "invalid_request".equals(error) && d.contains("refresh token")
                && (d.contains("expired") || d.contains("revoked") || d.contains("invalid"));
    }

    private RefreshedTokens tokens(JsonNode body) {
        String accessToken = body.path("access_token").asText("");
        if (accessToken.isBlank()) {
            throw new ProviderCallException("LinkedIn token endpoint answered without an access_token",
                    Kind.TRANSIENT, null);
        }
        JsonNode expiresIn = body.get("expires_in");
        Instant expiresAt = expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0
                ? clock.instant().plusSeconds(expiresIn.asLong()) : null;
        String rotated = body.path("refresh_token").asText("");
        return new RefreshedTokens(accessToken, rotated.isBlank() ? null : rotated, expiresAt);
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
