package com.leadsync.delivery.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedDestination;
import com.leadsync.connect.oauth.OAuthException;
import com.leadsync.connect.oauth.OAuthPlatform;
import com.leadsync.connect.oauth.TokenAnswerFailures;
import com.leadsync.connect.oauth.TokenEndpoint;
import com.leadsync.model.ProviderCallException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connects a Pipedrive company as a destination (crm.md §A.4): consent at {@code oauth.pipedrive.com/oauth/authorize}
 * (an app's scopes are chosen when it is registered, not per request), the code exchanged at {@code /oauth/token}
 * with HTTP Basic client authentication as the refresher does, the answer read by the refresher's rule. Its
 * {@code api_domain} (the company's own URL) is the API base; {@code GET {api_domain}/api/v1/users/me} names the
 * company ({@code company_id}), the destination's identity.
 */
@ApplicationScoped
public class PipedriveOAuth implements OAuthPlatform {

    static final String ME_PATH = "/api/v1/users/me";
    private static final String PLATFORM = "Pipedrive";

    private final TokenEndpoint endpoint;
    private final PipedriveTokenRefresher refresher;
    private final String authorizeUrl;
    private final String tokenUrl;
    private final String apiBase;
    private final String clientId;
    private final String clientSecret;
    private final boolean anyHost;

    PipedriveOAuth(TokenEndpoint endpoint, PipedriveTokenRefresher refresher,
            @ConfigProperty(name = "leadsync.oauth.pipedrive.authorize-url") String authorizeUrl,
            @ConfigProperty(name = "leadsync.oauth.pipedrive.token-url") String tokenUrl,
            @ConfigProperty(name = "quarkus.rest-client.pipedrive.url") String apiBase,
            @ConfigProperty(name = "leadsync.pipedrive.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.pipedrive.client-secret") Optional<String> clientSecret,
            @ConfigProperty(name = "leadsync.allow-private-urls", defaultValue = "false") boolean anyHost) {
        this.endpoint = endpoint;
        this.anyHost = anyHost;
        this.refresher = refresher;
        this.authorizeUrl = authorizeUrl.trim();
        this.tokenUrl = tokenUrl.trim();
        this.apiBase = withoutTrailingSlash(apiBase.trim());
        this.clientId = clientId.map(String::trim).orElse("");
        this.clientSecret = clientSecret.map(String::trim).orElse("");
    }

    static boolean isPipedriveHost(String url) {
        try {
            URI uri = new URI(url);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getUserInfo() == null && uri.getPort() == -1
                    && (host.equals("pipedrive.com") || host.endsWith(".pipedrive.com"));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    @Override
    public String type() {
        return PipedriveDestination.TYPE;
    }

    @Override
    public URI authorizeUrl(AuthorizeRequest request) {
        if (clientId.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.pipedrive.client-id is not set");
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", clientId);
        q.put("redirect_uri", request.redirectUri());
        q.put("state", request.state());
        return URI.create(TokenEndpoint.appendQuery(authorizeUrl, TokenEndpoint.encode(q)));
    }

    @Override
    public Granted complete(CallbackRequest callback) {
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.pipedrive.client-id and leadsync.pipedrive.client-secret"
                    + " must be set to connect Pipedrive");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", callback.code());
        form.put("redirect_uri", callback.redirectUri());
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        JsonNode answer = endpoint.postForm(PLATFORM, tokenUrl, form, Map.of("Authorization", "Basic " + basic));
        RefreshedTokens tokens;
        try {
            tokens = refresher.tokens(answer);
        } catch (ProviderCallException e) {
            throw TokenAnswerFailures.of(PLATFORM, e);
        }
        String apiDomain = withoutTrailingSlash(answer.path("api_domain").asText("").trim());
        if (!apiDomain.isEmpty() && !anyHost && !isPipedriveHost(apiDomain)) {
            // The new token goes there next: only to a company domain of Pipedrive's own.
            throw OAuthException.unavailable("Pipedrive's answer named an api_domain that is not an https"
                    + " *.pipedrive.com URL; nothing was stored", null);
        }
        if (!apiDomain.isEmpty() && !PipedriveDestination.isHttpUrl(apiDomain)) {
            throw OAuthException.unavailable("Pipedrive's answer named an api_domain that is not a URL; try again in a"
                    + " moment.", null);
        }
        JsonNode me = endpoint.get(PLATFORM, (apiDomain.isEmpty() ? apiBase : apiDomain) + ME_PATH, Map.of(),
                Map.of("Authorization", "Bearer " + tokens.accessToken())).path("data");
        String companyId = me.path("company_id").asText("");
        if (companyId.isBlank()) {
            throw OAuthException.unavailable("Pipedrive did not say which company the authorization is for; try again"
                    + " in a moment.", null);
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put(PipedriveDestination.ACCESS_TOKEN, tokens.accessToken());
        if (tokens.refreshToken() != null) {
            config.put(PipedriveDestination.REFRESH_TOKEN, tokens.refreshToken());
        }
        if (!apiDomain.isEmpty()) {
            config.put(PipedriveDestination.API_DOMAIN, apiDomain);
        }
        String company = me.path("company_name").asText("");
        String name = "Pipedrive (" + (company.isBlank() ? "" : company + ", ") + "company " + companyId + ")";
        return new Granted.Destination(new GrantedDestination(type(), companyId, name, config, tokens.expiresAt()));
    }

    private static String withoutTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
