package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.delivery.Dispatcher;
import com.leadsync.lead.ProviderType;
import com.leadsync.lead.StoredLead;
import com.leadsync.store.DeliveryRecord;
import com.leadsync.store.DeliveryStore;
import com.leadsync.store.LeadRecord;
import com.leadsync.store.LeadStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Leads and manual pushes: {@code GET /leads}, {@code GET /leads/{leadId}}, {@code POST /crm/push[/{leadId}]}. */
@ApplicationScoped
public class LeadRoutes implements Routes {

    private final LeadStore leads;
    private final DeliveryStore deliveries;
    private final Dispatcher dispatcher;

    LeadRoutes(LeadStore leads, DeliveryStore deliveries, Dispatcher dispatcher) {
        this.leads = leads;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/leads", this::list);
        router.add("GET", "/leads/{leadId}", this::get);
        router.add("POST", "/crm/push/{leadId}", this::pushOne);
        router.add("POST", "/crm/push", this::pushAccount);
    }

    HttpApiResponse list(Request req) {
        String account = req.caller().account(req.query("account_id"));
        int limit = 50;
        if (req.query("limit") != null) {
            try {
                limit = Integer.parseInt(req.query("limit"));
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("'limit' must be a whole number");
            }
            if (limit < 1 || limit > 200) {
                throw ApiError.invalid("'limit' must be between 1 and 200");
            }
        }
        ProviderType provider = null;
        if (req.query("providerType") != null) {
            provider = ProviderType.fromWire(req.query("providerType"))
                    .orElseThrow(() -> ApiError.invalid("unknown providerType '" + req.query("providerType") + "'"));
        }
        Instant since = req.instantQuery("since");
        Instant until = req.instantQuery("until");
        if (since != null && until != null && since.isAfter(until)) {
            throw ApiError.invalid("'since' must not be after 'until'");
        }
        LeadStore.Page page;
        try {
            page = leads.list(account, limit, req.query("cursor"), provider, since, until);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'cursor' is not valid");
        }
        ObjectNode out = req.json().object();
        ArrayNode items = out.putArray("items");
        page.items().forEach(l -> items.add(view(req.json(), l)));
        out.put("nextCursor", page.nextCursor());
        return req.json().ok(200, out);
    }

    HttpApiResponse get(Request req) {
        return req.json().ok(200, view(req.json(), visibleLead(req)));
    }

    HttpApiResponse pushOne(Request req) {
        StoredLead lead = visibleLead(req);
        int queued = dispatcher.push(lead);
        ObjectNode out = req.json().object();
        out.put("leadId", lead.leadId());
        out.put("queued", queued);
        return req.json().ok(202, out);
    }

    /**
     * Pushes an account's undelivered leads, page by page, within a time budget that fits the API function's
     * timeout. If the budget runs out, the answer says so and gives the cursor to continue from
     * ({@code {"accountId", "cursor"}}); every page already handled stays handled.
     */
    HttpApiResponse pushAccount(Request req) {
        ObjectNode body = req.body();
        String account = req.account(body);
        String cursor = Json.text(body, "cursor");
        long deadline = System.nanoTime() + PUSH_BUDGET.toNanos();
        int leadCount = 0;
        int queued = 0;
        do {
            LeadStore.Page page;
            try {
                page = leads.list(account, 100, cursor, null, null, null);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("'cursor' is not valid");
            }
            for (StoredLead lead : page.items()) {
                int n = dispatcher.pushUndelivered(lead);
                if (n > 0) {
                    leadCount++;
                    queued += n;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null && System.nanoTime() < deadline);
        ObjectNode out = req.json().object();
        out.put("accountId", account);
        out.put("leads", leadCount);
        out.put("queued", queued);
        out.put("complete", cursor == null);
        out.put("nextCursor", cursor);
        return req.json().ok(202, out);
    }

    /** Well inside the api function's 30 s timeout. */
    private static final java.time.Duration PUSH_BUDGET = java.time.Duration.ofSeconds(20);

    private StoredLead visibleLead(Request req) {
        String leadId = req.param("leadId");
        return leads.get(leadId).map(LeadRecord::lead)
                .filter(l -> req.caller().owns(l.accountId()))
                .orElseThrow(() -> ApiError.notFound("lead " + leadId + " not found"));
    }

    private ObjectNode view(Json json, StoredLead lead) {
        ObjectNode node = json.mapper().valueToTree(lead);
        ArrayNode list = node.putArray("deliveries");
        for (DeliveryRecord d : deliveries.listForLead(lead.leadId())) {
            ObjectNode e = list.addObject();
            e.put("destinationId", d.targetId());
            e.put("type", d.targetType());
            e.put("status", d.status().wireName());
            e.put("attempts", d.attempts());
            e.put("lastError", d.lastError());
            e.put("nextAttemptAt", d.nextAttemptAt() == null ? null : d.nextAttemptAt().toString());
            e.put("deliveredAt", d.deliveredAt() == null ? null : d.deliveredAt().toString());
            e.set("history", json.mapper().valueToTree(d.history()));
        }
        return node;
    }
}
