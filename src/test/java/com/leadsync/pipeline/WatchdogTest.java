package com.leadsync.pipeline;

import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.HUBSPOT_UPSERT;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.api.ApiTestSupport;
import com.leadsync.delivery.DeliveryStatus;
import com.leadsync.model.StoredLead;
import com.leadsync.store.DeliveryStore;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A queued delivery whose deliver message was lost (dead-lettered, purged, never sent) is not stuck: when
 * its watchdog time passes, the retry function queues it again and it is delivered.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class WatchdogTest {

    @Inject
    LeadStore leads;
    @Inject
    DeliveryStore deliveries;

    @Test
    void a_pending_delivery_without_a_message_is_requeued_at_its_watchdog_and_delivered() {
        Scenario.stubHubSpotOk();
        Scenario s = Scenario.withMetaPage();
        String hubspot = s.addHubSpot();
        StoredLead lead = ApiTestSupport.storeLead(leads, s.accountId, Instant.parse("2026-03-07T14:30:00Z"));
        // The record exists, as after a dispatch; its message is never queued.
        deliveries.ensure(lead.leadId(), hubspot, s.accountId, "hubspot", Instant.now().plusSeconds(2), null);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                deliveries.get(lead.leadId(), hubspot).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED));
        staysTrue(() -> assertThat(posts(HUBSPOT_UPSERT, lead.email())).hasSize(1));
    }
}
