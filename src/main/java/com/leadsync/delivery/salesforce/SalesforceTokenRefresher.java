package com.leadsync.delivery.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.TokenRefresher;
import com.leadsync.delivery.HttpOutcomes;
import com.leadsync.delivery.InvalidUrlException;
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
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refreshes a Salesforce destination's grant (crm.md §A.2): {@code POST {loginUrl}/services/oauth2/token} with
 * {@code grant_type=refresh_token}, our connected app's client id and secret
 * ({@code leadsync.salesforce.client-id/client-secret}). The answer has {@code access_token} and
 * {@code instance_url}, a new {@code refresh_token} only when the org rotates them, and no lifetime (the org's
 * session timeout decides): the expiry stays unknown and a 401 {@code INVALID_SESSION_ID} triggers the next
 * refresh. {@code invalid_grant} (revoked, expired by policy, user deactivated) is {@link GrantRevoked}.
 */
@ApplicationScoped
public class SalesforceTokenRefresher implements TokenRefresher {

    private static final Logger LOG = Logger.getLogger(SalesforceTokenRefresher.class);

    private final OutboundHttp http;
    private final UrlPolicy urlPolicy;
    private final ObjectMapper json;
    private final String clientId;
    private final String clientSecret;
    private final boolean allowPrivate;

    @Inject
    public SalesforceTokenRefresher(OutboundHttp http, UrlPolicy urlPolicy, ObjectMapper json,
            @ConfigProperty(name = "leadsync.salesforce.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.salesforce.client-secret") Optional<String> clientSecret,
            @ConfigProperty(name = "leadsync.allow-private-urls", defaultValue = "false") boolean allowPrivate) {
        this.http = http;
        this.urlPolicy = urlPolicy;
        this.json = json;
        this.clientId = clientId.orElse("");
        this.clientSecret = clientSecret.orElse("");
        this.allowPrivate = allowPrivate;
    }

    @Override
    public String issuer() {
        return SalesforceDestination.TYPE;
    }

    @Override
    public RefreshedTokens refresh(String refreshToken, Map<String, String> config) {
        if (clientId.isBlank() || clientSecret.isBlank()) {
            throw new ProviderCallException("Salesforce token refresh needs leadsync.salesforce.client-id and"
                    + " leadsync.salesforce.client-secret", Kind.INVALID, null);
        }
        SalesforceConfig c = SalesforceConfig.of(config);
        // Our client secret goes with the request: only ever to a Salesforce login host (see SalesforceConfig).
        String hostProblem = allowPrivate ? null : SalesforceConfig.loginHostProblem(c.loginUrl());
        if (hostProblem != null) {
            throw new ProviderCallException("config.loginUrl " + hostProblem, Kind.INVALID, null);
        }
        PinnedUrl url;
        try {
            url = urlPolicy.check(c.loginUrl() + "/services/oauth2/token");
        } catch (InvalidUrlException e) {
            throw new ProviderCallException("Salesforce login URL: " + e.getMessage(),
                    e.unresolved() ? Kind.TRANSIENT : Kind.INVALID, null);
        }
        String form = "grant_type=refresh_token&client_id=" + encode(clientId) + "&client_secret="
                + encode(clientSecret) + "&refresh_token=" + encode(refreshToken);
        OutboundHttp.Response response;
        try {
            response = http.send(OutboundHttp.Call.form(url, form, Map.of()));
        } catch (IOException e) {
            throw new ProviderCallException("Salesforce token endpoint unreachable: " + e.getMessage(),
                    Kind.TRANSIENT, e);
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status == 200) {
            return tokens(body, c);
        }
        String error = body.path("error").asText("");
        String description = body.path("error_description").asText("");
        if ("invalid_grant".equals(error)) {
            throw new GrantRevoked("Salesforce refused the refresh token (invalid_grant"
                    + (description.isEmpty() ? "" : ": " + description) + "); reconnect the destination");
        }
        Kind kind = status == 429 ? Kind.THROTTLED : status >= 500 ? Kind.TRANSIENT : Kind.INVALID;
        throw new ProviderCallException("Salesforce token endpoint " + status + ": "
                + (error.isEmpty() ? HttpOutcomes.snippet(response.body()) : error
                        + (description.isEmpty() ? "" : " - " + description)), kind, null);
    }

    private RefreshedTokens tokens(JsonNode body, SalesforceConfig c) {
        RefreshedTokens answer = tokenAnswer(body);
        if (answer == null) {
            throw new ProviderCallException("Salesforce token endpoint answered without an access_token",
                    Kind.TRANSIENT, null);
        }
        String instanceUrl = body.path("instance_url").asText("");
        if (!instanceUrl.isEmpty() && c.instanceUrl() != null
                && !SalesforceConfig.of(Map.of(SalesforceConfig.INSTANCE_URL, instanceUrl)).instanceUrl()
                        .equalsIgnoreCase(c.instanceUrl())) {
            // RefreshedTokens carries no config, so the new base cannot be stored from here (left open). With
            // My Domain (enforced for every org since 2022) the instance URL stays the same across migrations.
            LOG.warnf("Salesforce refresh returned instance_url %s, the destination has %s; update config.instanceUrl",
                    instanceUrl, c.instanceUrl());
        }
        return answer;
    }

    /**
     * Salesforce's token answer, to a refresh or a code exchange: {@code access_token}, a {@code refresh_token} (on a
     * refresh only when the org rotates them), no lifetime (the org's session timeout decides); null without an
     * access token. {@code instance_url} and {@code id} are read by whoever needs them.
     */
    static RefreshedTokens tokenAnswer(JsonNode body) {
        String accessToken = body.path("access_token").asText("");
        if (accessToken.isBlank()) {
            return null;
        }
        String refresh = body.path("refresh_token").asText("");
        return new RefreshedTokens(accessToken, refresh.isBlank() ? null : refresh, null);
    }

    private JsonNode parse(String text) {
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

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
