package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.connect.ConnectionRepository;
import com.leadsync.connect.WebhookKeyTaken;
import com.leadsync.ingest.UnroutedLeads;
import com.leadsync.model.ConditionFailed;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.poll.PollScheduler;
import com.leadsync.poll.PollState;
import com.leadsync.poll.PollStates;
import com.leadsync.poll.PollStatus;
import com.leadsync.source.AccessCheck;
import com.leadsync.source.ConnectionVerifier;
import com.leadsync.source.LeadSources;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Connected ad accounts with manually entered tokens (OAuth comes later). Tokens are write-only, and a
 * connection is stored only once the provider shows that its token reaches the account it names.
 */
@ApplicationScoped
public class ConnectionRoutes implements Routes {

    private final ConnectionRepository store;
    private final LeadSources sources;
    private final UnroutedLeads unrouted;
    private final PollStates polls;
    private final PollScheduler scheduler;
    private final Clock clock;

    ConnectionRoutes(ConnectionRepository store, LeadSources sources, UnroutedLeads unrouted, PollStates polls,
            PollScheduler scheduler, Clock clock) {
        this.store = store;
        this.sources = sources;
        this.unrouted = unrouted;
        this.polls = polls;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/connections", this::list);
        router.add("POST", "/connections", this::create);
        router.add("GET", "/connections/{id}", this::get);
        router.add("POST", "/connections/{id}/sync", this::sync);
        router.add("PUT", "/connections/{id}", this::replaceTokens);
        router.add("DELETE", "/connections/{id}", this::delete);
    }

    HttpApiResponse list(Request req) {
        String account = req.caller().account(req.query("account_id"));
        ObjectNode out = req.json().object();
        ArrayNode items = out.putArray("items");
        Map<String, PollStatus> polled = polls.statusByAccount(account);
        store.listByAccount(account).forEach(c -> items.add(view(req, c,
                polled.getOrDefault(c.connectionId(), PollStatus.NEVER))));
        return req.json().ok(200, out);
    }

    HttpApiResponse get(Request req) {
        Connection c = visible(req);
        return req.json().ok(200, view(req, c, pollState(c).map(PollState::last).orElse(PollStatus.NEVER)));
    }

    /** "Sync now": a poll of this connection is queued (the poller drops it if one starting later completes first). */
    HttpApiResponse sync(Request req) {
        Connection c = visible(req);
        if (pollState(c).map(PollState::needsReauth).orElse(false)) {
            throw ApiError.conflict("connection " + c.connectionId() + " needs to be re-authorized before it can"
                    + " be synced: reconnect it (PUT /connections/" + c.connectionId() + " with a new token)");
        }
        if (sources.lister(c.providerType()).isEmpty()) {
            throw ApiError.conflict(c.providerType().wireName() + " connections cannot be polled yet");
        }
        scheduler.requestNow(c);
        ObjectNode out = req.json().object();
        out.put("connectionId", c.connectionId());
        out.put("status", "queued");
        return req.json().ok(202, out);
    }

    private Optional<PollState> pollState(Connection c) {
        return polls.read(c.routeKey()).filter(s -> c.connectionId().equals(s.connectionId()));
    }

    HttpApiResponse create(Request req) {
        ObjectNode body = req.body();
        String account = req.account(body);
        String typeName = Json.requiredText(body, "providerType");
        ProviderType type = ProviderType.fromWire(typeName)
                .orElseThrow(() -> ApiError.invalid("unknown providerType '" + typeName + "'"));
        ConnectionVerifier verifier = sources.verifier(type).filter(v -> sources.mapper(type).isPresent())
                .orElseThrow(() -> ApiError.invalid("providerType '" + typeName + "' is not supported yet"));
        String externalId = Json.requiredText(body, "externalId");
        verifier.externalIdProblem(externalId).ifPresent(problem -> {
            throw ApiError.invalid(problem);
        });
        Map<String, String> config = Json.stringMap(body, "config");
        checkConfig(verifier, config == null ? Map.of() : config);
        Connection c = new Connection("con_" + UUID.randomUUID().toString().replace("-", ""), account, type,
                externalId, Json.requiredText(body, "accessToken", Json.MAX_TOKEN), Json.text(body, "refreshToken", Json.MAX_TOKEN),
                Json.instant(body, "expiresAt"), config, clock.instant(), ConnectionStatus.ACTIVE, null);
        checkTokens(verifier, c);
        // Before the "already connected" check: only a caller who proved access learns that a page is taken.
        verify(verifier, c);
        try {
            store.create(c);
        } catch (WebhookKeyTaken e) {
            // A retried POST of the caller's own connection holds the key too: that is "already connected".
            Connection own = store.findByRoute(type, externalId)
                    .filter(existing -> existing.accountId().equals(account))
                    .filter(existing -> sameSecret(existing.webhookKey(), c.webhookKey())).orElse(null);
            if (own == null) {
                throw ApiError.conflict("that webhookKey is already used by another connection: choose another key");
            }
            unrouted.drain(own);
            throw ApiError.conflict(type.wireName() + " account " + externalId + " is already connected");
        } catch (ConditionFailed e) {
            // The caller's own connection (e.g. a retry after a failure): its waiting leads are queued again.
            store.findByRoute(type, externalId).filter(existing -> existing.accountId().equals(account))
                    .ifPresent(unrouted::drain);
            throw ApiError.conflict(type.wireName() + " account " + externalId + " is already connected");
        }
        unrouted.drain(c);
        return req.json().ok(201, view(req, c, PollStatus.NEVER));
    }

