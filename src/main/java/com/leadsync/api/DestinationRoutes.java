package com.leadsync.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.connect.oauth.OAuthPlatforms;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.Destination;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.delivery.DestinationRepository;
import com.leadsync.delivery.Destinations;
import com.leadsync.model.ConnectionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/** CRM destinations: CRUD and a check that sends nothing. Secret config values are write-only. */
@ApplicationScoped
public class DestinationRoutes implements Routes {

    private static final Logger LOG = Logger.getLogger(DestinationRoutes.class);

    /** The contract's destination types; the ones without an implementation in this build are refused (422). */
    static final Set<String> CONTRACT_TYPES = Set.of("hubspot", "salesforce", "zoho", "pipedrive", "http");

    /** Config keys that say when the given access token expires (see {@link #tokenExpiry}). */
    static final String EXPIRES_AT = "expiresAt";
    static final String EXPIRES_IN = "expiresIn";
    /** Ten years: longer is a mistake, not a token lifetime. */
    private static final long MAX_EXPIRES_IN = 315_360_000L;
    /** How often an update is built again when a token refresh wrote the destination meanwhile. */
    private static final int UPDATE_ROUNDS = 3;

    private final DestinationRepository store;
    private final Destinations registry;
    private final AccountLimits limits;
    private final Clock clock;
    private final OAuthPlatforms oauth;

    DestinationRoutes(DestinationRepository store, Destinations registry, AccountLimits limits, Clock clock,
            OAuthPlatforms oauth) {
        this.store = store;
        this.registry = registry;
        this.limits = limits;
        this.clock = clock;
        this.oauth = oauth;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/crm/destinations", this::list);
        router.add("POST", "/crm/destinations", this::create);
        router.add("GET", "/crm/destinations/{id}", this::get);
        router.add("PUT", "/crm/destinations/{id}", this::update);
        router.add("DELETE", "/crm/destinations/{id}", this::delete);
        router.add("POST", "/crm/destinations/{id}/test", this::test);
        router.add("GET", "/crm/destination-types", this::types);
    }

    /** What a form needs to create each type: which config keys are secrets, which say where it sends, and whether
     * it connects by OAuth. */
    HttpApiResponse types(Request req) {
        ObjectNode out = req.json().object();
        ArrayNode items = out.putArray("items");
        new TreeSet<>(CONTRACT_TYPES).forEach(type -> registry.find(type).ifPresent(d -> {
            ObjectNode item = items.addObject();
            item.put("type", type);
            new TreeSet<>(d.endpointKeys()).forEach(item.putArray("endpointKeys")::add);
            new TreeSet<>(d.secretKeys()).forEach(item.putArray("secretKeys")::add);
            item.put("oauth", oauth.find(type).isPresent());
        }));
        return req.json().ok(200, out);
    }

    HttpApiResponse list(Request req) {
        String account = req.caller().account(req.query("account_id"));
        ObjectNode out = req.json().object();
        ArrayNode items = out.putArray("items");
        store.listByAccount(account).forEach(d -> items.add(view(req, d)));
        return req.json().ok(200, out);
    }

    HttpApiResponse create(Request req) {
        ObjectNode body = req.body();
        String account = req.account(body);
        String type = Json.requiredText(body, "type");
        destinationType(type); // 422 for a type this build cannot deliver to
        Instant now = clock.instant();
        Map<String, String> config = new HashMap<>(orEmpty(Json.stringMap(body, "config")));
        Instant expiresAt = tokenExpiry(config, now);
        DestinationConfig d = new DestinationConfig("dst_" + UUID.randomUUID().toString().replace("-", ""), account,
                type, Json.requiredText(body, "name"), Json.bool(body, "enabled", true), config,
                orEmpty(Json.strictStringMap(body, "fieldMapping")), now, now, 0, ConnectionStatus.ACTIVE, null, expiresAt,
                flowsOnly(body, false));
        validate(d);
        limits.newDestination(account, () -> {
            store.put(d);
            return d;
        });
        return req.json().ok(201, view(req, d));
    }

    HttpApiResponse get(Request req) {
        return req.json().ok(200, view(req, visible(req)));
    }

