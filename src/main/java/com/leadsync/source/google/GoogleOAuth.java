package com.leadsync.source.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.connect.ConnectionRepository;
import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedConnection;
import com.leadsync.connect.oauth.OAuthException;
import com.leadsync.connect.oauth.OAuthPlatform;
import com.leadsync.connect.oauth.TokenEndpoint;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Connecting Google Ads customers by OAuth (providers.md §2.4, contract §10): the consent page asks for the
 * {@code adwords} scope offline with {@code prompt=consent} (so a refresh token is issued every time) and a PKCE S256
 * challenge; the code is exchanged at the token endpoint the refresher also uses. The grant reaches the customers
 * {@code customers:listAccessibleCustomers} names: each one LeadSync can query becomes a connection; a manager
 * account has no leads of its own, so the client accounts under it are connected instead, reached through it
 * ({@code config.loginCustomerId} = the manager), unless the user reaches them directly.
 *
 * <p>A new connection gets a random {@code webhookKey} nobody is shown (tokens and secrets are write-only): its leads
 * come by polling. contract §5 makes every google_ads connection hold one, and a known key would have to travel
 * somewhere a secret must not (the redirect to {@code /admin}); a reconnect leaves the stored key alone.
 */
@ApplicationScoped
public class GoogleOAuth implements OAuthPlatform {

    static final String SCOPE = "https://www.googleapis.com/auth/adwords";
    private static final Logger LOG = Logger.getLogger(GoogleOAuth.class);
    private static final String PLATFORM = "Google";
    static final String CUSTOMER_QUERY =
            "SELECT customer.id, customer.descriptive_name, customer.manager FROM customer";
    /** Every client below a manager, at any depth: the manager as login-customer-id reaches them all. */
    static final String CLIENT_QUERY = "SELECT customer_client.id, customer_client.descriptive_name,"
            + " customer_client.manager, customer_client.status FROM customer_client";
    /** Pages of 10,000 rows: more clients than this under one manager is not a connect anybody clicks through. */
    private static final int MAX_CLIENT_PAGES = 5;
    private static final int WEBHOOK_KEY_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final TokenEndpoint tokens;
    private final GoogleAdsSearch ads;
    private final ConnectionRepository connections;
    private final Clock clock;
    private final String authorizeUrl;
    private final String tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final SecureRandom random = new SecureRandom();

    GoogleOAuth(TokenEndpoint tokens, GoogleAdsSearch ads, ConnectionRepository connections, Clock clock,
            @ConfigProperty(name = "leadsync.oauth.google.authorize-url") String authorizeUrl,
            @ConfigProperty(name = "leadsync.oauth.google.token-url") String tokenUrl,
            @ConfigProperty(name = "leadsync.google.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.google.client-secret") Optional<String> clientSecret) {
        this.tokens = tokens;
        this.ads = ads;
        this.connections = connections;
        this.clock = clock;
        this.authorizeUrl = authorizeUrl.trim();
        this.tokenUrl = tokenUrl.trim();
        this.clientId = clientId.map(String::trim).orElse("");
        this.clientSecret = clientSecret.map(String::trim).orElse("");
    }

    @Override
    public String type() {
        return ProviderType.GOOGLE_ADS.wireName();
    }

    @Override
    public boolean usesPkce() {
        return true;
    }

