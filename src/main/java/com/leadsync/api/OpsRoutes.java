package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.ops.Health;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What needs no key and says nothing about any account: {@code GET /health} (do DynamoDB and SQS answer, for load
 * balancers and uptime checks) and {@code GET /openapi.json} (the API document, {@code openapi.json} on the
 * classpath, as committed: OpenApiDocumentTest holds it to the routes and every test's responses to it).
 */
@ApplicationScoped
public class OpsRoutes implements Routes {

    static final String DOCUMENT = "openapi.json";

    private final Health health;
    private final Json json;
    private volatile String document;

    OpsRoutes(Health health, Json json) {
        this.health = health;
        this.json = json;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/health", new OpenRoute(this::health));
        router.add("GET", "/openapi.json", new OpenRoute(this::openApi));
    }

    HttpApiResponse health(Request req) {
        Health.Report report = health.check();
        ObjectNode out = json.object();
        out.put("status", report.up() ? "ok" : "down");
        ObjectNode checks = out.putObject("checks");
        report.checks().forEach((name, outcome) -> {
            ObjectNode c = checks.putObject(name).put("status", outcome.up() ? "ok" : "down")
                    .put("latencyMs", outcome.latencyMs());
            if (outcome.error() != null) {
                c.put("error", outcome.error());
            }
        });
        return json.ok(report.up() ? 200 : 503, out).withHeader("cache-control", "no-store");
    }

    HttpApiResponse openApi(Request req) {
        return HttpApiResponse.json(200, document()).withHeader("cache-control", "public, max-age=300")
                .withHeader("access-control-allow-origin", "*");
    }

    /** Read once: the document is part of the build. */
    private String document() {
        String d = document;
        if (d == null) {
            try (InputStream in = OpsRoutes.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
                if (in == null) {
                    throw new IllegalStateException("the API document is missing from the build: " + DOCUMENT);
                }
                d = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            document = d;
        }
        return d;
    }
}
