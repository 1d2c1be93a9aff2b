package com.leadsync.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.delivery.DeliveryRecord;
import com.leadsync.delivery.DeliveryRepository;
import com.leadsync.delivery.DeliveryStatus;
import com.leadsync.delivery.Dispatcher;
import com.leadsync.delivery.DeliveryTargets;
import com.leadsync.lead.DailyLeadCounts;
import com.leadsync.lead.LeadRecord;
import com.leadsync.lead.LeadRepository;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Leads and manual pushes: {@code GET /leads}, {@code GET /leads/{leadId}}, {@code POST /crm/push[/{leadId}]}. */
@ApplicationScoped
public class LeadRoutes implements Routes {

    /**
     * A listing's items stop short of this many JSON bytes. Lambda refuses responses over 6 MB, counted on the
     * envelope, in which the body is a JSON string again (each quote escaped: up to twice the bytes).
     */
    static final long RESPONSE_BUDGET_BYTES = 2L * 1024 * 1024;
    /**
     * With {@code deliveryStatus}, leads are read a page of this many at a time and at most {@link #FILTER_BUDGET}
     * per request; a page of matches may then be short (even empty) with a cursor to read on from.
     */
    static final int FILTER_PAGE = 100;
    static final int FILTER_BUDGET = 500;
    /** The newest leads {@code GET /leads/stats} counts: a few seconds of index reads, within the API's timeout. */
    static final int STATS_MAX_LEADS = 20_000;

    private final LeadRepository leads;
    private final DeliveryRepository deliveries;
    private final Dispatcher dispatcher;
    private final DeliveryTargets targets;
    private final Clock clock;

    LeadRoutes(LeadRepository leads, DeliveryRepository deliveries, Dispatcher dispatcher, DeliveryTargets targets,
            Clock clock) {
        this.leads = leads;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.targets = targets;
        this.clock = clock;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/leads", this::list);
        router.add("GET", "/leads/{leadId}", this::get);
        router.add("GET", "/leads/stats", this::stats);
        router.add("POST", "/crm/push/{leadId}", this::pushOne);
        router.add("POST", "/crm/push", this::pushAccount);
    }

    HttpApiResponse list(Request req) {
        String account = req.caller().account(req.query("account_id"));
        int limit = req.pageLimit();
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
        String wanted = deliveryStatus(req);
        // Not capped here: any cursor that is not exactly one we signed, over-long ones included, is a 400.
        String cursor = req.query("cursor", Integer.MAX_VALUE);
        ArrayNode items = req.json().mapper().createArrayNode();
        long size = 0;
        int examined = 0;
        String next;
        pages:
        while (true) {
            LeadRepository.RecordPage page;
            try {
                page = leads.listRecords(account, wanted == null ? limit : FILTER_PAGE, cursor, provider, since,
                        until);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("'cursor' is not valid for this listing");
            }
            next = page.items().isEmpty() ? null : cursor;
            Map<String, List<DeliveryRecord>> recorded = deliveriesOf(page.items());
            for (int i = 0; i < page.items().size(); i++) {
                LeadRecord record = page.items().get(i);
                ObjectNode item = view(req.json(), record, false, recorded.get(record.leadId()));
                examined++;
                if (wanted != null && !hasDelivery(item, wanted)) {
                    next = page.cursorsAfter().get(i);
                } else {
                    // Stop early rather than exceed the budget: the cursor after the last lead shown goes on.
                    size += req.json().size(item) + 1;
                    if (size > RESPONSE_BUDGET_BYTES && !items.isEmpty()) {
                        break pages;
                    }
                    items.add(item);
                    next = page.cursorsAfter().get(i);
                    if (items.size() == limit) {
                        break pages;
                    }
                }
                if (wanted != null && examined >= FILTER_BUDGET) {
                    break pages;
                }
            }
            if (wanted == null || next == null || page.items().isEmpty()) {
                break;
            }
            cursor = next;
        }
        ObjectNode out = req.json().object();
        out.set("items", items);
        out.put("nextCursor", next);
        return req.json().ok(200, out);
    }