    /**
     * Written only over the tokens it was built from: a refresh that stores new tokens between our read and our write
     * makes the write fail, and it is built again from the refreshed item (kept secrets are then the new ones).
     */
    HttpApiResponse update(Request req) {
        ObjectNode body = req.body();
        for (int round = 1; ; round++) {
            DestinationConfig current = visible(req);
            DestinationConfig d = updated(current, body);
            if (store.update(d, current.tokenVersion())) {
                return req.json().ok(200, view(req, d));
            }
            if (round == UPDATE_ROUNDS) {
                throw ApiError.conflict("destination " + current.destinationId() + " kept changing while it was"
                        + " being updated (its tokens were refreshed); try again");
            }
        }
    }

    private DestinationConfig updated(DestinationConfig current, ObjectNode body) {
        Destination destination = destinationType(current.type());
        String type = Json.text(body, "type");
        if (type != null && !type.equals(current.type())) {
            throw ApiError.invalid("'type' cannot change; create a new destination instead");
        }
        Instant now = clock.instant();
        Map<String, String> config = current.config();
        Map<String, String> given = Json.stringMap(body, "config");
        boolean newTokens = false;
        Instant expiresAt = current.tokenExpiresAt();
        if (given != null) {
            // Secrets are never shown, so a client cannot send them back: keep stored ones it leaves out -
            // unless the destination now points elsewhere (else a PUT + test could send them to any host).
            config = new HashMap<>(given);
            Instant givenExpiry = tokenExpiry(config, now);
            boolean sameEndpoint = destination.endpointKeys().stream()
                    .allMatch(key -> Objects.equals(given.get(key), current.config().get(key)));
            for (String secret : registry.secretKeys(destination.type())) {
                if (given.containsKey(secret)) {
                    newTokens = true;
                } else if (current.config().containsKey(secret)) {
                    if (sameEndpoint) {
                        config.put(secret, current.config().get(secret));
                    } else {
                        newTokens = true;
                    }
                }
            }
            if (newTokens || givenExpiry != null) {
                newTokens = true;
                expiresAt = givenExpiry;
            }
        }
        Map<String, String> mapping = Json.strictStringMap(body, "fieldMapping");
        String name = Json.text(body, "name");
        // Tokens a person gives are a new grant: a new version (a refresh of the old ones cannot store its result
        // over them) and active again, whatever made the old ones need re-authorization.
        DestinationConfig d = new DestinationConfig(current.destinationId(), current.accountId(), current.type(),
                name == null ? current.name() : name.trim(), Json.bool(body, "enabled", current.enabled()), config,
                mapping == null ? current.fieldMapping() : mapping, current.createdAt(), now,
                newTokens ? current.tokenVersion() + 1 : current.tokenVersion(),
                newTokens ? ConnectionStatus.ACTIVE : current.status(), newTokens ? null : current.statusReason(),
                expiresAt, flowsOnly(body, current.flowsOnly()));
        validate(d);
        return d;
    }

