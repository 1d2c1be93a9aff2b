package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.account.AccountRepository;
import com.leadsync.connect.ConnectionRepository;
import com.leadsync.connect.WebhookKeyTaken;
import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedConnection;
import com.leadsync.connect.oauth.GrantedDestination;
import com.leadsync.connect.oauth.OAuthException;
import com.leadsync.connect.oauth.OAuthPlatform;
import com.leadsync.connect.oauth.OAuthPlatforms;
import com.leadsync.connect.oauth.OAuthStates;
import com.leadsync.connect.oauth.PendingState;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.delivery.DestinationRepository;
import com.leadsync.delivery.Destinations;
import com.leadsync.delivery.ReauthorizedDeliveries;
import com.leadsync.ingest.UnroutedLeads;
import com.leadsync.model.ConditionFailed;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * OAuth connect (contract §10): {@code GET /oauth/{type}/authorize} (API key) sends the person to the platform's
 * consent page with a signed single-use state; {@code GET /oauth/{type}/callback} (no key: the state stands for it)
 * exchanges the code and stores what the grant reaches — one connection per ad account (an account already connected
 * to this LeadSync account gets the new tokens, which also releases its parked leads), or one CRM destination
 * (created disabled; the same CRM account connected again gets the new tokens, and its deliveries that failed for
 * want of re-authorization are sent again) — then sends the browser to
 * {@code /admin}. The state is bound to the browser that asked for it ({@link OAuthBrowserCookie}), so a consent
 * link finished in another browser stores nothing. Whatever goes wrong on the callback is a plain page saying what
 * happened, and nothing is stored.
 */
@ApplicationScoped
public class OAuthRoutes implements Routes {

    private static final Logger LOG = Logger.getLogger(OAuthRoutes.class);
    private static final int UPDATE_ROUNDS = 3;

    private final OAuthPlatforms platforms;
    private final OAuthStates states;
    private final AccountRepository accounts;
    private final ConnectionRepository connections;
    private final UnroutedLeads unrouted;
    private final DestinationRepository destinations;
    private final Destinations registry;
    private final ReauthorizedDeliveries waiting;
    private final AccountLimits limits;
    private final Clock clock;
    private final Duration callbackBudget;
    private final Optional<String> publicUrl;
    private final OAuthBrowserCookie browserCookie;

    OAuthRoutes(OAuthPlatforms platforms, OAuthStates states, AccountRepository accounts,
            ConnectionRepository connections, UnroutedLeads unrouted, DestinationRepository destinations,
            Destinations registry, ReauthorizedDeliveries waiting, AccountLimits limits, Clock clock,
            @ConfigProperty(name = "leadsync.public-url") Optional<String> publicUrl,
            @ConfigProperty(name = "leadsync.oauth.callback-budget") Duration callbackBudget) {
        this.platforms = platforms;
        this.states = states;
        this.accounts = accounts;
        this.connections = connections;
        this.unrouted = unrouted;
        this.destinations = destinations;
        this.registry = registry;
        this.waiting = waiting;
        this.limits = limits;
        this.clock = clock;
        this.callbackBudget = callbackBudget;
        this.publicUrl = publicUrl.map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.browserCookie = OAuthBrowserCookie.forPublicUrl(this.publicUrl);
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/oauth/{type}/authorize", this::authorize);
        router.add("GET", "/oauth/{type}/callback", new OpenRoute(this::callback));
    }

    HttpApiResponse authorize(Request req) {
        String type = req.param("type");
        OAuthPlatform platform = platforms.find(type).orElseThrow(() -> ApiError.notFound(
                "no OAuth connect for '" + type + "'; one of " + platforms.types()));
        String account = req.caller().account(req.query("account_id"));
        String redirectUri = redirectUri(req, type);
        OAuthStates.Issued issued = states.issue(account, type, platform.usesPkce());
        URI url;
        try {
            url = platform.authorizeUrl(new AuthorizeRequest(account, issued.state(), redirectUri,
                    issued.codeChallenge()));
        } catch (OAuthException e) {
            throw ApiError.unavailable(e.getMessage());
        }
        // The JSON answer sets it too: a same-origin fetch (the admin panel) stores it in the browser all the same.
        String cookie = browserCookie.set(issued.browserKey());
        String accept = req.event().header("accept");
        if (accept != null && accept.toLowerCase().contains("application/json")) {
            ObjectNode out = req.json().object();
            out.put("authorizeUrl", url.toString());
            return req.json().ok(200, out).withCookie(cookie);
        }
        return redirect(url.toString()).withCookie(cookie);
    }

    /** The callback, whatever its outcome forgetting the browser's cookie: one connect, one use. */
    HttpApiResponse callback(Request req) {
        return complete(req, browserCookie.of(req.event())).withCookie(browserCookie.cleared());
    }

