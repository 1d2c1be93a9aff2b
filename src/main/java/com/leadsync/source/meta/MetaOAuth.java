package com.leadsync.source.meta;

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
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Connecting Meta pages by Facebook Login (providers.md §1.4): the consent dialog asks for the lead scopes; the code
 * is exchanged for a short-lived user token, that for a long-lived one (so that the page tokens {@code /me/accounts}
 * gives have no expiry), and every page the person may read leads of becomes one connection with its page token.
 * Each of those pages gets this app subscribed to its {@code leadgen} field, because without that no lead webhook
 * ever comes; a page Meta will not subscribe fails the whole connect (nothing is stored, the page and Meta's reason
 * are named), so no page is ever connected that only polling would feed.
 */
@ApplicationScoped
public class MetaOAuth implements OAuthPlatform {

    private static final Logger LOG = Logger.getLogger(MetaOAuth.class);
    static final String SCOPES = "leads_retrieval,pages_show_list,pages_manage_metadata,pages_read_engagement,"
            + "ads_management";
    static final String PAGE_FIELDS = "id,name,access_token,tasks";
    static final int PAGE_LIMIT = 100;
    /** 50 listing pages of 100: an agency's pages fit; a Graph that keeps answering "next" is not followed for ever. */
    static final int MAX_LISTING_PAGES = 50;
    /** A person's page tasks that allow reading the page's leads (MANAGE is every task). */
    private static final Set<String> LEAD_TASKS = Set.of("MANAGE", "ADVERTISE");
    private static final String PLATFORM = "Meta";

    private final TokenEndpoint tokens;
    private final MetaGraphApi graph;
    private final ObjectMapper json;
    private final String version;
    private final long maxAnswer;
    private final String authorizeUrl;
    private final String tokenUrl;
    private final Optional<String> appId;
    private final Optional<String> appSecret;

    MetaOAuth(TokenEndpoint tokens, @RestClient MetaGraphApi graph, ObjectMapper json,
            @ConfigProperty(name = "leadsync.meta.graph-version") String version,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer,
            @ConfigProperty(name = "leadsync.oauth.meta.authorize-url") String authorizeUrl,
            @ConfigProperty(name = "leadsync.oauth.meta.token-url") String tokenUrl,
            @ConfigProperty(name = "leadsync.meta.app-id") Optional<String> appId,
            @ConfigProperty(name = "leadsync.meta.app-secret") Optional<String> appSecret) {
        this.tokens = tokens;
        this.graph = graph;
        this.json = json;
        this.version = version;
        this.maxAnswer = maxAnswer.asLongValue();
        this.authorizeUrl = authorizeUrl;
        this.tokenUrl = tokenUrl;
        this.appId = appId.map(String::trim).filter(s -> !s.isEmpty());
        this.appSecret = appSecret.map(String::trim).filter(s -> !s.isEmpty());
    }

    @Override
    public String type() {
        return ProviderType.META_LEAD_ADS.wireName();
    }

    @Override
    public URI authorizeUrl(AuthorizeRequest request) {
        String clientId = appId();
        appSecret(); // checked before the person is sent away: the exchange would fail without it
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", clientId);
        query.put("redirect_uri", request.redirectUri());
        query.put("state", request.state());
        query.put("response_type", "code");
        query.put("scope", SCOPES);
        return URI.create(TokenEndpoint.appendQuery(authorizeUrl, TokenEndpoint.encode(query)));
    }

    @Override
    public Granted complete(CallbackRequest callback) {
        String shortLived = accessToken(tokens.get(PLATFORM, tokenUrl, Map.of("client_id", appId(),
                "client_secret", appSecret(), "redirect_uri", callback.redirectUri(), "code", callback.code()),
                Map.of()), "the code exchange");
        String longLived = accessToken(tokens.get(PLATFORM, tokenUrl, Map.of("grant_type", "fb_exchange_token",
                "client_id", appId(), "client_secret", appSecret(), "fb_exchange_token", shortLived), Map.of()),
                "the long-lived token exchange");
        List<GrantedConnection> pages = pages(longLived, callback);
        for (GrantedConnection page : pages) {
            callback.inTime("subscribing LeadSync to the leads of page " + page.externalId());
            subscribe(page);
        }
        return new Granted.Connections(ProviderType.META_LEAD_ADS, pages);
    }

