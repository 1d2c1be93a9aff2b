package com.leadsync.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.LeadStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code normalize} export as Lambda runs it: an SQS batch in, partial batch failures out. Only the
 * records that failed are reported, so SQS redelivers just those.
 */
@QuarkusTest
@TestProfile(NormalizeLambdaTest.Export.class)
class NormalizeLambdaTest {

    public static class Export implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "normalize");
        }
    }

    @Inject
    LeadStore leads;

    @Test
    void a_batch_reports_only_its_failed_records() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String good = Scenario.newLeadgenId();
        String unfetchable = Scenario.newLeadgenId();
        s.stubGraphLead(good, "batch." + good + "@example.com");
        // No Graph stub for `unfetchable`: WireMock answers 404, so the fetch fails.
        String event = LambdaEvents.sqs("leadsync-ingest", ingest(s, good), "{not json", ingest(s, unfetchable));

        String out = RestAssured.given().contentType("application/json").body(event).post("/").then()
                .statusCode(200).extract().asString();

        JsonNode failures = LambdaEvents.JSON.readTree(out).path("batchItemFailures");
        assertThat(failures).hasSize(2);
        assertThat(failures.findValuesAsText("itemIdentifier")).containsExactlyInAnyOrder("m1", "m2");
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, good).leadId();
        assertThat(leads.get(leadId).orElseThrow().status()).isEqualTo(LeadStatus.DISPATCHED);
        String failedId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, unfetchable).leadId();
        var failed = leads.get(failedId).orElseThrow();
        assertThat(failed.status()).isEqualTo(LeadStatus.RECEIVED);
        assertThat(failed.lastError()).contains("Meta Graph API 404");
    }

    private static String ingest(Scenario s, String leadgenId) {
        return """
                {"accountId":"%s","connectionId":"c","providerType":"meta_lead_ads","externalId":"%s",
                 "providerLeadId":"%s","formId":"987654321098765","adId":null,"createdTime":"2026-03-07T14:30:00Z",
                 "via":"webhook","queuedAt":"2026-03-07T14:30:01Z"}""".formatted(s.accountId, s.pageId, leadgenId);
    }
}
