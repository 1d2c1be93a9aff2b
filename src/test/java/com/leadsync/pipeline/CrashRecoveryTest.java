package com.leadsync.pipeline;

import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.HUBSPOT_UPSERT;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.LeadStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.store.DeliveryStore;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.CrashingProbe;
import com.leadsync.testing.DueIndex;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A crash right after each pipeline step: the lead still arrives, once. The crash is an Error thrown at the
 * step (nothing cleans up, as when a Lambda instance dies), so recovery relies only on SQS redelivery,
 * the recorded state and the leases.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class CrashRecoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LeadStore leads;
    @Inject
    DeliveryStore deliveries;

    @BeforeEach
    void fakes() {
        Scenario.stubHubSpotOk();
        Scenario.stubOk("/subscriber/crash");
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook.queued", "normalize.claimed", "normalize.fetched", "normalize.stored",
            "normalize.dispatched", "normalize.done", "deliver.sent", "deliver.recorded"})
    void a_crash_after_a_step_still_delivers_the_lead_exactly_once(String step) throws Exception {
        Scenario s = Scenario.withMetaPage();
        s.addHubSpot();
        s.subscribe("/subscriber/crash", "crash-secret");
        String leadgenId = Scenario.newLeadgenId();
        String email = step.replace('.', '-') + "." + leadgenId + "@example.com";
        s.stubGraphLead(leadgenId, email);
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        String key = step.equals("webhook.queued") ? leadgenId : leadId;
        // For deliver steps, crash every target's first delivery (HubSpot and the subscriber).
        CrashingProbe.arm(step, key, step.startsWith("deliver.") ? 2 : 1);

        int first = Scenario.postWebhook(s.webhookBody(leadgenId)).statusCode();
        if (step.equals("webhook.queued")) {
            // The crash happened before the 200: Meta sees a failure and retries the delivery.
            assertThat(first).isEqualTo(500);
            Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);
        } else {
            assertThat(first).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(
                s.getLead(leadId).then().statusCode(200).extract().jsonPath().getList("deliveries.status"))
                .containsOnly("delivered").hasSize(2));
        assertThat(CrashingProbe.fired(step, key)).as("the crash was injected").isGreaterThanOrEqualTo(1);

        staysTrue(() -> {
            List<LoggedRequest> upserts = posts(HUBSPOT_UPSERT, email);
            List<LoggedRequest> forwards = posts("/subscriber/crash", email);
            if (step.equals("deliver.sent")) {
                // Sent, then died before recording it: the redelivery sends again, with the same idempotency
                // keys, so HubSpot updates the same contact and the subscriber can drop the repeat.
                assertThat(upserts).hasSizeBetween(1, 2);
                assertThat(upserts.stream().map(r -> traceId(r)).distinct()).hasSize(1);
                assertThat(forwards).hasSizeBetween(1, 2);
                assertThat(forwards.stream().map(r -> r.getHeader("webhook-id")).distinct()).hasSize(1);
            } else {
                assertThat(upserts).hasSize(1);
                assertThat(forwards).hasSize(1);
            }
        });
        assertThat(s.listLeads().jsonPath().getList("items.leadId")).containsExactly(leadId);

        // Whatever step was repeated, nothing finished is left for the retry sweep: looking past any watchdog
        // time, the due index holds no row of this lead (a finished row there would be re-queued forever).
        await().atMost(Duration.ofSeconds(20)).until(() -> leads.get(leadId).orElseThrow().status()
                == LeadStatus.DISPATCHED);
        assertThat(DueIndex.rowsOf(deliveries, leadId, Instant.now().plus(Duration.ofDays(30))))
                .as("due index rows of the delivered lead").isEmpty();
    }

    private static String traceId(LoggedRequest r) {
        try {
            return JSON.readTree(r.getBodyAsString()).path("inputs").get(0).path("objectWriteTraceId").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
