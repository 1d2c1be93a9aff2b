package com.leadsync.source.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedConnection;
import com.leadsync.connect.oauth.OAuthException;
import com.leadsync.connect.oauth.OAuthPlatform;
import com.leadsync.connect.oauth.TokenEndpoint;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Connecting LinkedIn sponsored ad accounts by OAuth (providers.md §3.5, contract §10): the consent page asks for
 * {@code r_marketing_leadgen_automation} (lead forms and responses) and {@code r_ads} (the member's ad accounts); the
 * code is exchanged at the token endpoint the refresher also uses, for a 60-day access token and, for Marketing
 * Developer Platform partners only, a refresh token. Every sponsored account the member has an ad-account role on
 * ({@code adAccountUsers?q=authenticatedUser}) and LinkedIn answers {@code GET /rest/adAccounts/{id}} for becomes a
 * connection. Organization (page) leads are not read by LinkedIn's source, so {@code r_organization_admin} is not
 * asked for.
 */
@ApplicationScoped
public class LinkedInOAuth implements OAuthPlatform {

    static final String SCOPE = "r_marketing_leadgen_automation r_ads";
    /**
     * The ad-account roles LinkedIn documents (providers.md §3.5: any of them reads sponsored leads); a role not
     * listed here — one LinkedIn adds later, or none — is left out rather than guessed at.
     */
    static final Set<String> LEAD_ROLES = Set.of("ACCOUNT_BILLING_ADMIN", "ACCOUNT_MANAGER", "CAMPAIGN_MANAGER",
            "CREATIVE_MANAGER", "VIEWER");
    private static final Logger LOG = Logger.getLogger(LinkedInOAuth.class);
    private static final String PLATFORM = "LinkedIn";
    private static final Duration DEFAULT_LIFETIME = Duration.ofDays(60);
    private static final int PAGE = 100;
    /** Listed ad-account roles read at most: more than this is not connected by one click (each is looked up). */
    private static final int MAX_ACCOUNTS = 500;

    private final TokenEndpoint tokens;
    private final LinkedInApi api;
    private final ObjectMapper json;
    private final Clock clock;
    private final String authorizeUrl;
    private final String tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final String version;
    private final long maxAnswer;

    LinkedInOAuth(TokenEndpoint tokens, @RestClient LinkedInApi api, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "leadsync.oauth.linkedin.authorize-url") String authorizeUrl,
            @ConfigProperty(name = "leadsync.oauth.linkedin.token-url") String tokenUrl,
            @ConfigProperty(name = "leadsync.linkedin.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.linkedin.client-secret") Optional<String> clientSecret,
            @ConfigProperty(name = "leadsync.linkedin.version") String version,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer) {
        this.tokens = tokens;
        this.api = api;
        this.json = json;
        this.clock = clock;
        this.authorizeUrl = authorizeUrl.trim();
        this.tokenUrl = tokenUrl.trim();
        this.clientId = clientId.map(String::trim).orElse("");
        this.clientSecret = clientSecret.map(String::trim).orElse("");
        this.version = version;
        this.maxAnswer = maxAnswer.asLongValue();
    }

    @Override
    public String type() {
        return ProviderType.LINKEDIN_ADS.wireName();
    }

    @Override
    public URI authorizeUrl(AuthorizeRequest request) {
        if (clientId.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.linkedin.client-id is not set");
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", request.redirectUri());
        query.put("state", request.state());
        query.put("scope", SCOPE);
        // URLEncoder writes the scopes' space as '+', which LinkedIn's page would read as a literal plus sign.
        String encoded = TokenEndpoint.encode(query).replace("+", "%20");
        return URI.create(TokenEndpoint.appendQuery(authorizeUrl, encoded));
    }

    @Override
    public Granted complete(CallbackRequest callback) {
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw OAuthException.notConfigured("leadsync.linkedin.client-id and leadsync.linkedin.client-secret must"
                    + " be set to connect LinkedIn");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", callback.code());
        form.put("redirect_uri", callback.redirectUri());
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        JsonNode answer = tokens.postForm(PLATFORM, tokenUrl, form, Map.of());
        String accessToken = answer.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw OAuthException.unavailable("LinkedIn answered the code exchange without an access token; try"
                    + " again in a moment.", null);
        }
        long seconds = answer.path("expires_in").asLong(0);
        Instant expiresAt = clock.instant().plus(seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME);
        String refresh = answer.path("refresh_token").asText("");
        String refreshToken = refresh.isEmpty() ? null : refresh;
        List<GrantedConnection> granted = new ArrayList<>();
        for (String accountId : accountsWithLeadRole(accessToken, callback)) {
            callback.inTime("looking up ad account " + accountId);
            adAccountName(accountId, accessToken).ifPresent(name -> granted.add(new GrantedConnection(accountId,
                    name.isBlank() ? null : name, accessToken, refreshToken, expiresAt, Map.of())));
        }
        return new Granted.Connections(ProviderType.LINKEDIN_ADS, granted);
    }

    /** The sponsored accounts the member holds a lead-reading role on, each once, in LinkedIn's order. */
    private Set<String> accountsWithLeadRole(String accessToken, CallbackRequest callback) {
        Set<String> accounts = new LinkedHashSet<>();
        for (int start = 0; start < MAX_ACCOUNTS; start += PAGE) {
            callback.inTime("listing your ad accounts");
            int from = start;
            JsonNode page;
            try {
                page = LinkedInCalls.call(json, maxAnswer, "ad account listing",
                        () -> api.adAccountUsers("authenticatedUser", from, PAGE, "Bearer " + accessToken, version));
            } catch (ProviderCallException e) {
                throw switch (e.kind()) {
                    case UNAUTHORIZED, FORBIDDEN -> OAuthException.refused("LinkedIn refused to list your ad"
                            + " accounts (" + e.getMessage() + "). The app needs the Advertising API and Lead Sync"
                            + " API products; connect again and allow every permission asked for.");
                    default -> OAuthException.unavailable("LinkedIn could not list your ad accounts ("
                            + e.getMessage() + "); try again in a moment.", e);
                };
            }
            JsonNode elements = page.path("elements");
            for (JsonNode user : elements) {
                Optional<String> id = LinkedInUrns.idOf(user.path("account").asText(""), LinkedInUrns.SPONSORED_ACCOUNT)
                        .filter(LinkedInUrns::isAccountId);
                if (id.isPresent() && LEAD_ROLES.contains(user.path("role").asText(""))) {
                    accounts.add(id.get());
                }
            }
            // A short page is not the end (providers.md §3.7): only an empty one, or the total reached, is.
            int total = page.path("paging").path("total").asInt(Integer.MAX_VALUE);
            if (elements.isEmpty() || start + elements.size() >= total) {
                break;
            }
        }
        return accounts;
    }

    /** The account's name when LinkedIn shows it to the member; empty when it does not (role gone, account gone). */
    private Optional<String> adAccountName(String accountId, String accessToken) {
        try {
            JsonNode account = LinkedInCalls.call(json, maxAnswer, "ad account lookup",
                    () -> api.adAccount(accountId, "Bearer " + accessToken, version));
            return Optional.of(account.path("name").asText(""));
        } catch (ProviderCallException e) {
            return switch (e.kind()) {
                case UNAUTHORIZED, FORBIDDEN, NOT_FOUND -> {
                    LOG.infof("LinkedIn ad account %s is listed for the grant but cannot be read, left out: %s",
                            accountId, e.getMessage());
                    yield Optional.empty();
                }
                default -> throw OAuthException.unavailable("LinkedIn could not be asked about ad account "
                        + accountId + " (" + e.getMessage() + "); try again in a moment.", e);
            };
        }
    }
}