    private HttpApiResponse complete(Request req, String browserKey) {
        String type = req.param("type");
        Optional<OAuthPlatform> found = platforms.find(type);
        if (found.isEmpty()) {
            return page(404, "Unknown connection type", "LeadSync has no OAuth connect for '" + type + "'.");
        }
        OAuthPlatform platform = found.get();
        Map<String, String> query = req.event().query();
        try {
            String error = query.get("error");
            if (error != null) {
                // The state is used up either way: a denied consent is the end of this request.
                consumeQuietly(type, query.get("state"), browserKey);
                String description = query.getOrDefault("error_description", "");
                throw OAuthException.refused(("access_denied".equals(error)
                        ? "The connection was not allowed on the platform's consent page"
                        : "The platform reported an error: " + error)
                        + (description.isBlank() ? "" : " (" + description + ")")
                        + ". Nothing was stored; start the connection again to retry.");
            }
            PendingState pending = states.consume(type, query.get("state"), browserKey);
            String code = Optional.ofNullable(query.get("code")).orElse(query.get("auth_code"));
            if (code == null || code.isBlank()) {
                throw OAuthException.refused("The platform sent no authorization code. Nothing was stored; start"
                        + " the connection again.");
            }
            if (!accounts.exists(pending.accountId())) {
                throw OAuthException.refused("The LeadSync account this connection was started for no longer"
                        + " exists.");
            }
            Granted granted = platform.complete(new CallbackRequest(pending.accountId(), code, Map.copyOf(query),
                    redirectUri(req, type), pending.codeVerifier(), CallbackRequest.deadlineIn(callbackBudget)));
            String outcome = store(pending.accountId(), granted);
            return redirect("/admin?connected=" + type + "&" + outcome);
        } catch (OAuthException e) {
            int status = switch (e.kind()) {
                case REFUSED -> 400;
                case UNAVAILABLE -> 502;
                case NOT_CONFIGURED -> 503;
            };
            if (e.kind() != OAuthException.Kind.REFUSED) {
                LOG.warnf("OAuth callback of %s failed: %s", type, e.getMessage());
            }
            return page(status, "The connection could not be completed", e.getMessage());
        } catch (ApiError e) {
            return page(e.status(), "The connection could not be completed", e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "OAuth callback of %s failed", type);
            return page(500, "The connection could not be completed", "Something went wrong on our side; part of it"
                    + " may have been stored. Start the connection again in a moment.");
        }
    }

    private void consumeQuietly(String type, String state, String browserKey) {
        try {
            states.consume(type, state, browserKey);
        } catch (OAuthException ignored) {
            // not a state of ours, or used already: nothing to void (one from another browser is voided all the same)
        }
    }

    /** Stores what the grant reaches; the counts for the {@code /admin} link. */
    private String store(String accountId, Granted granted) {
        if (granted instanceof Granted.Connections c) {
            return storeConnections(accountId, c.type(), c.connections());
        }
        return storeDestination(accountId, ((Granted.Destination) granted).destination());
    }

    private String storeConnections(String accountId, ProviderType type, List<GrantedConnection> granted) {
        if (granted.isEmpty()) {
            throw OAuthException.refused("The authorization reaches no " + type.wireName() + " account LeadSync"
                    + " can read leads from. Nothing was stored.");
        }
        int created = 0;
        int updated = 0;
        int elsewhere = 0;
        for (GrantedConnection g : granted) {
            Optional<Connection> existing = connections.findByRoute(type, g.externalId());
            if (existing.isPresent() && !existing.get().accountId().equals(accountId)) {
                // Another LeadSync account connected it first: it keeps it (contract: one connection per page).
                elsewhere++;
                continue;
            }
            if (existing.isPresent()) {
                reconnect(existing.get(), g);
                updated++;
                continue;
            }
            Connection c = new Connection("con_" + UUID.randomUUID().toString().replace("-", ""), accountId, type,
                    g.externalId(), g.accessToken(), g.refreshToken(), g.expiresAt(), g.config(), clock.instant(),
                    ConnectionStatus.ACTIVE, null);
            try {
                connections.create(c);
                unrouted.drain(c);
                created++;
            } catch (WebhookKeyTaken e) {
                throw OAuthException.refused("The webhook key of " + type.wireName() + " account " + g.externalId()
                        + " is used by another connection. Nothing more was stored.");
            } catch (ConditionFailed raced) {
                // Connected meanwhile (a second callback, a POST): the route's connection gets these tokens if ours.
                Optional<Connection> now = connections.findByRoute(type, g.externalId())
                        .filter(x -> x.accountId().equals(accountId));
                if (now.isPresent()) {
                    reconnect(now.get(), g);
                    updated++;
                } else {
                    elsewhere++;
                }
            }
        }
        return "created=" + created + "&updated=" + updated + "&connectedElsewhere=" + elsewhere;
    }

