package com.leadsync.api;

import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.delivery.Attempt;
import com.leadsync.model.StoredLead;
import com.leadsync.store.DeliveryStore;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One push in flight per lead: a manual push while a delivery of the lead is queued or being sent is 409, and
 * the account push skips such deliveries, so repeated pushes cannot pile up sends. (Default test profile: no
 * queue pumps, so a queued delivery stays queued.)
 */
@QuarkusTest
class PushInFlightTest {

    @Inject
    LeadStore leads;
    @Inject
    DeliveryStore deliveries;

    private static final List<Attempt> ONE_TRY = List.of(new Attempt(Instant.now(), "retryable", 503, "HTTP 503"));

    private StoredLead lead(Scenario s) {
        return ApiTestSupport.storeLead(leads, s.accountId, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void a_push_while_the_leads_delivery_is_queued_is_a_conflict_and_changes_nothing() {
        Scenario s = Scenario.withMetaPage();
        String hubspot = s.addHubSpot();
        StoredLead lead = lead(s);
        deliveries.ensure(lead.leadId(), hubspot, s.accountId, "hubspot", Instant.now().plusSeconds(900), null);

        assertError(as(s.apiKey).post("/crm/push/" + lead.leadId()), 409, "conflict");
        assertThat(deliveries.get(lead.leadId(), hubspot).orElseThrow().generation()).isEqualTo(1);
    }

    @Test
    void a_second_push_before_the_first_is_sent_is_a_conflict() {
        Scenario s = Scenario.withMetaPage();
        String hubspot = s.addHubSpot();
        StoredLead lead = lead(s);
        // Queued long ago and never attempted: its message was lost, so it is not in flight.
        deliveries.ensure(lead.leadId(), hubspot, s.accountId, "hubspot", Instant.now().minusSeconds(1), null);

        JsonPath first = as(s.apiKey).post("/crm/push/" + lead.leadId()).then().statusCode(202).extract().jsonPath();
        assertThat(first.getInt("queued")).isEqualTo(1);
        assertError(as(s.apiKey).post("/crm/push/" + lead.leadId()), 409, "conflict");
        assertThat(deliveries.get(lead.leadId(), hubspot).orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void a_delivery_being_sent_is_in_flight_and_a_finished_one_is_not() {
        Scenario s = Scenario.withMetaPage();
        String hubspot = s.addHubSpot();
        String crm = s.addHttpCrm("/crm-custom/in-flight");
        StoredLead lead = lead(s);
        long now = System.currentTimeMillis();
        deliveries.ensure(lead.leadId(), hubspot, s.accountId, "hubspot", Instant.now().plusSeconds(900), null);
        deliveries.ensure(lead.leadId(), crm, s.accountId, "http", Instant.now().plusSeconds(900), null);
        deliveries.takeLease(lead.leadId(), hubspot, 1, "w1", now, now + 60_000);
        deliveries.recordDelivered(lead.leadId(), hubspot, "w1", 1, Instant.now(), ONE_TRY);
        assertThat(deliveries.takeLease(lead.leadId(), crm, 1, "w1", now, now + 60_000)).isTrue();

        assertError(as(s.apiKey).post("/crm/push/" + lead.leadId()), 409, "conflict");
        assertThat(deliveries.get(lead.leadId(), hubspot).orElseThrow().generation()).as("no partial push").isEqualTo(1);

        deliveries.recordFailed(lead.leadId(), crm, "w1", 1, "HTTP 400", ONE_TRY);
        JsonPath push = as(s.apiKey).post("/crm/push/" + lead.leadId()).then().statusCode(202).extract().jsonPath();
        assertThat(push.getInt("queued")).isEqualTo(2);
    }

    @Test
    void the_account_push_skips_deliveries_in_flight() {
        Scenario s = Scenario.withMetaPage();
        String hubspot = s.addHubSpot();
        StoredLead queued = lead(s);
        StoredLead failed = lead(s);
        long now = System.currentTimeMillis();
        deliveries.ensure(queued.leadId(), hubspot, s.accountId, "hubspot", Instant.now().plusSeconds(900), null);
        deliveries.ensure(failed.leadId(), hubspot, s.accountId, "hubspot", Instant.now().plusSeconds(900), null);
        deliveries.takeLease(failed.leadId(), hubspot, 1, "w1", now, now + 60_000);
        deliveries.recordFailed(failed.leadId(), hubspot, "w1", 1, "HTTP 400", ONE_TRY);

        JsonPath push = asJson(s.apiKey, Map.of()).post("/crm/push").then().statusCode(202).extract().jsonPath();
        assertThat(push.getInt("leads")).isEqualTo(1);
        assertThat(push.getInt("queued")).isEqualTo(1);
        assertThat(deliveries.get(queued.leadId(), hubspot).orElseThrow().generation()).isEqualTo(1);
        assertThat(deliveries.get(failed.leadId(), hubspot).orElseThrow().generation()).isEqualTo(2);

        // The same push again: the failed lead's new generation is now queued, so nothing more goes out.
        JsonPath again = asJson(s.apiKey, Map.of()).post("/crm/push").then().statusCode(202).extract().jsonPath();
        assertThat(again.getInt("queued")).isZero();
        assertThat(deliveries.get(failed.leadId(), hubspot).orElseThrow().generation()).isEqualTo(2);
    }
}
