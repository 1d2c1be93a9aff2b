package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.lead.LeadIdentity;
import com.leadsync.local.LocalInfrastructure;
import com.leadsync.model.LeadStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A lead whose fetch keeps failing for a reason no person can fix on the connection (Graph answers 500 on every
 * try) is not lost: local mode, like Lambda, redelivers it until the queue's maxReceiveCount (5) and the queue
 * moves it to the dead-letter queue, where it waits for a redrive; the lead record says why. (A rejected token
 * parks the lead on its connection instead: see {@link ParkedLeadsTest}.)
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class DeadLetterTest {

    @Inject
    SqsClient sqs;
    @Inject
    LocalInfrastructure infrastructure;
    @Inject
    LeadStore leads;

    @Test
    void a_lead_that_keeps_failing_ends_in_the_ingest_dead_letter_queue() {
        Scenario s = Scenario.withMetaPage();
        String leadgenId = Scenario.newLeadgenId();
        Fakes.server().stubFor(get(urlPathEqualTo("/" + Scenario.GRAPH_VERSION + "/" + leadgenId))
                .willReturn(aResponse().withStatus(500).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"An unknown error has occurred.\","
                                + "\"type\":\"OAuthException\",\"code\":1,\"fbtrace_id\":\"x\"}}")));

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        String dlq = infrastructure.queueUrl("IngestDLQ");
        List<Message> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(60)
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages().stream().filter(m -> m.body().contains(leadgenId)).forEach(dead::add);
            return !dead.isEmpty();
        });
        assertThat(dead).hasSize(1);
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        var record = leads.get(leadId).orElseThrow();
        assertThat(record.status()).isEqualTo(LeadStatus.RECEIVED);
        assertThat(record.lastError()).contains("500").contains("code 1 ").contains("An unknown error has occurred.");
        assertThat(record.leaseOwner()).as("the failed attempt released its lease").isNull();
    }
}