    /** New tokens in place (the route keeps pointing at it), active again; parked leads go on. */
    private void reconnect(Connection current, GrantedConnection g) {
        Map<String, String> config = new LinkedHashMap<>(current.config());
        // A stored secret stays: the webhook key is routed by an item written once, on create.
        g.config().forEach((key, value) -> {
            if (!Connection.isSecretConfigKey(key) || !config.containsKey(key)) {
                config.put(key, value);
            }
        });
        Connection c = new Connection(current.connectionId(), current.accountId(), current.providerType(),
                current.externalId(), g.accessToken(), g.refreshToken(), g.expiresAt(), config, current.createdAt(),
                ConnectionStatus.ACTIVE, null);
        connections.replaceTokens(c);
        unrouted.drain(c);
    }

    private String storeDestination(String accountId, GrantedDestination g) {
        if (registry.find(g.type()).isEmpty()) {
            throw OAuthException.notConfigured("destination type '" + g.type() + "' is not available in this build");
        }
        for (int round = 1; ; round++) {
            Optional<DestinationConfig> same = destinations.listByAccount(accountId).stream()
                    .filter(d -> d.type().equals(g.type()))
                    .filter(d -> g.identity().equals(d.config().get(GrantedDestination.CONNECTED_ACCOUNT)))
                    .findFirst();
            if (same.isEmpty()) {
                return "created=1&destinationId=" + createDestination(accountId, g);
            }
            DestinationConfig current = same.get();
            Map<String, String> config = new HashMap<>(current.config());
            config.putAll(g.config());
            config.put(GrantedDestination.CONNECTED_ACCOUNT, g.identity());
            Instant now = clock.instant();
            DestinationConfig d = new DestinationConfig(current.destinationId(), current.accountId(), current.type(),
                    current.name(), current.enabled(), config, current.fieldMapping(), current.createdAt(), now,
                    current.tokenVersion() + 1, ConnectionStatus.ACTIVE, null, g.tokenExpiresAt(), current.flowsOnly());
            validate(d);
            if (destinations.update(d, current.tokenVersion())) {
                // Deliveries that failed for want of these tokens go again (an enabled destination only sends).
                ReauthorizedDeliveries.Released released = d.enabled() ? waiting.release(d)
                        : new ReauthorizedDeliveries.Released(0, true);
                return "updated=1&destinationId=" + d.destinationId() + "&resent=" + released.queued()
                        + (released.complete() ? "" : "&resentComplete=false");
            }
            if (round == UPDATE_ROUNDS) {
                throw OAuthException.unavailable("The destination kept changing while it was being updated; start"
                        + " the connection again.", null);
            }
        }
    }

    private String createDestination(String accountId, GrantedDestination g) {
        Map<String, String> config = new HashMap<>(g.config());
        config.put(GrantedDestination.CONNECTED_ACCOUNT, g.identity());
        Instant now = clock.instant();
        DestinationConfig d = new DestinationConfig("dst_" + UUID.randomUUID().toString().replace("-", ""),
                accountId, g.type(), g.name(), false, config, Map.of(), now, now, 0, ConnectionStatus.ACTIVE, null,
                g.tokenExpiresAt(), false);
        validate(d);
        limits.newDestination(accountId, () -> {
            destinations.put(d);
            return d;
        });
        return d.destinationId();
    }

    private void validate(DestinationConfig d) {
        List<String> problems = registry.problems(d.target());
        if (!problems.isEmpty()) {
            // The platform's answer does not make a usable destination: a bug on one side, said plainly.
            throw OAuthException.unavailable("The " + d.type() + " authorization did not give a usable destination: "
                    + String.join("; ", problems), null);
        }
    }

    /**
     * {@code {leadsync.public-url}/oauth/{type}/callback}; without one, the domain the API was reached at (API
     * Gateway's {@code requestContext.domainName}: the template cannot pass the API's own URL to its function without
     * a circular dependency).
     */
    private String redirectUri(Request req, String type) {
        String base = publicUrl.orElseGet(() -> {
            HttpApiEvent.RequestContext context = req.event().requestContext();
            String domain = context == null ? null : context.domainName();
            if (domain == null || domain.isBlank()) {
                throw ApiError.unavailable("leadsync.public-url is not set: OAuth connect needs the URL users reach"
                        + " LeadSync at (template parameter PublicUrl)");
            }
            return "https://" + domain;
        });
        return base + "/oauth/" + type + "/callback";
    }

    private static HttpApiResponse redirect(String location) {
        return new HttpApiResponse(302, Map.of("location", location, "cache-control", "no-store"), "", false);
    }

    /** A plain page for the person in the browser, everything in it escaped, no script. */
    private static HttpApiResponse page(int status, String title, String message) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>LeadSync: "
                + Html.escape(title) + "</title></head><body><h1>" + Html.escape(title) + "</h1><p>"
                + Html.escape(message) + "</p><p><a href=\"/admin\">Back to LeadSync</a></p></body></html>";
        return new HttpApiResponse(status, Map.of("content-type", "text/html; charset=utf-8", "cache-control",
                "no-store", "content-security-policy", "default-src 'none'"), html, false);
    }
}
