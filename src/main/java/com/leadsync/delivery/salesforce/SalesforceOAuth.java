package com.leadsync.delivery.salesforce;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connects a Salesforce org as a destination with the web server flow and PKCE (crm.md §A.2): consent at
 * {@code /services/oauth2/authorize} ({@code scope=api refresh_token}), the code and its verifier exchanged at
 * {@code /services/oauth2/token}. The answer's {@code instance_url} is the API base; its {@code id}
 * ({@code …/id/<orgId>/<userId>}) names the org, which is the destination's identity. The login URL kept for refreshes
 * is the token URL's base, so a sandbox connected through {@code test.salesforce.com} refreshes there.
 */
@ApplicationScoped
public class SalesforceOAuth implements OAuthPlatform {

    static final String SCOPES = "api refresh_token";
    static final String TOKEN_PATH = "/services/oauth2/token";
    /** The identity URL's organization id (00D…, 15 or 18 characters in a real org) and user id. */
    private static final Pattern IDENTITY = Pattern.compile("/id/(00D[A-Za-z0-9]+)/[A-Za-z0-9]+/?$");
    private static final String PLATFORM = "Salesforce";

    private final TokenEndpoint endpoint;
    private final String authorizeUrl;
    private final String tokenUrl;
    private final String clientId;
    private final String clientSecret;

    SalesforceOAuth(TokenEndpoint endpoint,
            @ConfigProperty(name = "leadsync.oauth.salesforce.authorize-url") String authorizeUrl,
            @ConfigProperty(name = "leadsync.oauth.salesforce.token-url") String tokenUrl,
            @ConfigProperty(name = "leadsync.salesforce.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.salesforce.client-secret") Optional<String> clientSecret) {
        this.endpoint = endpoint;
        this.authorizeUrl = authorizeUrl.trim();
        this.tokenUrl = tokenUrl.trim();
        this.clientId = clientId.map(String::trim).orElse("");
        this.clientSecret = clientSecret.map(String::trim).orElse("");
    }

    @Override
    public String type() {
        return SalesforceDestination.TYPE;
    }

    @Override
    public boolean usesPkce() {
        return true;
    }

    @Override
    public URI authorizeUrl(AuthorizeRequest request) {
        if (clientId.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.salesforce.client-id is not set");
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId);
        q.put("redirect_uri", request.redirectUri());
        q.put("scope", SCOPES);
        q.put("state", request.state());
        q.put("code_challenge", request.codeChallenge());
        q.put("code_challenge_method", "S256");
        return URI.create(TokenEndpoint.appendQuery(authorizeUrl, TokenEndpoint.encode(q)));
    }

    @Override
    public Granted complete(CallbackRequest callback) {
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.salesforce.client-id and leadsync.salesforce.client-secret"
                    + " must be set to connect Salesforce");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", callback.code());
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("redirect_uri", callback.redirectUri());
        form.put("code_verifier", callback.codeVerifier());
        JsonNode answer = endpoint.postForm(PLATFORM, tokenUrl, form, Map.of());
        RefreshedTokens tokens = SalesforceTokenRefresher.tokenAnswer(answer);
        String instanceUrl = answer.path("instance_url").asText("");
        if (tokens == null || instanceUrl.isBlank()) {
            throw OAuthException.unavailable("Salesforce answered the code exchange without an access token or"
                    + " instance_url; try again in a moment.", null);
        }
        Matcher id = IDENTITY.matcher(answer.path("id").asText(""));
        if (!id.find()) {
            throw OAuthException.unavailable("Salesforce did not say which organization the authorization is for"
                    + " (no identity URL in its answer); try again in a moment.", null);
        }
        String orgId = id.group(1);
        Map<String, String> config = new LinkedHashMap<>();
        config.put(SalesforceConfig.ACCESS_TOKEN, tokens.accessToken());
        if (tokens.refreshToken() != null) {
            config.put(SalesforceConfig.REFRESH_TOKEN, tokens.refreshToken());
        }
        config.put(SalesforceConfig.INSTANCE_URL, instanceUrl.trim());
        config.put(SalesforceConfig.LOGIN_URL, loginUrl());
        String host = host(instanceUrl.trim());
        return new Granted.Destination(new GrantedDestination(type(), orgId, "Salesforce (" + host + ", org " + orgId
                + ")", config, null));
    }

    private static String host(String url) {
        try {
            return Optional.ofNullable(URI.create(url).getHost()).orElse(url);
        } catch (IllegalArgumentException e) {
            return url; // the destination's validation says what is wrong with it
        }
    }

    /** Where the grant's refresh token is exchanged later: the server that issued it. */
    private String loginUrl() {
        return tokenUrl.endsWith(TOKEN_PATH) ? tokenUrl.substring(0, tokenUrl.length() - TOKEN_PATH.length())
                : SalesforceConfig.DEFAULT_LOGIN_URL;
    }
}