    @Override
    public URI authorizeUrl(AuthorizeRequest request) {
        if (clientId.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.google.client-id is not set");
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", clientId);
        query.put("redirect_uri", request.redirectUri());
        query.put("response_type", "code");
        query.put("scope", SCOPE);
        // offline: a refresh token (access tokens live an hour); consent: issued again on every connect.
        query.put("access_type", "offline");
        query.put("prompt", "consent");
        query.put("state", request.state());
        query.put("code_challenge", request.codeChallenge());
        query.put("code_challenge_method", "S256");
        return URI.create(TokenEndpoint.appendQuery(authorizeUrl, TokenEndpoint.encode(query)));
    }

    @Override
    public Granted complete(CallbackRequest callback) {
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.google.client-id and leadsync.google.client-secret must be"
                    + " set to connect Google Ads");
        }
        if (!ads.configured()) {
            throw OAuthException.notConfigured("leadsync.google.developer-token is not set: the Google Ads API"
                    + " refuses every call without it");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", callback.code());
        form.put("redirect_uri", callback.redirectUri());
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("code_verifier", callback.codeVerifier());
        JsonNode answer = tokens.postForm(PLATFORM, tokenUrl, form, Map.of());
        String accessToken = answer.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw OAuthException.unavailable("Google answered the code exchange without an access token; try again"
                    + " in a moment.", null);
        }
        String refreshToken = answer.path("refresh_token").asText("");
        if (refreshToken.isEmpty()) {
            throw OAuthException.refused("Google gave no refresh token, so LeadSync could not keep reading leads"
                    + " after an hour. Remove LeadSync's access to your Google account"
                    + " (myaccount.google.com/permissions), then connect again and allow offline access.");
        }
        long seconds = answer.path("expires_in").asLong(0);
        Instant expiresAt = clock.instant().plusSeconds(seconds > 0 ? seconds : 3600);
        List<GrantedConnection> granted = new ArrayList<>();
        for (Reached r : reachable(accessToken, callback)) {
            granted.add(new GrantedConnection(r.customerId(), r.name(), accessToken, refreshToken, expiresAt,
                    config(r)));
        }
        return new Granted.Connections(ProviderType.GOOGLE_ADS, granted);
    }

    /** A customer to connect, and the manager it is reached through (null: directly). */
    record Reached(String customerId, String name, String loginCustomerId) {
    }

    /** The customers the token reaches that hold leads: directly first, then through each manager. */
    List<Reached> reachable(String accessToken, CallbackRequest callback) {
        JsonNode listed = call(() -> ads.listAccessibleCustomers(accessToken), "list your Google Ads accounts");
        TreeSet<String> accessible = new TreeSet<>();
        for (JsonNode name : listed.path("resourceNames")) {
            String id = name.asText("").replaceFirst("^customers/", "");
            if (GoogleCustomerAccess.isCustomerId(id)) {
                accessible.add(id);
            }
        }
        Map<String, Reached> reached = new LinkedHashMap<>();
        List<String> managers = new ArrayList<>();
        for (String id : accessible) {
            callback.inTime("looking up Google Ads account " + id);
            Optional<JsonNode> customer = customer(id, accessToken);
            if (customer.isEmpty()) {
                continue;
            }
            if (customer.get().path("manager").asBoolean(false)) {
                managers.add(id);
            } else {
                reached.put(id, new Reached(id, name(customer.get()), null));
            }
        }
        for (String manager : managers) {
            callback.inTime("listing the accounts under manager " + manager);
            for (JsonNode client : clients(manager, accessToken)) {
                String id = client.path("id").asText("");
                if (GoogleCustomerAccess.isCustomerId(id) && !client.path("manager").asBoolean(false)
                        && "ENABLED".equals(client.path("status").asText("")) && !reached.containsKey(id)) {
                    reached.put(id, new Reached(id, name(client), manager));
                }
            }
        }
        return List.copyOf(reached.values());
    }

    /** The customer's own row; empty when the user lists it but cannot query it (cancelled, not enabled...). */
    private Optional<JsonNode> customer(String id, String accessToken) {
        try {
            for (JsonNode row : ads.search(id, null, accessToken, CUSTOMER_QUERY, null, "customer lookup")
                    .path("results")) {
                JsonNode customer = row.path("customer");
                if (id.equals(customer.path("id").asText())) {
                    return Optional.of(customer);
                }
            }
            return Optional.empty();
        } catch (ProviderCallException e) {
            if (e.isTransient()) {
                throw OAuthException.unavailable("Google Ads could not be asked about account " + id + " ("
                        + e.getMessage() + "); try again in a moment.", e);
            }
            LOG.infof("Google Ads customer %s is listed for the grant but cannot be read, left out: %s", id,
                    e.getMessage());
            return Optional.empty();
        }
    }

    private List<JsonNode> clients(String manager, String accessToken) {
        List<JsonNode> clients = new ArrayList<>();
        String pageToken = null;
        for (int page = 0; page < MAX_CLIENT_PAGES; page++) {
            String token = pageToken;
            JsonNode answer;
            try {
                answer = ads.search(manager, manager, accessToken, CLIENT_QUERY, token, "manager's client listing");
            } catch (ProviderCallException e) {
                if (e.isTransient()) {
                    throw OAuthException.unavailable("Google Ads could not list the accounts under manager "
                            + manager + " (" + e.getMessage() + "); try again in a moment.", e);
                }
                LOG.infof("Google Ads manager %s's clients cannot be listed, left out: %s", manager, e.getMessage());
                return clients;
            }
            answer.path("results").forEach(row -> clients.add(row.path("customerClient")));
            pageToken = answer.path("nextPageToken").asText("");
            if (pageToken.isEmpty()) {
                break;
            }
        }
        return clients;
    }

    /**
     * A new connection's webhook key (random, never shown: polling brings its leads) and its manager; on a
     * reconnect the stored key stays, so no key is sent.
     */
    private Map<String, String> config(Reached r) {
        Map<String, String> config = new LinkedHashMap<>();
        if (r.loginCustomerId() != null) {
            config.put(GoogleAdsSearch.LOGIN_CUSTOMER_ID, r.loginCustomerId());
        }
        if (connections.findByRoute(ProviderType.GOOGLE_ADS, r.customerId()).isEmpty()) {
            byte[] key = new byte[WEBHOOK_KEY_BYTES];
            random.nextBytes(key);
            config.put(Connection.WEBHOOK_KEY, B64.encodeToString(key));
        }
        return config;
    }

    private static String name(JsonNode customer) {
        String name = customer.path("descriptiveName").asText("");
        return name.isBlank() ? null : name;
    }

    private static JsonNode call(Supplier<JsonNode> call, String what) {
        try {
            return call.get();
        } catch (ProviderCallException e) {
            if (e.isTransient()) {
                throw OAuthException.unavailable("Google Ads could not " + what + " (" + e.getMessage()
                        + "); try again in a moment.", e);
            }
            throw OAuthException.refused("Google Ads refused to " + what + " (" + e.getMessage() + "). Check that"
                    + " the Google account you signed in with has access to Google Ads, then connect again.");
        }
    }
}
