package com.leadsync.delivery.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.TokenRefresher;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.HttpOutcomes;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.PinnedUrl;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderCallException.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Zoho access tokens live an hour (crm.md §A.3): {@code POST {accountsServer}/oauth/v2/token} with
 * {@code grant_type=refresh_token}, the refresh token and the app's client credentials, at the accounts server of
 * the destination's data centre. The parameters go in a form body, which Zoho Accounts reads like the query string
 * its docs show, so the client secret stays out of URLs that proxies and logs keep.
 *
 * <p>Zoho reports errors in an {@code error} field, also with status 200. ⚠ Its codes are not all documented:
 * {@code invalid_code} (the refresh token is revoked, expired or unknown) and {@code invalid_grant} are a dead
 * grant; {@code invalid_client} is a client this accounts server does not know (our config, or the wrong data
 * centre), not the grant, and so is any code we do not know: failing those deliveries is enough, marking the
 * destination for reauthorization on a guess is not. "Access Denied … too many requests" is Zoho's throttle.
 */
@ApplicationScoped
public class ZohoTokenRefresher implements TokenRefresher {

    static final String TOKEN_PATH = "/oauth/v2/token";
    /** Zoho's documented lifetime, used only if an answer leaves {@code expires_in} out. */
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    private static final Set<String> DEAD_GRANT = Set.of("invalid_code", "invalid_grant");

    private final OutboundHttp http;
    private final ZohoEndpoints endpoints;
    private final ObjectMapper json;
    private final Clock clock;
    private final String clientId;
    private final String clientSecret;

    @Inject
    public ZohoTokenRefresher(OutboundHttp http, ZohoEndpoints endpoints, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "leadsync.zoho.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.zoho.client-secret") Optional<String> clientSecret) {
        this.http = http;
        this.endpoints = endpoints;
        this.json = json;
        this.clock = clock;
        this.clientId = clientId.map(String::trim).orElse("");
        this.clientSecret = clientSecret.map(String::trim).orElse("");
    }

    @Override
    public String issuer() {
        return ZohoDestination.TYPE;
    }

    @Override
    public RefreshedTokens refresh(String refreshToken, Map<String, String> config) {
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw new ProviderCallException("leadsync.zoho.client-id and leadsync.zoho.client-secret must be set to"
                    + " refresh Zoho tokens", Kind.INVALID, null);
        }
        PinnedUrl url;
        try {
            url = endpoints.beforeSend(ZohoDestination.ACCOUNTS_SERVER, config.get(ZohoDestination.ACCOUNTS_SERVER),
                    TOKEN_PATH);
        } catch (DeliveryException e) {
            throw new ProviderCallException("Zoho token refresh: " + e.getMessage(),
                    e.retryable() ? Kind.TRANSIENT : Kind.INVALID, e);
        }
        String form = "grant_type=refresh_token&refresh_token=" + encode(refreshToken) + "&client_id="
                + encode(clientId) + "&client_secret=" + encode(clientSecret);
        OutboundHttp.Response response;
        try {
            response = http.send(OutboundHttp.Call.form(url, form, Map.of()));
        } catch (IOException e) {
            throw new ProviderCallException("Zoho Accounts unreachable: "
                    + HttpOutcomes.transportFailure(e, http.defaultTimeout()).getMessage(), Kind.TRANSIENT, e);
        }
        return tokens(response.statusCode(), HttpOutcomes.jsonOrMissing(json, response.body()), response.body());
    }

    /**
     * Zoho Accounts' token answer, to a refresh or a code exchange, read by one rule: the tokens, or (an
     * {@code error} field, also with status 200) {@link GrantRevoked} for a dead grant, a throttled, transient or
     * invalid {@link ProviderCallException} otherwise.
     */
    RefreshedTokens tokens(int status, JsonNode body, String text) {
        String error = body.path("error").asText("");
        String accessToken = body.path("access_token").asText("");
        if (HttpOutcomes.isSuccess(status) && error.isEmpty() && !accessToken.isEmpty()) {
            long seconds = body.path("expires_in").asLong(0);
            Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
            // Zoho does not rotate refresh tokens; should an answer carry one, keep it.
            String rotated = body.path("refresh_token").asText("");
            return new RefreshedTokens(accessToken, rotated.isEmpty() ? null : rotated, clock.instant().plus(lifetime));
        }
        String description = body.path("error_description").asText("");
        String said = "Zoho Accounts " + status + (error.isEmpty() ? "" : " " + error)
                + (description.isEmpty() ? "" : ": " + description)
                + (error.isEmpty() && description.isEmpty() ? bodySnippet(text) : "");
        if (DEAD_GRANT.contains(error)) {
            throw new GrantRevoked(said);
        }
        String all = (error + " " + description).toLowerCase(Locale.ROOT);
        if (status == 429 || all.contains("too many requests")) {
            throw new ProviderCallException(said, Kind.THROTTLED, null);
        }
        if (status >= 500 || (HttpOutcomes.isSuccess(status) && error.isEmpty())) {
            // An outage, or a 2xx without a token: ask again later.
            throw new ProviderCallException(said, Kind.TRANSIENT, null);
        }
        if (error.equals("invalid_client")) {
            said += " (leadsync.zoho.client-id/client-secret are not known at this accounts server: wrong data"
                    + " centre, or the client was deleted)";
        }
        throw new ProviderCallException(said, Kind.INVALID, null);
    }

    private static String bodySnippet(String body) {
        String snippet = HttpOutcomes.snippet(body);
        return snippet.isEmpty() ? "" : ": " + snippet;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