    /**
     * Leads per UTC day and provider over the last {@code days} days (1..90, default 14; today included), every day
     * listed, oldest first. Counted from the listing index, newest first, up to {@link #STATS_MAX_LEADS}: past that the
     * answer says {@code "complete": false} and from when the count is whole ({@code countedBack}).
     */
    HttpApiResponse stats(Request req) {
        String account = req.caller().account(req.query("account_id"));
        int dayCount = req.intQuery("days", 14, 1, 90);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(dayCount - 1L);
        DailyLeadCounts counts = leads.countByDay(account, first.atStartOfDay(ZoneOffset.UTC).toInstant(), now,
                STATS_MAX_LEADS);
        ObjectNode out = req.json().object();
        out.put("accountId", account);
        out.put("since", first.toString());
        out.put("until", today.toString());
        ArrayNode days = out.putArray("days");
        Set<ProviderType> seen = EnumSet.noneOf(ProviderType.class);
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            Map<ProviderType, Long> byProvider = counts.days().getOrDefault(d, Map.of());
            ObjectNode day = days.addObject();
            day.put("date", d.toString());
            day.put("total", byProvider.values().stream().mapToLong(Long::longValue).sum());
            ObjectNode perProvider = day.putObject("counts");
            byProvider.forEach((p, n) -> perProvider.put(p.wireName(), n));
            seen.addAll(byProvider.keySet());
        }
        ArrayNode providers = out.putArray("providerTypes");
        seen.forEach(p -> providers.add(p.wireName()));
        out.put("total", counts.counted());
        out.put("complete", counts.complete());
        out.put("countedBack", counts.countedBack() == null ? null : counts.countedBack().toString());
        return req.json().ok(200, out);
    }

    /** {@code deliveryStatus}: leads with at least one delivery in that state; null when not asked. */
    private static String deliveryStatus(Request req) {
        String v = req.query("deliveryStatus");
        if (v == null) {
            return null;
        }
        for (DeliveryStatus s : DeliveryStatus.values()) {
            if (s.wireName().equals(v)) {
                return v;
            }
        }
        throw ApiError.invalid("'deliveryStatus' must be one of pending, retrying, delivered, failed");
    }

    private static boolean hasDelivery(ObjectNode lead, String status) {
        for (JsonNode d : lead.path("deliveries")) {
            if (status.equals(d.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Any lead of the caller's, also one not fetched yet (with its state and last error). */
    HttpApiResponse get(Request req) {
        String leadId = req.param("leadId");
        LeadRecord lead = leads.get(leadId).filter(r -> req.caller().owns(r.accountId()))
                .orElseThrow(() -> ApiError.notFound("lead " + leadId + " not found"));
        return req.json().ok(200, view(req.json(), lead, true, deliveries.listForLead(lead.leadId(), true)));
    }

    HttpApiResponse pushOne(Request req) {
        StoredLead lead = visibleLead(req);
        Dispatcher.Push push = dispatcher.push(lead);
        if (push.inFlight() && push.queued() == 0) {
            throw ApiError.conflict("lead " + lead.leadId() + " is still being delivered (a delivery is queued or "
                    + "being sent); push it again once that has finished");
        }
        ObjectNode out = req.json().object();
        out.put("leadId", lead.leadId());
        out.put("queued", push.queued());
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
        // Not capped here: any cursor that is not exactly one we signed, over-long ones included, is a 400.
        String cursor = Json.text(body, "cursor", Integer.MAX_VALUE);
        long deadline = System.nanoTime() + PUSH_BUDGET.toNanos();
        int leadCount = 0;
        int queued = 0;
        do {
            LeadRepository.Page page;
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
    private static final Duration PUSH_BUDGET = Duration.ofSeconds(20);

    private StoredLead visibleLead(Request req) {
        String leadId = req.param("leadId");
        return leads.get(leadId).map(LeadRecord::lead)
                .filter(l -> req.caller().owns(l.accountId()))
                .orElseThrow(() -> ApiError.notFound("lead " + leadId + " not found"));
    }

    /** Where a delivery goes, as a lead's views name it: its destination (and flow step, for a flow's) and type. */
    static void writeTarget(ObjectNode node, DeliveryRecord d, DeliveryTargets targets) {
        writeTarget(node, d.targetId(), d.targetType(), targets);
    }

    private static void writeTarget(ObjectNode node, String key, String type, DeliveryTargets targets) {
        node.put("destinationId", key);
        targets.describe(key).ifPresent(flow -> flow.writeTo(node));
        node.put("type", type);
    }

    /**
     * A lead with its state and deliveries; {@code history} (every send) only in the single-lead view, so that a
     * page of leads stays small. A lead not fetched yet shows what its notice said, the rest null.
     */
    /**
     * The delivery records of a page of leads: by their routes in a few batched reads; a lead without routes (not
     * dispatched yet, or dispatched before they were kept) by a query of its own.
     */
    private Map<String, List<DeliveryRecord>> deliveriesOf(List<LeadRecord> page) {
        Map<String, Collection<String>> byRoutes = new LinkedHashMap<>();
        Map<String, List<DeliveryRecord>> out = new HashMap<>();
        for (LeadRecord r : page) {
            if (r.routes() != null) {
                byRoutes.put(r.leadId(), r.routes().keySet());
            } else {
                out.put(r.leadId(), deliveries.listForLead(r.leadId(), false));
            }
        }
        if (!byRoutes.isEmpty()) {
            out.putAll(deliveries.forLeads(byRoutes));
        }
        return out;
    }

    private ObjectNode view(Json json, LeadRecord record, boolean withHistory, List<DeliveryRecord> recorded) {
        StoredLead lead = record.lead() != null ? record.lead()
                : new StoredLead(record.leadId(), record.accountId(), record.providerType(), record.providerLeadId(),
                        null, null, null, null, null, null, Map.of(), Map.of(), record.noticedAt(), null, null, null,
                        false, null);
        ObjectNode node = json.mapper().valueToTree(lead);
        node.put("status", record.status().name().toLowerCase(Locale.ROOT));
        node.put("lastError", record.lastError());
        ArrayNode list = node.putArray("deliveries");
        for (DeliveryRecord d : recorded) {
            ObjectNode e = list.addObject();
            writeTarget(e, d, targets);
            e.put("status", d.status().wireName());
            e.put("attempts", d.attempts());
            e.put("lastError", d.lastError());
            e.put("nextAttemptAt", d.nextAttemptAt() == null ? null : d.nextAttemptAt().toString());
            e.put("deliveredAt", d.deliveredAt() == null ? null : d.deliveredAt().toString());
            if (withHistory) {
                e.set("history", json.mapper().valueToTree(d.history()));
            }
        }
        // Dispatched, not tried yet: a delivery's record is written by its first attempt.
        Set<String> seen = recorded.stream().map(DeliveryRecord::targetId).collect(Collectors.toSet());
        Map<String, String> routes = record.routes() == null ? Map.of() : record.routes();
        routes.forEach((key, type) -> {
            if (seen.contains(key)) {
                return;
            }
            ObjectNode e = list.addObject();
            writeTarget(e, key, type, targets);
            e.put("status", DeliveryStatus.PENDING.wireName());
            e.put("attempts", 0);
            e.putNull("lastError");
            e.putNull("nextAttemptAt");
            e.putNull("deliveredAt");
            if (withHistory) {
                e.putArray("history");
            }
        });
        return node;
    }
}
