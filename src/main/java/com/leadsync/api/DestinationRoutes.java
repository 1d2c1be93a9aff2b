package com.leadsync.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.Destination;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.delivery.DestinationRepository;
import com.leadsync.delivery.Destinations;
import com.leadsync.delivery.FieldMapper;
import com.leadsync.delivery.RateLimitOverride;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/** CRM destinations: CRUD and a test send. Secret config values are write-only. */
@ApplicationScoped
public class DestinationRoutes implements Routes {

    private static final Logger LOG = Logger.getLogger(DestinationRoutes.class);

    /** The contract's destination types; the ones without an implementation in this build are refused (422). */
    static final Set<String> CONTRACT_TYPES = Set.of("hubspot", "salesforce", "zoho", "pipedrive", "http");

    private final DestinationRepository store;
    private final Destinations registry;
    private final AccountLimits limits;
    private final Clock clock;

    DestinationRoutes(DestinationRepository store, Destinations registry, AccountLimits limits, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/crm/destinations", this::list);
        router.add("POST", "/crm/destinations", this::create);
        router.add("GET", "/crm/destinations/{id}", this::get);
        router.add("PUT", "/crm/destinations/{id}", this::update);
        router.add("DELETE", "/crm/destinations/{id}", this::delete);
        router.add("POST", "/crm/destinations/{id}/test", this::test);
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
        Destination destination = destinationType(type);
        Instant now = clock.instant();
        DestinationConfig d = new DestinationConfig("dst_" + UUID.randomUUID().toString().replace("-", ""), account,
                type, Json.requiredText(body, "name"), enabled(body, true), orEmpty(Json.stringMap(body, "config")),
                orEmpty(Json.stringMap(body, "fieldMapping")), now, now);
        validate(destination, d);
        limits.newDestination(account, () -> {
            store.put(d);
            return d;
        });
        return req.json().ok(201, view(req, d));
    }

    HttpApiResponse get(Request req) {
        return req.json().ok(200, view(req, visible(req)));
    }

    HttpApiResponse update(Request req) {
        DestinationConfig current = visible(req);
        ObjectNode body = req.body();
        Destination destination = destinationType(current.type());
        String type = Json.text(body, "type");
        if (type != null && !type.equals(current.type())) {
            throw ApiError.invalid("'type' cannot change; create a new destination instead");
        }
        Map<String, String> config = current.config();
        Map<String, String> given = Json.stringMap(body, "config");
        if (given != null) {
            // Secrets are never shown, so a client cannot send them back: keep stored ones it leaves out -
            // unless the destination now points elsewhere (else a PUT + test could send them to any host).
            config = new HashMap<>(given);
            boolean sameEndpoint = java.util.Objects.equals(given.get("url"), current.config().get("url"));
            for (String secret : destination.secretKeys()) {
                if (sameEndpoint && !config.containsKey(secret) && current.config().containsKey(secret)) {
                    config.put(secret, current.config().get(secret));
                }
            }
        }
        Map<String, String> mapping = Json.stringMap(body, "fieldMapping");
        String name = Json.text(body, "name");
        DestinationConfig d = new DestinationConfig(current.destinationId(), current.accountId(), current.type(),
                name == null ? current.name() : name.trim(), enabled(body, current.enabled()), config,
                mapping == null ? current.fieldMapping() : mapping, current.createdAt(), clock.instant());
        validate(destination, d);
        store.put(d);
        return req.json().ok(200, view(req, d));
    }

    HttpApiResponse delete(Request req) {
        DestinationConfig d = visible(req);
        limits.deleteDestination(d.accountId(), () -> store.delete(d.destinationId()));
        return new HttpApiResponse(204, Map.of(), null, false);
    }

    HttpApiResponse test(Request req) {
        DestinationConfig d = visible(req);
        Destination destination = destinationType(d.type());
        Instant now = clock.instant();
        StoredLead sample = new StoredLead("ld_test_" + d.destinationId(), d.accountId(), ProviderType.META_LEAD_ADS,
                "leadsync-test", "leadsync-test@example.com", "LeadSync", "Test", "LeadSync Test", "+14155550123",
                "LeadSync", Map.of(), Map.of("source", "leadsync destination test"), now, null, null, null, true, now);
        ObjectNode out = req.json().object();
        out.put("destinationId", d.destinationId());
        try {
            DeliveryReceipt receipt = destination.send(d.target(), sample,
                    new DeliveryContext("test_" + d.destinationId() + "_" + now.toEpochMilli()));
            out.put("ok", true);
            out.put("httpStatus", receipt.httpStatus());
            out.put("detail", receipt.detail());
        } catch (DeliveryException e) {
            out.put("ok", false);
            out.put("retryable", e.retryable());
            if (e.httpStatus() != null) {
                out.put("httpStatus", e.httpStatus());
            }
            out.put("error", e.getMessage());
        } catch (RuntimeException e) {
            // A destination's bug is the test's answer, not a 500 (the engine records it as a retryable try).
            LOG.warnf(e, "test of destination %s failed unexpectedly", d.destinationId());
            out.put("ok", false);
            out.put("retryable", true);
            out.put("error", "unexpected error in the " + d.type() + " destination: " + e);
        }
        return req.json().ok(200, out);
    }

    private Destination destinationType(String type) {
        if (!CONTRACT_TYPES.contains(type)) {
            throw ApiError.invalid("'type' must be one of " + new java.util.TreeSet<>(CONTRACT_TYPES));
        }
        return registry.find(type)
                .orElseThrow(() -> ApiError.invalid("destination type '" + type + "' is not available yet"));
    }

    private void validate(Destination destination, DestinationConfig d) {
        List<String> problems = new ArrayList<>(destination.validate(d.target()));
        problems.addAll(FieldMapper.validate(d.fieldMapping()));
        problems.addAll(RateLimitOverride.problems(d.target()));
        if (!problems.isEmpty()) {
            throw ApiError.invalid(String.join("; ", problems));
        }
    }

    private DestinationConfig visible(Request req) {
        String id = req.param("id");
        return store.get(id).filter(d -> req.caller().owns(d.accountId()))
                .orElseThrow(() -> ApiError.notFound("destination " + id + " not found"));
    }

    private static boolean enabled(ObjectNode body, boolean fallback) {
        JsonNode v = body.get("enabled");
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ApiError.invalid("'enabled' must be true or false");
        }
        return v.asBoolean();
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }

    private ObjectNode view(Request req, DestinationConfig d) {
        Set<String> secrets = registry.find(d.type()).map(Destination::secretKeys).orElse(Set.of());
        ObjectNode out = req.json().object();
        out.put("id", d.destinationId());
        out.put("accountId", d.accountId());
        out.put("type", d.type());
        out.put("name", d.name());
        out.put("enabled", d.enabled());
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
