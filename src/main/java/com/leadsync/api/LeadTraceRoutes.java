package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.delivery.Attempt;
import com.leadsync.delivery.DeliveryRecord;
import com.leadsync.delivery.DeliveryRepository;
import com.leadsync.delivery.DeliveryStatus;
import com.leadsync.delivery.DeliveryTargets;
import com.leadsync.flow.FlowRun;
import com.leadsync.flow.FlowRunRepository;
import com.leadsync.lead.LeadRecord;
import com.leadsync.lead.LeadRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /leads/{leadId}/trace}: what happened to one lead, step by step with timestamps, from its receipt to
 * every delivery attempt, assembled from what the pipeline records anyway (the lead item, its flow runs, its
 * deliveries' histories), plus the {@code traceId} its log lines carry. What an operator reads first when a customer
 * says a lead never arrived.
 */
@ApplicationScoped
public class LeadTraceRoutes implements Routes {

    private final LeadRepository leads;
    private final DeliveryRepository deliveries;
    private final FlowRunRepository flowRuns;
    private final DeliveryTargets targets;

    LeadTraceRoutes(LeadRepository leads, DeliveryRepository deliveries, FlowRunRepository flowRuns,
            DeliveryTargets targets) {
        this.leads = leads;
        this.deliveries = deliveries;
        this.flowRuns = flowRuns;
        this.targets = targets;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/leads/{leadId}/trace", this::trace);
    }

    /** One step: when, what, and what else the step says (kept in the order steps happened). */
    private record Step(Instant at, ObjectNode node) {
    }

    HttpApiResponse trace(Request req) {
        String leadId = req.param("leadId");
        LeadRecord r = leads.get(leadId).filter(l -> req.caller().owns(l.accountId()))
                .orElseThrow(() -> ApiError.notFound("lead " + leadId + " not found"));
        Json json = req.json();
        List<Step> steps = new ArrayList<>();
        if (r.arrival() != null) {
            add(steps, json, "received", r.arrival().queuedAt()).put("via", r.arrival().via());
        }
        add(steps, json, "claimed", r.firstSeenAt());
        if (r.lead() != null) {
            add(steps, json, "stored", r.lead().storedAt());
        }
        if (r.dispatchedAt() != null) {
            add(steps, json, "dispatched", r.dispatchedAt());
        }
        for (FlowRun run : flowRuns.forLead(leadId)) {
            add(steps, json, "flow_run", run.ranAt()).put("flowId", run.flowId())
                    .put("outcome", run.outcome().name().toLowerCase(Locale.ROOT))
                    .put("actions", run.actions().size());
        }
        for (DeliveryRecord d : deliveries.listForLead(leadId, true)) {
            for (Attempt a : d.history()) {
                delivery(steps, json, "attempt", a.at(), d).put("outcome", a.outcome())
                        .put("httpStatus", a.httpStatus()).put("detail", a.detail());
            }
            if (d.status() == DeliveryStatus.DELIVERED) {
                delivery(steps, json, "delivered", d.deliveredAt(), d);
            } else if (d.status() == DeliveryStatus.FAILED) {
                Instant last = d.history().isEmpty() ? null : d.history().get(d.history().size() - 1).at();
                delivery(steps, json, "failed", last, d).put("lastError", d.lastError());
            } else if (d.status() == DeliveryStatus.RETRYING) {
                delivery(steps, json, "retry_scheduled", d.nextAttemptAt(), d).put("lastError", d.lastError());
            }
        }
        // Steps without a time (items from before it was kept) keep their place at the end.
        steps.sort(Comparator.comparing(Step::at, Comparator.nullsLast(Comparator.naturalOrder())));

        ObjectNode out = json.object();
        out.put("leadId", r.leadId());
        out.put("accountId", r.accountId());
        out.put("providerType", r.providerType().wireName());
        out.put("providerLeadId", r.providerLeadId());
        out.put("traceId", r.arrival() == null ? null : r.arrival().traceId());
        out.put("status", r.status().name().toLowerCase(Locale.ROOT));
        out.put("lastError", r.lastError());
        out.put("duplicates", r.duplicates());
        ArrayNode list = out.putArray("steps");
        steps.forEach(s -> list.add(s.node()));
        return json.ok(200, out);
    }

    /** A new step, returned to say more about it. */
    private static ObjectNode add(List<Step> steps, Json json, String name, Instant at) {
        ObjectNode node = json.object();
        node.put("step", name);
        node.put("at", at == null ? null : at.toString());
        steps.add(new Step(at, node));
        return node;
    }

    private ObjectNode delivery(List<Step> steps, Json json, String name, Instant at, DeliveryRecord d) {
        ObjectNode node = add(steps, json, name, at);
        LeadRoutes.writeTarget(node, d, targets);
        return node;
    }
}
