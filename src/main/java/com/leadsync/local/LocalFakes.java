package com.leadsync.local;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Offline stand-ins for the outside world, so local mode runs the whole pipeline on one machine: a HubSpot
 * batch-upsert endpoint and sinks that record what CRMs and subscribers would receive, besides the ad platforms'
 * fakes ({@link LocalMetaGraphFake}, {@link LocalGoogleAdsFake}, {@link LocalLinkedInFake}, {@link LocalTikTokFake}),
 * whose routes under {@code /_local/} share the body handler set here. Local mode only; point the REST-client URLs
 * at the real services to use them instead. A sink is readable by anyone who can reach local mode, so it
 * never shows credential headers (a CRM's {@code Authorization}, an API key): they are redacted.
 */
@ApplicationScoped
public class LocalFakes {

    /** Headers that carry credentials; besides these, any header whose name says token, secret or key. */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie", "x-api-key");
    static final String REDACTED = "[redacted]";

    private final Map<String, List<JsonObject>> sinks = new ConcurrentHashMap<>();

    static boolean isCredential(String header) {
        String name = header.toLowerCase(Locale.ROOT);
        return CREDENTIAL_HEADERS.contains(name) || name.contains("token") || name.contains("secret")
                || name.endsWith("-key") && !name.equals("idempotency-key");
    }

    void routes(@Observes Router router) {
        router.route("/_local/*").order(-200).handler(BodyHandler.create().setBodyLimit(1024 * 1024));
        router.post("/_local/hubspot/crm/v3/objects/contacts/batch/upsert").order(-199).handler(ctx -> {
            record(ctx, "hubspot");
            JsonArray results = new JsonArray();
            JsonObject body = ctx.body().asJsonObject();
            JsonArray inputs = body == null ? new JsonArray() : body.getJsonArray("inputs", new JsonArray());
            for (int i = 0; i < inputs.size(); i++) {
                results.add(new JsonObject().put("id", Integer.toString(1000 + Math.abs(
                        inputs.getJsonObject(i).getString("id", "").hashCode() % 9000))).put("new", true)
                        .put("properties", inputs.getJsonObject(i).getJsonObject("properties")));
            }
            ctx.response().putHeader("content-type", "application/json").end(new JsonObject()
                    .put("status", "COMPLETE").put("results", results).put("startedAt", Instant.now().toString())
                    .put("completedAt", Instant.now().toString()).encode());
        });
        router.post("/_local/sink/:name").order(-199).handler(ctx -> {
            record(ctx, ctx.pathParam("name"));
            ctx.response().setStatusCode(200).end();
        });
        router.get("/_local/sink/:name").order(-199).handler(ctx -> ctx.response()
                .putHeader("content-type", "application/json")
                .end(new JsonArray(List.copyOf(sinks.getOrDefault(ctx.pathParam("name"), List.of()))).encodePrettily()));
    }

    private void record(RoutingContext ctx, String sink) {
        JsonObject headers = new JsonObject();
        ctx.request().headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT),
                isCredential(h.getKey()) ? REDACTED : h.getValue()));
        String body = ctx.body().asString();
        Object parsed;
        try {
            parsed = body == null || body.isBlank() ? null : new JsonObject(body);
        } catch (RuntimeException notJson) {
            parsed = body;
        }
        sinks.computeIfAbsent(sink, k -> new CopyOnWriteArrayList<>()).add(new JsonObject()
                .put("receivedAt", Instant.now().toString()).put("headers", headers).put("body", parsed));
    }
}
