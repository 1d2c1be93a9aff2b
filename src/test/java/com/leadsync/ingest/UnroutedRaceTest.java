package com.leadsync.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.api.ApiTestSupport;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.queue.QueuePublisher;
import com.leadsync.source.LeadNotice;
import com.leadsync.store.UnroutedStore;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The race between a webhook and a connect: the webhook found no connection, then the page was connected
 * and its drain read the (still empty) notices, then the webhook kept its lead. The webhook looks again
 * after keeping it, so the lead is queued all the same. (Pumps are off: what is queued stays on the queue.)
 */
@QuarkusTest
class UnroutedRaceTest {

    @Inject
    UnroutedLeads unrouted;
    @Inject
    UnroutedStore store;
    @Inject
    SqsClient sqs;
    @Inject
    QueuePublisher queues;

    @Test
    void a_lead_kept_after_its_page_was_connected_is_queued_at_once() {
        Scenario s = Scenario.withMetaPage();
        String routeKey = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);
        long before = ApiTestSupport.ingestDepth(sqs, queues);

        unrouted.keep(List.of(LeadNotice.idsOnly(ProviderType.META_LEAD_ADS, s.pageId, Scenario.newLeadgenId(),
                "987654321098765", null, Instant.parse("2026-03-07T14:30:00Z"))));

        assertThat(ApiTestSupport.ingestDepth(sqs, queues) - before).isEqualTo(1);
        assertThat(store.waiting(routeKey)).isZero();
        assertThat(store.events(routeKey)).as("still counted for the operator").isEqualTo(1);
    }
}
