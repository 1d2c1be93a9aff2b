package com.leadsync.delivery.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.connect.GrantRevoked;
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
import jakarta.inject.Inject;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connects a Zoho CRM org as a destination (crm.md §A.3, multi-DC): consent at {@code accounts.zoho.com/oauth/v2/auth}
 * with the scopes the destination uses (Leads upsert, the Leads fields its check reads, the org for its identity),
 * {@code access_type=offline} and {@code prompt=consent} (so a refresh token comes back every time). Zoho sends the
 * person back with {@code accounts-server} (and {@code location}) naming their data centre: the code is exchanged
 * there, and only if it is a Zoho data centre's accounts server ({@link ZohoEndpoints}: it gets our client secret).
 * The answer is read by the refresher's rule (an {@code error} with status 200 included); its {@code api_domain} is
 * where the org is read ({@code GET /crm/v8/org}, its id the destination's identity) and the leads go.
 */
@ApplicationScoped
public class ZohoOAuth implements OAuthPlatform {

    static final String SCOPES = "ZohoCRM.modules.leads.ALL,ZohoCRM.settings.fields.READ,ZohoCRM.org.READ";
    static final String ORG_PATH = "/crm/v8/org";
    private static final String PLATFORM = "Zoho";

    private final TokenEndpoint endpoint;
    private final ZohoEndpoints endpoints;
    private final ZohoTokenRefresher refresher;
    private final String authorizeUrl;
    private final String tokenUrl;
    private final String clientId;
    private final String clientSecret;

    @Inject
    public ZohoOAuth(TokenEndpoint endpoint, ZohoEndpoints endpoints, ZohoTokenRefresher refresher,
            @ConfigProperty(name = "leadsync.oauth.zoho.authorize-url") String authorizeUrl,
            @ConfigProperty(name = "leadsync.oauth.zoho.token-url") String tokenUrl,
            @ConfigProperty(name = "leadsync.zoho.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.zoho.client-secret") Optional<String> clientSecret) {
        this.endpoint = endpoint;
        this.endpoints = endpoints;
        this.refresher = refresher;
        this.authorizeUrl = authorizeUrl.trim();
        this.tokenUrl = tokenUrl.trim();
        this.clientId = clientId.map(String::trim).orElse("");
        this.clientSecret = clientSecret.map(String::trim).orElse("");
    }

    @Override
    public String type() {
        return ZohoDestination.TYPE;
    }

    @Override
    public URI authorizeUrl(AuthorizeRequest request) {
        if (clientId.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.zoho.client-id is not set");
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId);
        q.put("redirect_uri", request.redirectUri());
        q.put("scope", SCOPES);
        q.put("access_type", "offline");
        q.put("prompt", "consent");
        q.put("state", request.state());
        return URI.create(TokenEndpoint.appendQuery(authorizeUrl, TokenEndpoint.encode(q)));
    }

    @Override
    public Granted complete(CallbackRequest callback) {
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.zoho.client-id and leadsync.zoho.client-secret must be set"
                    + " to connect Zoho");
        }
        String accountsServer = accountsServer(callback.query("accounts-server"));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("redirect_uri", callback.redirectUri());
        form.put("code", callback.code());
        String url = accountsServer == null ? tokenUrl : ZohoEndpoints.join(accountsServer,
                ZohoTokenRefresher.TOKEN_PATH);
        JsonNode answer = endpoint.postForm(PLATFORM, url, form, Map.of());
        RefreshedTokens tokens;
        try {
            // No body text for the message: an answer without an access token may still carry a refresh token.
            tokens = refresher.tokens(200, answer, "");
        } catch (GrantRevoked | ProviderCallException e) {
            throw TokenAnswerFailures.of(PLATFORM, e);
        }
        String apiDomain = answer.path("api_domain").asText("").trim();
        Optional<String> apiProblem = endpoints.problem(ZohoDestination.API_DOMAIN, apiDomain);
        if (apiProblem.isPresent()) {
            // The access token would go there next: not to a host that is not Zoho's.
            throw OAuthException.unavailable("Zoho's answer named no usable api_domain (" + apiProblem.get()
                    + "); try again in a moment.", null);
        }
        JsonNode org = endpoint.get(PLATFORM, ZohoEndpoints.join(apiDomain, ORG_PATH), Map.of(),
                Map.of("Authorization", "Zoho-oauthtoken " + tokens.accessToken())).path("org").path(0);
        String orgId = org.path("id").asText("");
        if (orgId.isBlank()) {
            throw OAuthException.unavailable("Zoho did not say which organization the authorization is for; try"
                    + " again in a moment.", null);
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put(ZohoDestination.ACCESS_TOKEN, tokens.accessToken());
        if (tokens.refreshToken() != null) {
            config.put(ZohoDestination.REFRESH_TOKEN, tokens.refreshToken());
        }
        config.put(ZohoDestination.API_DOMAIN, apiDomain);
        config.put(ZohoDestination.ACCOUNTS_SERVER, accountsServer == null ? base(tokenUrl) : accountsServer);
        String company = org.path("company_name").asText("");
        String name = "Zoho CRM (" + (company.isBlank() ? "" : company + ", ") + "org " + orgId + ")";
        return new Granted.Destination(new GrantedDestination(type(), orgId, name, config, tokens.expiresAt()));
    }

    /**
     * The data centre's accounts server the callback names, without a trailing slash; null when it names none (the
     * configured token URL's server is used); refused when it is not a Zoho accounts server.
     */
    private String accountsServer(String named) {
        if (named == null || named.isBlank()) {
            return null;
        }
        String server = named.trim();
        server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        Optional<String> problem = endpoints.problem(ZohoDestination.ACCOUNTS_SERVER, server);
        if (problem.isPresent()) {
            throw OAuthException.refused("The accounts-server the callback names is not one of Zoho's data centres ("
                    + problem.get() + "). Nothing was stored; start the connection again.");
        }
        return server;
    }

    /** The accounts server of a token URL ({@code …/oauth/v2/token}). */
    private static String base(String url) {
        return url.endsWith(ZohoTokenRefresher.TOKEN_PATH)
                ? url.substring(0, url.length() - ZohoTokenRefresher.TOKEN_PATH.length()) : url;
    }
}
