package com.leadsync.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.delivery.DestinationRepository;
import com.leadsync.delivery.InvalidUrlException;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.delivery.forward.StandardWebhookSigner;
import com.leadsync.flow.Flow;
import com.leadsync.flow.FlowDocument;
import com.leadsync.flow.FlowEngine;
import com.leadsync.flow.FlowRepository;
import com.leadsync.flow.FlowResult;
import com.leadsync.flow.FlowRunRepository;
import com.leadsync.flow.Step;
import com.leadsync.ingest.IngestLookups;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Flows (contract §8): written whole (a PUT replaces the document and makes a new version), validated with every
 * problem named by its path, listed with their runs, and tried on a sample lead without any side effect.
 */
@ApplicationScoped
public class FlowRoutes implements Routes {

    private final FlowRepository flows;
    private final FlowRunRepository runs;
    private final DestinationRepository destinations;
    private final UrlPolicy urls;
    private final AccountLimits limits;
    private final IngestLookups lookups;
    private final Clock clock;
    private final String defaultRegion;

    FlowRoutes(FlowRepository flows, FlowRunRepository runs, DestinationRepository destinations, UrlPolicy urls,
            AccountLimits limits, IngestLookups lookups, Clock clock,
            @ConfigProperty(name = "leadsync.default-phone-region") String defaultRegion) {
        this.flows = flows;
        this.runs = runs;
        this.destinations = destinations;
        this.urls = urls;
        this.limits = limits;
        this.lookups = lookups;
        this.clock = clock;
        this.defaultRegion = defaultRegion;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/flows", this::list);
        router.add("POST", "/flows", this::create);
        router.add("GET", "/flows/{id}", this::get);
        router.add("PUT", "/flows/{id}", this::replace);
        router.add("DELETE", "/flows/{id}", this::delete);
        router.add("GET", "/flows/{id}/runs", this::listRuns);
        router.add("POST", "/flows/{id}/test", this::test);
    }

    HttpApiResponse list(Request req) {
        String account = req.caller().account(req.query("account_id"));
        ObjectNode out = req.json().object();
        ArrayNode items = out.putArray("items");
        flows.listByAccount(account).forEach(f -> items.add(FlowDocument.toJson(f)));
        return req.json().ok(200, out);
    }

    HttpApiResponse create(Request req) {
        ObjectNode body = req.body();
        String account = req.account(body);
        FlowDocument.Parsed parsed = parse(body, account);
        Instant now = clock.instant();
        Flow flow = new Flow(Flow.newId(), account, parsed.name(), parsed.enabled(), parsed.trigger(),
                FlowDocument.keepSecrets(parsed, List.of()), 1, now, now);
        limits.newFlow(account, () -> {
            flows.create(flow);
            return flow;
        });
        return req.json().ok(201, FlowDocument.toJson(flow));
    }

    HttpApiResponse get(Request req) {
        return req.json().ok(200, FlowDocument.toJson(visible(req)));
    }

    HttpApiResponse replace(Request req) {
        Flow current = visible(req);
        ObjectNode body = req.body();
        JsonNode givenAccount = body.get("accountId");
        if (givenAccount != null && !givenAccount.isNull() && !givenAccount.asText().equals(current.accountId())) {
            throw ApiError.invalid("'accountId': a flow cannot move to another account");
        }
        FlowDocument.Parsed parsed = parse(body, current.accountId());
        Flow next = current.next(parsed.name(), parsed.enabled(), parsed.trigger(),
                FlowDocument.keepSecrets(parsed, current.steps()), clock.instant());
        try {
            flows.update(next);
        } catch (FlowRepository.Conflict e) {
            throw ApiError.conflict("flow " + current.flowId() + " changed while this request was served ("
                    + e.getMessage() + "); read it again and retry");
        }
        return req.json().ok(200, FlowDocument.toJson(next));
    }

    HttpApiResponse delete(Request req) {
        Flow flow = visible(req);
        limits.deleteFlow(flow.accountId(), () -> flows.delete(flow.flowId()));
        return new HttpApiResponse(204, Map.of(), null, false);
    }

    HttpApiResponse listRuns(Request req) {
        Flow flow = visible(req);
        FlowRunRepository.Page page;
        try {
            page = runs.listForFlow(flow.flowId(), req.pageLimit(), req.query("cursor", 1024));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'cursor' is not one this listing gave out");
        }
        ObjectNode out = req.json().object();
        ArrayNode items = out.putArray("items");
        page.items().forEach(r -> items.add(FlowDocument.runJson(r)));
        out.put("nextCursor", page.nextCursor());
        return req.json().ok(200, out);
    }

    /** A dry run: the engine alone, on the caller's lead: nothing is stored, queued or sent. */
    HttpApiResponse test(Request req) {
        Flow flow = visible(req);
        ObjectNode body = req.body();
        JsonNode sample = body.get("lead");
        if (sample == null || !sample.isObject()) {
            throw ApiError.invalid("'lead' must be an object: the sample lead to run the flow on");
        }
        StoredLead lead;
        try {
            lead = FlowDocument.sampleLead(sample, flow.accountId());
        } catch (FlowDocument.Invalid e) {
            throw invalid(e);
        }
        String region = lookups.defaultRegion(flow.accountId()).orElse(defaultRegion);
        FlowResult result = FlowEngine.run(flow, lead, region);
        ObjectNode out = req.json().object();
        out.put("flowId", flow.flowId());
        out.put("flowVersion", flow.version());
        out.put("triggerMatches", flow.trigger().matches(lead));
        out.set("run", FlowDocument.resultJson(result));
        out.set("lead", req.json().mapper().valueToTree(result.lead()));
        return req.json().ok(200, out);
    }

    private Flow visible(Request req) {
        String id = req.param("id");
        return flows.get(id).filter(f -> req.caller().owns(f.accountId()))
                .orElseThrow(() -> ApiError.notFound("flow " + id + " not found"));
    }

    private FlowDocument.Parsed parse(ObjectNode body, String account) {
        FlowDocument.Parsed parsed;
        try {
            parsed = FlowDocument.parse(body, new FlowDocument.Checks() {
                @Override
                public Optional<String> destinationProblem(String destinationId) {
                    return destinations.get(destinationId).filter(d -> d.accountId().equals(account)).isPresent()
                            ? Optional.empty()
                            : Optional.of("no destination " + destinationId + " in account " + account);
                }

                @Override
                public Optional<String> urlProblem(String url) {
                    try {
                        urls.check(url);
                        return Optional.empty();
                    } catch (InvalidUrlException e) {
                        // As for subscriptions: a name that does not resolve now may be a DNS hiccup; sends retry it.
                        return e.unresolved() ? Optional.empty() : Optional.of(e.getMessage());
                    }
                }
            });
        } catch (FlowDocument.Invalid e) {
            throw invalid(e);
        }
        List<FlowDocument.Problem> secrets = new ArrayList<>();
        FlowDocument.secretsByPath(parsed.steps()).forEach((path, secret) -> {
            try {
                StandardWebhookSigner.key(secret);
            } catch (IllegalArgumentException e) {
                secrets.add(new FlowDocument.Problem(path + ".secret", e.getMessage()));
            }
        });
        if (!secrets.isEmpty()) {
            throw invalid(new FlowDocument.Invalid(secrets));
        }
        return parsed;
    }

    private static ApiError invalid(FlowDocument.Invalid e) {
        return ApiError.invalid(e.getMessage(), e.problems().stream()
                .map(p -> Map.of("path", p.path(), "message", p.message())).toList());
    }
}
