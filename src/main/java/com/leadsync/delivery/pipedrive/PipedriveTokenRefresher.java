package com.leadsync.delivery.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.TokenRefresher;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.PinnedUrl;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderCallException.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refreshes a Pipedrive OAuth grant (crm.md §A.4): {@code POST {oauth}/oauth/token} with
 * {@code grant_type=refresh_token&refresh_token=…} and HTTP Basic {@code client_id:client_secret}; the answer is
 * {@code {access_token, refresh_token, expires_in: 3600, api_domain, …}}, the refresh token rotated. A refresh token
 * already exchanged or revoked is answered {@code invalid_grant} (or ⚠ a message calling the refresh token invalid):
 * {@link GrantRevoked}. The company's {@code api_domain} does not change on refresh, so the destination keeps the one
 * it was connected with.
 */
@ApplicationScoped
public class PipedriveTokenRefresher implements TokenRefresher {

    private final OutboundHttp http;
    private final UrlPolicy urls;
    private final ObjectMapper json;
    private final Clock clock;
    private final String tokenUrl;
    private final String clientId;
    private final String clientSecret;

    @Inject
    public PipedriveTokenRefresher(OutboundHttp http, UrlPolicy urls, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "leadsync.pipedrive.oauth-url", defaultValue = "https://oauth.pipedrive.com")
            String oauthUrl,
            @ConfigProperty(name = "leadsync.pipedrive.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.pipedrive.client-secret") Optional<String> clientSecret) {
        this.http = http;
        this.urls = urls;
        this.json = json;
        this.clock = clock;
        String base = oauthUrl.trim();
        this.tokenUrl = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/oauth/token";
        this.clientId = clientId.orElse("").trim();
        this.clientSecret = clientSecret.orElse("").trim();
    }

    @Override
    public String issuer() {
        return PipedriveDestination.TYPE;
    }

    @Override
    public RefreshedTokens refresh(String refreshToken, Map<String, String> config) {
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw new ProviderCallException("Pipedrive token refresh needs leadsync.pipedrive.client-id and"
                    + " leadsync.pipedrive.client-secret", Kind.INVALID, null);
        }
        PinnedUrl url;
        try {
            url = urls.checkBeforeSend(tokenUrl);
        } catch (DeliveryException e) {
            throw new ProviderCallException("Pipedrive token endpoint: " + e.getMessage(),
                    e.retryable() ? Kind.TRANSIENT : Kind.INVALID, e);
        }
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        String form = "grant_type=refresh_token&refresh_token="
                + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8);
        OutboundHttp.Response response;
        try {
            response = http.send(OutboundHttp.Call.form(url, form, Map.of("Authorization", "Basic " + basic)));
        } catch (IOException e) {
            throw new ProviderCallException("Pipedrive token endpoint unreachable: " + e.getMessage(), Kind.TRANSIENT,
                    e);
        }
        JsonNode body = readJson(response.body());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return tokens(body);
        }
        String error = body.path("error").asText("");
        String description = body.path("error_description").asText(body.path("message").asText(""));
        if (revoked(error, description)) {
            throw new GrantRevoked("Pipedrive refused the refresh token (" + error + "): " + description);
        }
        Kind kind = status == 429 ? Kind.THROTTLED : status >= 500 ? Kind.TRANSIENT : Kind.INVALID;
        throw new ProviderCallException("Pipedrive token endpoint " + status + ": " + error
                + (description.isEmpty() ? "" : " - " + description), kind, null);
    }

    private static boolean revoked(String error, String description) {
        if ("invalid_grant".equals(error)) {
            return true;
        }
        String d = description.toLowerCase(Locale.ROOT);
        return d.contains("refresh token") && (d.contains("invalid") || d.contains("expired") || d.contains("revoked"));
    }

    /**
     * Pipedrive's token answer, to a refresh or a code exchange ({@code access_token}, the rotated
     * {@code refresh_token}, {@code expires_in}); {@code api_domain} is read by whoever needs it.
     */
    RefreshedTokens tokens(JsonNode body) {
        String accessToken = body.path("access_token").asText("");
        if (accessToken.isBlank()) {
            throw new ProviderCallException("Pipedrive token endpoint answered without an access_token", Kind.TRANSIENT,
                    null);
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
