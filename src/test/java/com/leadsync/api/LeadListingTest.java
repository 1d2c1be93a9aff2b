package com.leadsync.api;

import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.delivery.Attempt;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import com.leadsync.store.DeliveryStore;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /leads} and {@code GET /leads/{leadId}}: signed cursors, leads still being fetched, response size. */
@QuarkusTest
class LeadListingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-10T10:00:00Z");

    @Inject
    LeadStore leads;

    @Inject
    DeliveryStore deliveries;

    private List<String> leadsOf(String accountId, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(ApiTestSupport.storeLead(leads, accountId, T0.plus(Duration.ofHours(i))).leadId());
        }
        return ids;
    }

    private static JsonPath page(String key, String query) {
        Response r = as(key).get("/leads" + query);
        assertThat(r.statusCode()).as("GET /leads%s: %s", query, r.asString()).isEqualTo(200);
        return r.jsonPath();
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // --- cursors ------------------------------------------------------------------------------------------

    @Test
    void a_forged_cursor_with_an_empty_or_over_long_key_is_a_bad_request() {
        Scenario s = Scenario.withMetaPage();
        leadsOf(s.accountId, 3);
        String listKey = "2026-01-10T11:00:00.000Z#x";
        // The unsigned format these cursors had: name \u0001 value \u0002, naming the index's keys.
        // Over-long: above DynamoDB's 2048-byte key limit, within the gateway's 4 KB request line.
        String empty = b64("leadId\u0001\u0002accountId\u0001" + s.accountId + "\u0002listKey\u0001" + listKey + "\u0002");
        String huge = b64("leadId\u0001" + "x".repeat(2_100) + "\u0002accountId\u0001" + s.accountId
                + "\u0002listKey\u0001" + listKey + "\u0002");

        assertError(as(s.apiKey).get("/leads?limit=2&cursor=" + empty), 400, "bad_request");
        assertError(as(s.apiKey).get("/leads?limit=2&cursor=" + huge), 400, "bad_request");
    }

    @Test
    void an_account_push_with_a_forged_over_long_cursor_is_a_bad_request() {
        Scenario s = Scenario.withMetaPage();

        assertError(asJson(s.apiKey, Map.of("cursor", "x".repeat(2_000))).post("/crm/push"), 400, "bad_request");
    }

    @Test
    void a_tampered_cursor_is_a_bad_request() {
        Scenario s = Scenario.withMetaPage();
        leadsOf(s.accountId, 5);
        String cursor = page(s.apiKey, "?limit=2").getString("nextCursor");
        assertThat(cursor).isNotBlank();
        char last = cursor.charAt(cursor.length() - 1);
        String flipped = cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertError(as(s.apiKey).get("/leads?limit=2&cursor=" + flipped), 400, "bad_request");
        assertError(as(s.apiKey).get("/leads?limit=2&cursor=" + cursor.substring(1)), 400);
        assertError(as(s.apiKey).get("/leads?limit=2&cursor=" + cursor + "x"), 400);
    }

    @Test
    void a_cursor_is_bound_to_its_account_and_its_window() {
        Scenario a = Scenario.withMetaPage();
        Scenario b = Scenario.withMetaPage();
        leadsOf(a.accountId, 5);
        leadsOf(b.accountId, 5);
        String ofA = page(a.apiKey, "?limit=2").getString("nextCursor");
        String filtered = page(a.apiKey, "?limit=2&providerType=meta_lead_ads").getString("nextCursor");
        String windowed = page(a.apiKey, "?limit=2&since=2026-01-10T11:00:00Z").getString("nextCursor");

        assertError(as(b.apiKey).get("/leads?limit=2&cursor=" + ofA), 400);
        assertError(as(Scenario.ADMIN_KEY).get("/leads?limit=2&account_id=" + b.accountId + "&cursor=" + ofA), 400);
        assertError(as(a.apiKey).get("/leads?limit=2&cursor=" + filtered), 400);
        assertError(as(a.apiKey).get("/leads?limit=2&providerType=meta_lead_ads&cursor=" + ofA), 400);
        assertError(as(a.apiKey).get("/leads?limit=2&since=2026-01-10T10:00:00Z&cursor=" + windowed), 400);
        // Its own listing goes on.
        assertThat(page(a.apiKey, "?limit=2&since=2026-01-10T11:00:00Z&cursor=" + windowed).getList("items"))
                .hasSize(2);
        assertThat(page(a.apiKey, "?limit=2&providerType=meta_lead_ads&cursor=" + filtered).getList("items"))
                .hasSize(2);
    }

    // --- a lead whose fetch keeps failing -------------------------------------------------------------------

    @Test
    void a_lead_whose_fetch_keeps_failing_is_shown_with_its_state_and_last_error() {
        Scenario s = Scenario.withMetaPage();
        List<String> stored = leadsOf(s.accountId, 2); // T0 and T0 + 1 h
        String providerLeadId = Scenario.newLeadgenId();
        LeadIdentity identity = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, providerLeadId);
        Instant noticed = T0.plus(Duration.ofMinutes(30));
        Instant now = Instant.now();
        assertThat(leads.claim(identity, noticed, "w1", now.toEpochMilli() + 60_000, now)).isTrue();
        leads.releaseWithError(identity.leadId(), "w1", "Meta Graph error 190: the page access token has expired");

        Response one = s.getLead(identity.leadId());

        assertThat(one.statusCode()).as(one.asString()).isEqualTo(200);
        JsonPath lead = one.jsonPath();
        assertThat(lead.getString("leadId")).isEqualTo(identity.leadId());
        assertThat(lead.getString("accountId")).isEqualTo(s.accountId);
        assertThat(lead.getString("providerType")).isEqualTo("meta_lead_ads");
        assertThat(lead.getString("providerLeadId")).isEqualTo(providerLeadId);
        assertThat(lead.getString("status")).isEqualTo("received");
        assertThat(lead.getString("lastError")).contains("190");
        assertThat(lead.getString("receivedAt")).isEqualTo("2026-01-10T10:30:00Z");
        assertThat(lead.getString("email")).isNull();
        assertThat(lead.getList("deliveries")).isEmpty();
        // Listed in its place by the notice's time, between the two stored leads.
        JsonPath list = page(s.apiKey, "");
        assertThat(list.getList("items.leadId")).containsExactly(stored.get(1), identity.leadId(), stored.get(0));
        assertThat(list.getList("items.status")).containsExactly("stored", "received", "stored");
        // Another account still sees nothing of it.
        Scenario other = Scenario.withMetaPage();
        assertError(other.getLead(identity.leadId()), 404, "not_found");
    }

    @Test
    void a_lead_noticed_without_a_time_is_shown_at_the_time_it_was_first_seen() {
        Scenario s = Scenario.withMetaPage();
        LeadIdentity identity = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, Scenario.newLeadgenId());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertThat(leads.claim(identity, null, "w1", now.toEpochMilli() + 60_000, now)).isTrue();

        Response one = s.getLead(identity.leadId());

        assertThat(one.statusCode()).as(one.asString()).isEqualTo(200);
        assertThat(one.jsonPath().getString("receivedAt")).isEqualTo(now.toString());
    }

    // --- response size ------------------------------------------------------------------------------------

    @Test
    void the_listing_shows_deliveries_without_their_history_and_the_lead_keeps_it() {
        Scenario s = Scenario.withMetaPage();
        String leadId = leadsOf(s.accountId, 1).get(0);
        Instant watchdog = Instant.now().plusSeconds(900);
        deliveries.ensure(leadId, "dst_hist", s.accountId, "http", watchdog, null);
        long now = System.currentTimeMillis();
        assertThat(deliveries.takeLease(leadId, "dst_hist", 1, "w1", now, now + 60_000)).isTrue();
        deliveries.recordRetrying(leadId, "dst_hist", "w1", 1, Instant.now().plusSeconds(60), "HTTP 503",
                List.of(new Attempt(Instant.now(), "retryable", 503, "HTTP 503")));

        JsonPath listed = page(s.apiKey, "");
        JsonPath one = s.getLead(leadId).jsonPath();

        assertThat(listed.getString("items[0].deliveries[0].status")).isEqualTo("retrying");
        assertThat(listed.getMap("items[0].deliveries[0]")).containsKeys("destinationId", "status", "attempts",
                "lastError", "nextAttemptAt", "deliveredAt").doesNotContainKey("history");
        assertThat(one.getList("deliveries[0].history")).hasSize(1);
    }

    @Test
    void a_dispatched_delivery_not_tried_yet_is_shown_pending_beside_the_recorded_ones() {
        Scenario s = Scenario.withMetaPage();
        String providerLeadId = Scenario.newLeadgenId();
        LeadIdentity identity = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, providerLeadId);
        Instant now = Instant.now();
        assertThat(leads.claim(identity, T0, "w0", now.toEpochMilli() + 60_000, now)).isTrue();
        leads.store("w0", new StoredLead(identity.leadId(), s.accountId, ProviderType.META_LEAD_ADS, providerLeadId,
                "p@example.com", "Pat", "Lee", "Pat Lee", null, null, Map.of(), Map.of(), T0, null, null, null,
                false, now));
        // Dispatched to two targets; only the first has had an attempt (its record is written by it).
        Map<String, String> routes = new java.util.LinkedHashMap<>();
        routes.put("dst_tried", "http");
        routes.put("sub_waiting", "webhook");
        leads.markDispatched(identity.leadId(), "w0", now, routes);
        long ms = System.currentTimeMillis();
        assertThat(deliveries.takeLease(identity.leadId(), "dst_tried", 1, "w1", ms, ms + 60_000,
                new com.leadsync.delivery.DeliveryRepository.FirstRecord(s.accountId, "http", null,
                        now.plusSeconds(900)))).isTrue();
        deliveries.recordDelivered(identity.leadId(), "dst_tried", "w1", 1, Instant.now(),
                List.of(new Attempt(Instant.now(), "delivered", 200, "ok")));

        JsonPath one = s.getLead(identity.leadId()).jsonPath();

        assertThat(one.getList("deliveries.destinationId")).containsExactly("dst_tried", "sub_waiting");
        assertThat(one.getList("deliveries.status")).containsExactly("delivered", "pending");
        assertThat(one.getMap("deliveries[1]")).containsEntry("type", "webhook").containsEntry("attempts", 0)
                .containsEntry("deliveredAt", null);
        assertThat(one.getList("deliveries[1].history")).isEmpty();
        assertThat(page(s.apiKey, "?deliveryStatus=pending").getList("items.leadId"))
                .containsExactly(identity.leadId());

        // A destination added later and pushed to joins the lead's routes: the listing's batched read finds it.
        Scenario.stubHubSpotOk();
        String hubspot = s.addHubSpot();
        assertThat(as(s.apiKey).post("/crm/push/" + identity.leadId()).statusCode()).isEqualTo(202);
        assertThat(leads.get(identity.leadId()).orElseThrow().routes()).containsKeys("dst_tried", "sub_waiting",
                hubspot);
        assertThat(page(s.apiKey, "").getList("items[0].deliveries.destinationId")).contains(hubspot);
    }

    @Test
    void a_page_of_big_leads_stops_early_with_a_cursor_and_loses_none() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String big = "x".repeat(300_000);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String providerLeadId = Scenario.newLeadgenId();
            LeadIdentity identity = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, providerLeadId);
            Instant now = Instant.now();
            Instant at = T0.plus(Duration.ofMinutes(i));
            assertThat(leads.claim(identity, at, "w", now.toEpochMilli() + 60_000, now)).isTrue();
            leads.store("w", new StoredLead(identity.leadId(), s.accountId, ProviderType.META_LEAD_ADS,
                    providerLeadId, null, null, null, null, null, null, Map.of(), Map.of("essay", big), at, null, null,
                    null, false, now));
            ids.add(0, identity.leadId()); // newest first
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response r = as(s.apiKey).get("/leads?limit=12" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(r.statusCode()).as(r.asString().substring(0, Math.min(300, r.asString().length())))
                    .isEqualTo(200);
            byte[] body = r.asByteArray();
            // Lambda's response limit is 6 MB for the whole envelope, in which the body is an escaped JSON string.
            assertThat(body.length).as("page %d body bytes", pages).isLessThan(3 * 1024 * 1024);
            ObjectNode json = (ObjectNode) JSON.readTree(body);
            json.get("items").forEach(item -> seen.add(item.get("leadId").asText()));
            JsonNode next = json.get("nextCursor");
            cursor = next.isNull() ? null : next.asText();
            pages++;
        } while (cursor != null && pages < 20);

        assertThat(pages).isGreaterThan(1);
        assertThat(seen).containsExactlyElementsOf(ids);
    }
}
