package com.leadsync.webhook;

import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.api.ApiTestSupport;
import com.leadsync.api.WebhookHandler;
import com.leadsync.model.Connection;
import com.leadsync.queue.QueuePublisher;
import com.leadsync.testing.GoogleAdsFake;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code /webhook/google_ads} through local mode's HTTP gateway (contract §5): the body's {@code google_key} is
 * a connection's {@code webhookKey}; a missing or unknown key is 401, a malformed body 400, a too large one 413,
 * and only a 200 queues anything. The queue pumps are off here, so the ingest queue's depth is what was queued.
 */
@QuarkusTest
class GoogleWebhookReceiptTest {

    private static final String PATH = "/webhook/google_ads";

    @Inject
    SqsClient sqs;

    @Inject
    QueuePublisher queues;

    private String webhookKey;

    @BeforeEach
    void connectACustomer() {
        Response account = Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme " + UUID.randomUUID())).post("/accounts");
        String customerId = GoogleAdsFake.newCustomerId();
        webhookKey = GoogleAdsFake.newWebhookKey();
        GoogleAdsFake.connect(account.path("apiKey"), customerId, GoogleAdsFake.newAccessToken(customerId),
                Map.of(Connection.WEBHOOK_KEY, webhookKey)).then().statusCode(201);
    }

    private long depth() {
        return ApiTestSupport.ingestDepth(sqs, queues);
    }

    private static Response post(String body) {
        return Scenario.given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8)).post(PATH);
    }

    @Test
    void a_lead_with_a_connections_key_is_queued() {
        long before = depth();

        Response r = post(GoogleAdsFake.webhookLead(webhookKey, GoogleAdsFake.newLeadId(), "jane@example.com", false));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(1);
        assertThat(depth() - before).isEqualTo(1);
    }

    @Test
    void a_missing_or_unknown_key_is_unauthenticated_and_nothing_is_queued() {
        long before = depth();
        String lead = GoogleAdsFake.webhookLead(webhookKey, GoogleAdsFake.newLeadId(), "jane@example.com", false);

        assertError(post(lead.replace("\"google_key\":\"" + webhookKey + "\",", "")), 401, "unauthenticated");
        assertError(post(lead.replace(webhookKey, GoogleAdsFake.newWebhookKey())), 401, "unauthenticated");
        assertError(post(lead.replace(webhookKey, webhookKey.toUpperCase())), 401, "unauthenticated");
        assertError(post(lead.replace(webhookKey, webhookKey.substring(1))), 401, "unauthenticated");
        assertError(post("{\"google_key\":\"" + GoogleAdsFake.newWebhookKey() + "\"}"), 401, "unauthenticated");

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_malformed_body_is_a_bad_request_and_nothing_is_queued() {
        long before = depth();
        String lead = GoogleAdsFake.webhookLead(webhookKey, GoogleAdsFake.newLeadId(), "jane@example.com", false);

        assertError(post("{\"google_key\":\"" + webhookKey + "\","), 400, "bad_request");
        assertError(post("[" + lead + "]"), 400, "bad_request");
        assertError(post(lead.replaceFirst("\"lead_id\":\"[^\"]+\",", "")), 400, "bad_request");
        assertError(post(lead.replace("\"lead_submit_time\":\"2026-03-07T14:30:00Z\"", "\"lead_submit_time\":\"soon\"")),
                400, "bad_request");

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_body_over_one_megabyte_is_too_large_and_nothing_is_queued() {
        long before = depth();
        String lead = GoogleAdsFake.webhookLead(webhookKey, GoogleAdsFake.newLeadId(), "jane@example.com", false);
        String padded = lead.replace("\"lead_stage\":\"\"",
                "\"lead_stage\":\"" + "x".repeat(WebhookHandler.MAX_BODY_BYTES) + "\"");

        assertError(post(padded), 413, "payload_too_large");

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void there_is_no_subscription_handshake() {
        assertError(Scenario.given().queryParam("hub.challenge", "1158201444").get(PATH), 403, "forbidden");
    }
}