    /** Token rotation in place: the route keeps pointing at this connection throughout, so no lead is missed. */
    HttpApiResponse replaceTokens(Request req) {
        Connection current = visible(req);
        ObjectNode body = req.body();
        Map<String, String> given = Json.stringMap(body, "config");
        Map<String, String> config = given == null ? current.config() : Connection.keepingSecrets(given, current.config());
        // The key item that routes webhooks is written once, on create: a new key would not route.
        if (!sameSecret(config.get(Connection.WEBHOOK_KEY), current.webhookKey())) {
            throw ApiError.invalid("'config." + Connection.WEBHOOK_KEY + "' cannot be changed in place: delete the"
                    + " connection and connect it again with the new key (leave it out to keep the current one)");
        }
        ConnectionVerifier verifier = sources.verifier(current.providerType())
                .orElseThrow(() -> ApiError.invalid("providerType '" + current.providerType().wireName()
                        + "' is not supported yet"));
        checkConfig(verifier, config);
        Connection c = new Connection(current.connectionId(), current.accountId(), current.providerType(),
                current.externalId(), Json.requiredText(body, "accessToken", Json.MAX_TOKEN), Json.text(body, "refreshToken", Json.MAX_TOKEN),
                Json.instant(body, "expiresAt"), config, current.createdAt(), ConnectionStatus.ACTIVE, null);
        checkTokens(verifier, c);
        verify(verifier, c);
        try {
            store.replaceTokens(c);
        } catch (ConditionFailed gone) {
            throw ApiError.notFound("connection " + c.connectionId() + " not found");
        }
        unrouted.drain(c);
        return req.json().ok(200, view(req, c, pollState(c).map(PollState::last).orElse(PollStatus.NEVER)));
    }

    HttpApiResponse delete(Request req) {
        Connection c = visible(req);
        store.delete(c);
        return new HttpApiResponse(204, Map.of(), null, false);
    }

    private Connection visible(Request req) {
        String id = req.param("id");
        return store.findById(id).filter(x -> req.caller().owns(x.accountId()))
                .orElseThrow(() -> ApiError.notFound("connection " + id + " not found"));
    }

    private static void checkConfig(ConnectionVerifier verifier, Map<String, String> config) {
        verifier.configProblem(config).ifPresent(problem -> {
            throw ApiError.invalid(problem);
        });
    }

    private static void checkTokens(ConnectionVerifier verifier, Connection c) {
        verifier.tokensProblem(c).ifPresent(problem -> {
            throw ApiError.invalid(problem);
        });
    }

    private static boolean sameSecret(String a, String b) {
        return a == null || b == null ? Objects.equals(a, b)
                : MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static void verify(ConnectionVerifier verifier, Connection c) {
        String account = c.providerType().wireName() + " account " + c.externalId();
        AccessCheck check = verifier.check(c);
        if (check instanceof AccessCheck.NotReached no) {
            throw ApiError.invalid("the access token does not reach " + account + ": " + no.reason());
        }
        if (check instanceof AccessCheck.Unavailable down) {
            throw ApiError.unavailable("could not check that the access token reaches " + account + " ("
                    + down.reason() + "); try again later");
        }
    }

    private static ObjectNode view(Request req, Connection c, PollStatus polled) {
        ObjectNode out = req.json().object();
        out.put("id", c.connectionId());
        out.put("accountId", c.accountId());
        out.put("providerType", c.providerType().wireName());
        out.put("externalId", c.externalId());
        out.put("status", c.status().wireName());
        if (c.statusReason() != null) {
            out.put("statusReason", c.statusReason());
        }
        out.put("hasRefreshToken", c.refreshToken() != null);
        out.put("expiresAt", c.expiresAt() == null ? null : c.expiresAt().toString());
        // Secrets are write-only: only their names are shown, in secretsSet (as destinations do).
        ObjectNode config = out.putObject("config");
        ArrayNode secretsSet = out.putArray("secretsSet");
        new TreeMap<>(c.config()).forEach((key, value) -> {
            if (Connection.isSecretConfigKey(key)) {
                secretsSet.add(key);
            } else {
                config.put(key, value);
            }
        });
        out.put("createdAt", c.createdAt().toString());
        out.put("lastPolledAt", polled.lastPolledAt() == null ? null : polled.lastPolledAt().toString());
        out.put("lastPollStatus", polled.lastPollStatus());
        out.put("lastPollError", polled.lastPollError());
        out.put("lastPollLeads", polled.lastPollLeads());
        return out;
    }
}
