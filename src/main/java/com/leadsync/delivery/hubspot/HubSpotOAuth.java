package com.leadsync.delivery.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedDestination;
import com.leadsync.connect.oauth.OAuthException;
import com.leadsync.connect.oauth.OAuthPlatform;
import com.leadsync.connect.oauth.TokenEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connects a HubSpot portal as a destination (crm.md §A.1): the consent page {@code app.hubspot.com/oauth/authorize}
 * asks for the scopes the destination's calls need (contacts batch upsert, the contact properties its check and
 * mapping read, {@code oauth} for the token's own details); the code is exchanged at {@code POST /oauth/v1/token}
 * and the portal named by {@code GET /oauth/v1/access-tokens/{token}} ({@code hub_id}, {@code hub_domain}). Access
 * tokens last 30 minutes; the refresh token keeps the destination going (see {@link HubSpotTokenRefresher}).
 */
@ApplicationScoped
public class HubSpotOAuth implements OAuthPlatform {

    static final String SCOPES = "oauth crm.objects.contacts.read crm.objects.contacts.write "
            + "crm.schemas.contacts.read";
    private static final String PLATFORM = "HubSpot";

    private final TokenEndpoint endpoint;
    private final Clock clock;
    private final String authorizeUrl;
    private final String tokenUrl;
    private final String oauthBase;
    private final String clientId;
    private final String clientSecret;

    HubSpotOAuth(TokenEndpoint endpoint, Clock clock,
            @ConfigProperty(name = "leadsync.oauth.hubspot.authorize-url") String authorizeUrl,
            @ConfigProperty(name = "leadsync.oauth.hubspot.token-url") String tokenUrl,
            @ConfigProperty(name = "quarkus.rest-client.hubspot-oauth.url") String oauthBase,
            @ConfigProperty(name = "leadsync.hubspot.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.hubspot.client-secret") Optional<String> clientSecret) {
        this.endpoint = endpoint;
        this.clock = clock;
        this.authorizeUrl = authorizeUrl.trim();
        this.tokenUrl = tokenUrl.trim();
        this.oauthBase = withoutTrailingSlash(oauthBase.trim());
        this.clientId = clientId.map(String::trim).orElse("");
        this.clientSecret = clientSecret.map(String::trim).orElse("");
    }

    @Override
    public String type() {
        return HubSpotDestination.TYPE;
    }

    @Override
    public URI authorizeUrl(AuthorizeRequest request) {
        if (clientId.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.hubspot.client-id is not set");
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", clientId);
        q.put("redirect_uri", request.redirectUri());
        q.put("scope", SCOPES);
        q.put("state", request.state());
        return URI.create(TokenEndpoint.appendQuery(authorizeUrl, TokenEndpoint.encode(q)));
    }

    @Override
    public Granted complete(CallbackRequest callback) {
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.hubspot.client-id and leadsync.hubspot.client-secret must be"
                    + " set to connect HubSpot");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("redirect_uri", callback.redirectUri());
        form.put("code", callback.code());
        JsonNode answer = endpoint.postForm(PLATFORM, tokenUrl, form, Map.of());
        RefreshedTokens tokens = HubSpotTokenRefresher.tokenAnswer(answer, clock.instant());
        if (tokens == null) {
            throw OAuthException.unavailable("HubSpot answered the code exchange without an access token; try again"
                    + " in a moment.", null);
        }
        JsonNode info = endpoint.get(PLATFORM, oauthBase + "/oauth/v1/access-tokens/"
                + URLEncoder.encode(tokens.accessToken(), StandardCharsets.UTF_8), Map.of(), Map.of());
        String hubId = info.path("hub_id").asText("");
        if (hubId.isBlank()) {
            throw OAuthException.unavailable("HubSpot did not say which portal the authorization is for; try again"
                    + " in a moment.", null);
        }
        String domain = info.path("hub_domain").asText("");
        Map<String, String> config = new LinkedHashMap<>();
        config.put(HubSpotDestination.ACCESS_TOKEN, tokens.accessToken());
        if (tokens.refreshToken() != null) {
            config.put(HubSpotDestination.REFRESH_TOKEN, tokens.refreshToken());
        }
        String name = "HubSpot (" + (domain.isBlank() ? "" : domain + ", ") + "portal " + hubId + ")";
        return new Granted.Destination(new GrantedDestination(type(), hubId, name, config, tokens.expiresAt()));
    }

    private static String withoutTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