    /** Every page of {@code /me/accounts} the person may read leads of, each with its page token. */
    List<GrantedConnection> pages(String userToken, CallbackRequest callback) {
        List<GrantedConnection> pages = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        int withoutLeadTasks = 0;
        String after = null;
        for (int listing = 1; ; listing++) {
            callback.inTime("listing your pages");
            String cursor = after;
            JsonNode answer = graphCall("listing your pages", () -> graph.accounts(version, PAGE_FIELDS, PAGE_LIMIT,
                    cursor, "Bearer " + userToken));
            for (JsonNode page : answer.path("data")) {
                String id = page.path("id").asText("");
                String token = page.path("access_token").asText("");
                if (!MetaWebhookParser.isMetaId(id) || token.isBlank()) {
                    continue; // not a page LeadSync could call for; Meta leaves out the token of a page it restricts
                }
                if (!allowsLeads(page.get("tasks"))) {
                    withoutLeadTasks++;
                    continue;
                }
                String name = page.path("name").asText("");
                pages.add(new GrantedConnection(id, name.isBlank() ? null : name, token, null, null, Map.of()));
            }
            JsonNode paging = answer.path("paging");
            after = paging.path("cursors").path("after").asText("");
            if (!paging.hasNonNull("next") || after.isBlank()) {
                break;
            }
            if (!cursors.add(after)) {
                throw OAuthException.unavailable("Meta's page listing repeated itself; try again in a moment.", null);
            }
            if (listing == MAX_LISTING_PAGES) {
                throw OAuthException.refused("This Facebook account manages more than " + MAX_LISTING_PAGES * PAGE_LIMIT
                        + " pages, more than LeadSync connects in one authorization. Nothing was stored.");
            }
        }
        if (withoutLeadTasks > 0) {
            LOG.infof("Meta connect: %d page(s) left out, the person has no ADVERTISE or MANAGE task on them",
                    withoutLeadTasks);
        }
        return pages;
    }

    /** A page's {@code tasks} (when Meta says them) must allow leads; without {@code tasks} the page is kept. */
    static boolean allowsLeads(JsonNode tasks) {
        if (tasks == null || !tasks.isArray()) {
            return true;
        }
        for (JsonNode task : tasks) {
            if (LEAD_TASKS.contains(task.asText())) {
                return true;
            }
        }
        return false;
    }

    private void subscribe(GrantedConnection page) {
        JsonNode answer = graphCall("subscribing LeadSync to the leads of page " + page.externalId(),
                () -> graph.subscribeApp(version, page.externalId(), "leadgen", "Bearer " + page.accessToken()));
        if (!answer.path("success").asBoolean(false)) {
            throw OAuthException.unavailable("Meta did not confirm subscribing LeadSync to the leads of page "
                    + page.externalId() + ". Nothing was stored; try again in a moment.", null);
        }
    }

    private JsonNode graphCall(String what, Supplier<Response> call) {
        try {
            return MetaGraphCalls.call(json, maxAnswer, what, call);
        } catch (ProviderCallException e) {
            if (e.isTransient()) {
                throw OAuthException.unavailable("Meta could not answer while " + what + " (" + e.getMessage()
                        + "). Nothing was stored; try again in a moment.", e);
            }
            throw OAuthException.refused("Meta refused " + what + " (" + e.getMessage() + "). Nothing was stored;"
                    + " check that you manage the page and granted every permission asked for, then connect again.");
        }
    }

    private static String accessToken(JsonNode answer, String what) {
        String token = answer.path("access_token").asText("");
        if (token.isBlank()) {
            throw OAuthException.unavailable("Meta answered " + what + " without an access token; try again in a"
                    + " moment.", null);
        }
        return token;
    }

    private String appId() {
        return appId.orElseThrow(() -> OAuthException.notConfigured("leadsync.meta.app-id is not set"));
    }

    private String appSecret() {
        return appSecret.orElseThrow(() -> OAuthException.notConfigured("leadsync.meta.app-secret is not set"));
    }
}