    /**
     * The access token's expiry, when the caller gave one: {@code config.expiresAt} (an ISO instant) or
     * {@code config.expiresIn} (seconds from now, as OAuth token answers say it). Taken out of {@code config}: it is
     * the tokens' state, stored beside them and updated by each refresh.
     */
    private static Instant tokenExpiry(Map<String, String> config, Instant now) {
        String at = config.remove(EXPIRES_AT);
        String in = config.remove(EXPIRES_IN);
        if (at != null && in != null) {
            throw ApiError.invalid("give config.expiresAt or config.expiresIn, not both");
        }
        if (at != null) {
            try {
                return Instant.parse(at.trim());
            } catch (DateTimeParseException e) {
                throw ApiError.invalid("config.expiresAt must be an ISO-8601 instant, e.g. 2026-03-07T15:00:00Z");
            }
        }
        if (in != null) {
            try {
                long seconds = Long.parseLong(in.trim());
                if (seconds > 0 && seconds <= MAX_EXPIRES_IN) {
                    return now.plusSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // the answer below
            }
            throw ApiError.invalid("config.expiresIn must be a whole number of seconds between 1 and " + MAX_EXPIRES_IN);
        }
        return null;
    }

    HttpApiResponse delete(Request req) {
        DestinationConfig d = visible(req);
        limits.deleteDestination(d.accountId(), () -> store.delete(d.destinationId()));
        return new HttpApiResponse(204, Map.of(), null, false);
    }

    /**
     * Contract §7: checks the credentials and the mapping against the CRM with reads only (never a lead sent, never
     * a record created). Whatever the check finds is its 200 answer, a destination's bug included.
     */
    HttpApiResponse test(Request req) {
        DestinationConfig d = visible(req);
        Destination destination = destinationType(d.type());
        ObjectNode out = req.json().object();
        out.put("destinationId", d.destinationId());
        List<String> problems = registry.problems(d.target());
        if (!problems.isEmpty()) {
            // Stored before this build refused it: what a delivery would fail with, without asking the CRM.
            return req.json().ok(200, failed(out, "destination config is not usable: " + String.join("; ", problems),
                    false));
        }
        try {
            CheckReport report = destination.check(d.target());
            out.put("ok", report.ok());
            out.put("message", report.message());
            ArrayNode unknown = out.putArray("unknownFields");
            report.unknownFields().forEach(unknown::add);
        } catch (DeliveryException e) {
            failed(out, e.getMessage(), e.retryable());
            if (e.httpStatus() != null) {
                out.put("httpStatus", e.httpStatus());
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "test of destination %s failed unexpectedly", d.destinationId());
            failed(out, "unexpected error in the " + d.type() + " destination: " + e, true);
        }
        return req.json().ok(200, out);
    }

    private static ObjectNode failed(ObjectNode out, String message, boolean retryable) {
        out.put("ok", false);
        out.put("message", message);
        out.put("retryable", retryable);
        out.putArray("unknownFields");
        return out;
    }

    private Destination destinationType(String type) {
        if (!CONTRACT_TYPES.contains(type)) {
            throw ApiError.invalid("'type' must be one of " + new TreeSet<>(CONTRACT_TYPES));
        }
        return registry.find(type)
                .orElseThrow(() -> ApiError.invalid("destination type '" + type + "' is not available yet"));
    }

    /** The checks made before every send, made on write too: each problem once, in one 422. */
    private void validate(DestinationConfig d) {
        List<String> problems = registry.problems(d.target());
        if (!problems.isEmpty()) {
            throw ApiError.invalid(String.join("; ", problems));
        }
    }

    private DestinationConfig visible(Request req) {
        String id = req.param("id");
        return store.get(id).filter(d -> req.caller().owns(d.accountId()))
                .orElseThrow(() -> ApiError.notFound("destination " + id + " not found"));
    }

    /**
     * {@code "receives"}: {@code "all"} (every lead of the account, the default) or {@code "flows"} (only the leads
     * its flows deliver to it: a flow that routes leads between destinations needs them to receive nothing else).
     */
    private static boolean flowsOnly(ObjectNode body, boolean fallback) {
        JsonNode v = body.get("receives");
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual() || !(v.asText().equals("all") || v.asText().equals("flows"))) {
            throw ApiError.invalid("'receives' must be \"all\" (every lead of the account) or \"flows\" (only the "
                    + "leads its flows deliver to it)");
        }
        return v.asText().equals("flows");
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }

    private ObjectNode view(Request req, DestinationConfig d) {
        Set<String> secrets = registry.secretKeys(d.type());
        ObjectNode out = req.json().object();
        out.put("id", d.destinationId());
        out.put("accountId", d.accountId());
        out.put("type", d.type());
        out.put("name", d.name());
        out.put("enabled", d.enabled());
        out.put("receives", d.flowsOnly() ? "flows" : "all");
        out.put("status", d.status().wireName());
        if (d.status() != ConnectionStatus.ACTIVE) {
            out.put("lastError", d.statusReason());
        }
        ObjectNode config = out.putObject("config");
        ArrayNode set = req.json().mapper().createArrayNode();
        d.config().forEach((k, v) -> {
            if (secrets.contains(k)) {
                set.add(k);
            } else {
                config.put(k, v);
            }
        });
        out.set("fieldMapping", req.json().mapper().valueToTree(d.fieldMapping()));
        out.set("secretsSet", set);
        out.put("createdAt", d.createdAt() == null ? null : d.createdAt().toString());
        out.put("updatedAt", d.updatedAt() == null ? null : d.updatedAt().toString());
        return out;
    }
}
