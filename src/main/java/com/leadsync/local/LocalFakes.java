package com.leadsync.local;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Offline stand-ins for the outside world, so local mode runs the whole pipeline on one machine:
 * a Graph API serving the sample leads in {@code infra/events/graph/}, a HubSpot batch-upsert endpoint, and
 * sinks that record what CRMs and subscribers would receive. Local mode only; point the REST-client URLs at
 * the real services to use them instead.
 */
@ApplicationScoped
public class LocalFakes {

    private final Path graphLeads;
    private final Map<String, List<JsonObject>> sinks = new ConcurrentHashMap<>();

    LocalFakes(@ConfigProperty(name = "leadsync.local.sample-leads-dir", defaultValue = "infra/events/graph")
            String graphLeads) {
        this.graphLeads = Path.of(graphLeads);
    }

    void routes(@Observes Router router) {
        router.route("/_local/*").order(-200).handler(BodyHandler.create().setBodyLimit(1024 * 1024));
        router.get("/_local/meta-graph/:version/:leadId").order(-199).blockingHandler(ctx -> {
            String id = ctx.pathParam("leadId");
            Path file = graphLeads.resolve(id.replaceAll("[^0-9A-Za-z_-]", "") + ".json");
            try {
                if (Files.isRegularFile(file)) {
                    ctx.response().putHeader("content-type", "application/json").end(Files.readString(file));
                    return;
                }
            } catch (IOException e) {
                ctx.fail(e);
                return;
            }
            ctx.response().setStatusCode(400).putHeader("content-type", "application/json").end(new JsonObject()
                    .put("error", new JsonObject().put("message", "Unsupported get request. Object with ID '" + id
                            + "' does not exist (local fake: add " + file + ")").put("type", "GraphMethodException")
                            .put("code", 100).put("error_subcode", 33).put("fbtrace_id", "local")).encode());
        });
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

    private void record(io.vertx.ext.web.RoutingContext ctx, String sink) {
        JsonObject headers = new JsonObject();
        ctx.request().headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
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
