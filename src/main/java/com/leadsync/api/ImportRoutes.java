package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.imports.ImportAlreadyRunning;
import com.leadsync.imports.ImportJob;
import com.leadsync.imports.ImportJobJson;
import com.leadsync.imports.ImportJobRepository;
import com.leadsync.imports.ImportRejected;
import com.leadsync.imports.ImportStarter;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/**
 * Bulk imports (contract §2, §6): {@code POST /leads/import}, {@code GET /leads/import[/{jobId}]} and
 * {@code POST /leads/import/{jobId}/cancel}. A job of another account is not found (404), whatever is asked of it.
 */
@ApplicationScoped
public class ImportRoutes implements Routes {

    private final ImportStarter starter;
    private final ImportJobRepository jobs;
    private final Clock clock;

    ImportRoutes(ImportStarter starter, ImportJobRepository jobs, Clock clock) {
        this.starter = starter;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("POST", "/leads/import", this::start);
        router.add("GET", "/leads/import", this::list);
        router.add("GET", "/leads/import/{jobId}", this::get);
        router.add("POST", "/leads/import/{jobId}/cancel", this::cancel);
    }

    HttpApiResponse start(Request req) {
        ObjectNode body = req.body();
        String account = req.account(body);
        String typeName = Json.requiredText(body, "providerType");
        ProviderType type = ProviderType.fromWire(typeName)
                .orElseThrow(() -> ApiError.invalid("unknown providerType '" + typeName + "'"));
        String formId = Json.requiredText(body, "formId");
        Instant since = Json.instant(body, "since");
        Instant until = Json.instant(body, "until");
        String connectionId = Json.text(body, "connectionId");
        ImportJob job;
        try {
            job = starter.start(new ImportStarter.Request(account, type, formId, since, until,
                    connectionId == null || connectionId.isBlank() ? null : connectionId.trim()));
        } catch (ImportRejected e) {
            throw ApiError.invalid(e.getMessage());
        } catch (ImportAlreadyRunning e) {
            throw ApiError.conflict("an import of this connection and form is already queued or running: "
                    + e.runningJobId() + "; cancel it or wait for it to end");
        }
        ObjectNode out = req.json().object();
        out.put("jobId", job.jobId());
        out.put("status", job.status().wireName());
        return req.json().ok(202, out);
    }

    HttpApiResponse list(Request req) {
        String account = req.account(null);
        int limit = req.pageLimit();
        ImportJobRepository.Page page;
        try {
            page = jobs.list(account, limit, req.query("cursor", Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'cursor' is not valid for this listing");
        }
        ObjectNode out = req.json().object();
        ArrayNode items = out.putArray("items");
        page.items().forEach(j -> items.add(view(req, j)));
        out.put("nextCursor", page.nextCursor());
        return req.json().ok(200, out);
    }

    HttpApiResponse get(Request req) {
        return req.json().ok(200, view(req, owned(req)));
    }

    HttpApiResponse cancel(Request req) {
        ImportJob job = owned(req);
        switch (jobs.cancel(job.jobId(), clock.instant())) {
            case ALREADY_ENDED -> {
                ImportJob now = jobs.get(job.jobId()).orElse(job);
                throw ApiError.conflict("import " + job.jobId() + " has already ended: " + now.status().wireName());
            }
            case CANCELLED, REQUESTED -> {
                return req.json().ok(202, view(req, jobs.get(job.jobId()).orElse(job)));
            }
            default -> throw new IllegalStateException();
        }
    }

    private ImportJob owned(Request req) {
        String jobId = req.param("jobId");
        return jobs.get(jobId).filter(j -> req.caller().owns(j.accountId()))
                .orElseThrow(() -> ApiError.notFound("import " + jobId + " not found"));
    }

    private static ObjectNode view(Request req, ImportJob j) {
        return ImportJobJson.write(req.json().object(), j);
    }
}
