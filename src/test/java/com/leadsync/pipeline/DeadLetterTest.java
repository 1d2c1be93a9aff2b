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
import com.leadsync.testing.Redelivery;
import com.leadsync.testing.Scenario;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
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
 * parks the lead on its connection instead: see {@link ParkedLeadsTest}.) Once the cause is gone, a redrive
 * ({@code POST /admin/dlq/ingest/redrive}) takes it through to delivered, once.
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

    @Test
    void a_dead_lettered_lead_redriven_once_its_cause_is_gone_is_delivered_once() {
        // Earlier tests leave their dead letters behind: this one redrives its own only.
        sqs.purgeQueue(b -> b.queueUrl(infrastructure.queueUrl("IngestDLQ")));
        Scenario s = Scenario.withMetaPage();
        String crm = "/dlq-crm-" + s.accountId;
        s.addHttpCrm(crm);
        Scenario.stubOk(crm);
        String leadgenId = Scenario.newLeadgenId();
        Fakes.server().stubFor(get(urlPathEqualTo("/" + Scenario.GRAPH_VERSION + "/" + leadgenId))
                .willReturn(aResponse().withStatus(500).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"An unknown error has occurred.\","
                                + "\"type\":\"OAuthException\",\"code\":1,\"fbtrace_id\":\"x\"}}")));
        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> ingestDepth().getLong("messages") == 1);
        assertThat(ingestDepth().getString("deadLetterQueue")).isEqualTo("leadsync-ingest-dlq");

        // Only the admin key redrives, and only a pipeline queue.
        assertThat(Scenario.given().header("x-api-key", s.apiKey).post("/admin/dlq/ingest/redrive").statusCode())
                .isEqualTo(403);
        assertThat(admin().post("/admin/dlq/leads/redrive").statusCode()).isEqualTo(404);
        assertThat(ingestDepth().getLong("messages")).as("refused: nothing moved").isEqualTo(1);

        s.stubGraphLead(leadgenId, "redriven." + leadgenId + "@example.com");
        Response redrive = admin().post("/admin/dlq/ingest/redrive");
        assertThat(redrive.statusCode()).as(redrive.asString()).isEqualTo(202);
        assertThat(redrive.jsonPath().getLong("messages")).isEqualTo(1);
        assertThat(redrive.jsonPath().getString("taskHandle")).isNotBlank();

        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(
                JsonPath.from(s.getLead(leadId).asString()).getString("deliveries[0].status")));
        Redelivery.staysTrue(() -> assertThat(Scenario.posts(crm, leadgenId)).hasSize(1));
        JsonPath after = ingestDepth();
        assertThat(after.getLong("messages")).isZero();
        assertThat(after.getString("moveTask.status")).isEqualTo("COMPLETED");
        assertThat(after.getLong("moveTask.moved")).isEqualTo(1);
        // Nothing left to move: nothing started.
        Response again = admin().post("/admin/dlq/ingest/redrive");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.jsonPath().getLong("messages")).isZero();
        assertThat(again.jsonPath().getString("taskHandle")).isNull();
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return Scenario.given().header("x-api-key", Scenario.ADMIN_KEY);
    }

    /** The ingest dead-letter queue's item of {@code GET /admin/dlq}. */
    private static JsonPath ingestDepth() {
        Response r = admin().get("/admin/dlq");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getList("items.queue")).containsExactly("ingest", "deliver", "poll", "import");
        return JsonPath.from(r.asString()).setRootPath("items.find { it.queue == 'ingest' }");
    }
}
