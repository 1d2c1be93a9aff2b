package com.leadsync.local;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Offline stand-ins for the outside world, so local mode runs the whole pipeline on one machine:
 * a Graph API serving the sample leads in {@code infra/events/graph/} (one by one, and listed per form for
 * polling), a HubSpot batch-upsert endpoint, and
 * sinks that record what CRMs and subscribers would receive. Local mode only; point the REST-client URLs at
 * the real services to use them instead. A sink is readable by anyone who can reach local mode, so it
 * never shows credential headers (a CRM's {@code Authorization}, an API key): they are redacted.
 */
@ApplicationScoped
public class LocalFakes {

    /** Headers that carry credentials; besides these, any header whose name says token, secret or key. */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie", "x-api-key");
    static final String REDACTED = "[redacted]";
    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");

    private final Path graphLeads;
    private final Set<String> pageTokens;
    private final Map<String, List<JsonObject>> sinks = new ConcurrentHashMap<>();

    LocalFakes(@ConfigProperty(name = "leadsync.local.sample-leads-dir", defaultValue = "infra/events/graph")
            String graphLeads,
            @ConfigProperty(name = "leadsync.local.graph-page-tokens", defaultValue = "local-page-token")
            Set<String> pageTokens) {
        this.graphLeads = Path.of(graphLeads);
        this.pageTokens = Set.copyOf(pageTokens);
    }

    static boolean isCredential(String header) {
        String name = header.toLowerCase(Locale.ROOT);
        return CREDENTIAL_HEADERS.contains(name) || name.contains("token") || name.contains("secret")
                || name.endsWith("-key") && !name.equals("idempotency-key");
    }

    /**
     * {@code GET /{page-id}?fields=id,name}, which connecting a page asks (contract §5): any page, for a page
     * token this fake knows ({@code leadsync.local.graph-page-tokens}); otherwise Graph's code 190.
     */
    private void page(RoutingContext ctx, String id) {
        if (id.matches("[0-9]+") && knownToken(ctx, pageTokens)) {
            ctx.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("name", "Local page " + id).put("id", id).encode());
            return;
        }
        invalidToken(ctx);
    }

    private static boolean knownToken(RoutingContext ctx, Set<String> tokens) {
        String auth = ctx.request().getHeader("Authorization");
        return auth != null && auth.startsWith("Bearer ") && tokens.contains(auth.substring(7));
    }

    private static void invalidToken(RoutingContext ctx) {
        ctx.response().setStatusCode(400).putHeader("content-type", "application/json").end(new JsonObject()
                .put("error", new JsonObject().put("message", "Invalid OAuth access token - Cannot parse access token"
                        + " (local fake: page tokens are leadsync.local.graph-page-tokens)").put("type", "OAuthException")
                        .put("code", 190).put("fbtrace_id", "local")).encode());
    }

    /** The sample leads, each as {@code GET /{lead-id}} answers it. */
    private List<JsonObject> sampleLeads() throws IOException {
        if (!Files.isDirectory(graphLeads)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(graphLeads)) {
            List<Path> sorted = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
            List<JsonObject> leads = new ArrayList<>();
            for (Path f : sorted) {
                leads.add(new JsonObject(Files.readString(f)));
            }
            return leads;
        }
    }

    /**
     * {@code GET /{page-id}/leadgen_forms}: for a known page token, the forms the sample leads name, on one page.
     * {@code GET /{form-id}/leads}: that form's sample leads whose {@code created_time} passes the
     * {@code filtering} ({@code GREATER_THAN}/{@code LESS_THAN} on {@code time_created}, unix seconds).
     */
    private void listing(RoutingContext ctx) {
        if (!knownToken(ctx, pageTokens)) {
            invalidToken(ctx);
            return;
        }
        String id = ctx.pathParam("id");
        JsonArray data = new JsonArray();
        try {
            List<JsonObject> leads = sampleLeads();
            if (ctx.pathParam("edge").equals("leadgen_forms")) {
                leads.stream().map(l -> l.getString("form_id")).filter(f -> f != null).distinct().forEach(form ->
                        data.add(new JsonObject().put("id", form).put("name", "Local form " + form)
                                .put("status", "ACTIVE")));
            } else {
                JsonArray filters = ctx.request().getParam("filtering") == null ? new JsonArray()
                        : new JsonArray(ctx.request().getParam("filtering"));
                leads.stream().filter(l -> id.equals(l.getString("form_id")) && passes(l, filters)).forEach(data::add);
            }
        } catch (IOException | RuntimeException e) {
            ctx.fail(e);
            return;
        }
        ctx.response().putHeader("content-type", "application/json").end(new JsonObject().put("data", data).encode());
    }

    private static boolean passes(JsonObject lead, JsonArray filters) {
        long created = OffsetDateTime.parse(lead.getString("created_time"), GRAPH_TIME).toEpochSecond();
        for (int i = 0; i < filters.size(); i++) {
            JsonObject f = filters.getJsonObject(i);
            long value = f.getLong("value");
            boolean ok = switch (f.getString("operator", "")) {
                case "GREATER_THAN" -> created > value;
                case "GREATER_THAN_OR_EQUAL" -> created >= value;
                case "LESS_THAN" -> created < value;
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    void routes(@Observes Router router) {
        router.route("/_local/*").order(-200).handler(BodyHandler.create().setBodyLimit(1024 * 1024));
        router.getWithRegex("/_local/meta-graph/[^/]+/(?<id>[0-9]+)/(?<edge>leadgen_forms|leads)").order(-199)
                .blockingHandler(this::listing);
        router.get("/_local/meta-graph/:version/:leadId").order(-199).blockingHandler(ctx -> {
            String id = ctx.pathParam("leadId");
            if ("id,name".equals(ctx.request().getParam("fields"))) {
                page(ctx, id);
                return;
            }
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
