package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.leadsync.testing.Redelivery.staysTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.crypto.Sha256;
import com.leadsync.ingest.IngestMessage;
import com.leadsync.ingest.IngestQueue;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.local.LocalInfrastructure;
import com.leadsync.model.Connection;
import com.leadsync.model.LeadStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.store.LeadStore;
import com.leadsync.store.Schema;
import com.leadsync.store.TableNames;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.GoogleAdsFake;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import com.leadsync.testing.TikTokFake;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Leads bigger than an SQS message (256 KiB) or a DynamoDB item (400 KB), through the local-mode wiring: a webhook
 * lead, a polled lead and a lead that waited for its connection each arrive whole and once; a reference to a payload
 * that is gone is retried into the DLQ, not dropped.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class OversizedLeadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The webhook takes bodies of up to 1 MB: the answer alone is well over SQS's and DynamoDB's limits. */
    private static final int ANSWER_CHARS = 600 * 1024;
    private static final String QUESTION = "Tell us about your project";

    @Inject
    IngestQueue queue;
    @Inject
    SqsClient sqs;
    @Inject
    LocalInfrastructure infrastructure;
    @Inject
    LeadStore leads;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    /** Text gzip cannot shrink much (base64 of random bytes), so its parts really are that big. */
    private static String longAnswer() {
        byte[] random = new byte[ANSWER_CHARS];
        new Random().nextBytes(random);
        return Base64.getEncoder().encodeToString(random).substring(0, ANSWER_CHARS);
    }

    private static String subscribe(String apiKey, String providerType) {
        String path = "/subscriber/oversized-" + UUID.randomUUID();
        Scenario.stubOk(path);
        Scenario.given().header("x-api-key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("callbackUrl", Fakes.baseUrl() + path, "eventType", "leadgen"))
                .post("/webhooks/" + providerType + "/subscribe").then().statusCode(201);
        return path;
    }

    /** What the subscriber at {@code path} was sent for that lead. */
    private static List<JsonNode> forwards(String path, String leadId) throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (var r : Fakes.server().findAll(postRequestedFor(urlEqualTo(path)))) {
            JsonNode body = JSON.readTree(r.getBodyAsString());
            if (leadId.equals(body.path("data").path("leadId").asText())) {
                bodies.add(body);
            }
        }
        return bodies;
    }

    /** The lead, once every delivery of it is delivered; then exactly one forward, holding the whole answer. */
    private static JsonPath deliveredWhole(String apiKey, String leadId, String forwardPath, String question,
            String answer) throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Scenario.given()
                .header("x-api-key", apiKey).get("/leads/" + leadId).then().statusCode(200).extract().jsonPath()
                .getList("deliveries.status")).containsOnly("delivered").hasSize(1));
        JsonPath lead = Scenario.given().header("x-api-key", apiKey).get("/leads/" + leadId).jsonPath();
        assertThat(lead.getString("status")).isEqualTo("dispatched");
        assertThat(lead.getString("customFields.'" + question + "'")).isEqualTo(answer);
        staysTrue(() -> assertThat(forwards(forwardPath, leadId)).hasSize(1));
        JsonNode forward = forwards(forwardPath, leadId).get(0);
        assertThat(forward.path("data").path("customFields").path(question).asText()).isEqualTo(answer);
        return lead;
    }

    @Test
    void a_google_webhook_lead_of_600_kb_is_accepted_stored_and_delivered_once_whole() throws Exception {
        JsonPath account = Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme " + UUID.randomUUID())).post("/accounts").then().statusCode(201)
                .extract().jsonPath();
        String apiKey = account.getString("apiKey");
        String customerId = GoogleAdsFake.newCustomerId();
        String webhookKey = GoogleAdsFake.newWebhookKey();
        GoogleAdsFake.connect(apiKey, customerId, GoogleAdsFake.newAccessToken(customerId),
                Map.of(Connection.WEBHOOK_KEY, webhookKey)).then().statusCode(201);
        String forwardPath = subscribe(apiKey, "google_ads");
        String googleLeadId = GoogleAdsFake.newLeadId();
        String answer = longAnswer();
        ObjectNode body = (ObjectNode) JSON.readTree(GoogleAdsFake.webhookLead(webhookKey, googleLeadId,
                "jane@example.com", false));
        ((ArrayNode) body.get("user_column_data")).addObject().put("column_name", QUESTION)
                .put("string_value", answer).put("column_id", "QUESTION_2");
        byte[] bytes = JSON.writeValueAsBytes(body);
        assertThat(bytes.length).isBetween(600 * 1024, 1024 * 1024);

        Scenario.given().contentType("application/json").body(bytes).post("/webhook/google_ads").then()
                .statusCode(200);

        String leadId = new LeadIdentity(account.getString("accountId"), ProviderType.GOOGLE_ADS, googleLeadId)
                .leadId();
        JsonPath lead = deliveredWhole(apiKey, leadId, forwardPath, QUESTION, answer);
        assertThat(lead.getString("email")).isEqualTo("jane@example.com");
        assertThat(lead.getString("fullName")).isEqualTo("Jane Doe");
        assertThat(lead.getMap("customFields")).containsEntry("What is your monthly budget?", "$5k-$10k");
        assertThat(lead.getString("campaignId")).isEqualTo("50000000000");
    }

    @Test
    void a_polled_lead_too_big_for_sqs_is_stored_and_delivered_once_whole() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String forwardPath = subscribe(s.apiKey, "meta_lead_ads");
        String formId = s.pageId + "01";
        String leadgenId = Scenario.newLeadgenId();
        String answer = longAnswer();
        ObjectNode big = (ObjectNode) JSON.readTree(MetaListingFake.lead(leadgenId, formId, "big@example.com"));
        ((ArrayNode) big.get("field_data")).addObject().put("name", "tell_us_about_your_project").putArray("values")
                .add(answer);
        String small = Scenario.newLeadgenId();
        MetaListingFake.of(s).forms(1, formId).leads(formId, 10, MetaListingFake.lead(small, formId,
                "small@example.com"), JSON.writeValueAsString(big));
        String connectionId = Scenario.given().header("x-api-key", s.apiKey).get("/connections").then()
                .statusCode(200).extract().jsonPath().getString("items.find { it.externalId == '" + s.pageId + "' }.id");

        Scenario.given().header("x-api-key", s.apiKey).post("/connections/" + connectionId + "/sync").then()
                .statusCode(202);

        JsonPath lead = deliveredWhole(s.apiKey, new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId)
                .leadId(), forwardPath, "tell_us_about_your_project", answer);
        assertThat(lead.getString("email")).isEqualTo("big@example.com");
        // The page's other lead went inline, as ever.
        assertThat(s.getLead(new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, small).leadId()).then()
                .statusCode(200).extract().jsonPath().getString("email")).isEqualTo("small@example.com");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Scenario.given()
                .header("x-api-key", s.apiKey).get("/connections/" + connectionId).jsonPath()
                .getString("lastPollStatus")).isEqualTo("ok"));
    }

    @Test
    void a_big_lead_kept_for_an_unconnected_advertiser_waits_by_reference_and_arrives_whole_once_connected()
            throws Exception {
        JsonPath account = Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "TikTok " + UUID.randomUUID())).post("/accounts").then().statusCode(201)
                .extract().jsonPath();
        String apiKey = account.getString("apiKey");
        String forwardPath = subscribe(apiKey, "tiktok_ads");
        String advertiser = TikTokFake.newId();
        String token = TikTokFake.newToken();
        TikTokFake.grantAdvertiser(advertiser, token);
        String tiktokLeadId = TikTokFake.newId();
        String answer = longAnswer();
        ObjectNode entry = (ObjectNode) JSON.readTree(TikTokFake.leadEntry(tiktokLeadId, advertiser,
                "late@example.com"));
        ((ArrayNode) entry.get("changes")).addObject().put("field", QUESTION).put("value", answer);

        TikTokFake.postSigned(TikTokFake.webhookBody(JSON.writeValueAsString(entry))).then().statusCode(200);

        // The notice holds the reference, not the 600 KB (its item could not).
        Map<String, AttributeValue> notice = dynamo.getItem(b -> b.tableName(tables.of(Schema.UNROUTED))
                .key(Map.of("routeKey", AttributeValue.fromS(Connection.routeKey(ProviderType.TIKTOK_ADS, advertiser)),
                        "noticeKey", AttributeValue.fromS("lead#" + tiktokLeadId))).consistentRead(true)).item();
        assertThat(notice).containsKey("payloadRef").doesNotContainKey("payload");
        assertThat(notice.get("payloadRef").s()).matches("[0-9a-f]{64}");

        TikTokFake.connect(apiKey, advertiser, token).then().statusCode(201);

        JsonPath lead = deliveredWhole(apiKey, new LeadIdentity(account.getString("accountId"),
                ProviderType.TIKTOK_ADS, tiktokLeadId).leadId(), forwardPath, QUESTION, answer);
        assertThat(lead.getString("email")).isEqualTo("late@example.com");
    }

    @Test
    void a_message_whose_payload_is_gone_is_retried_into_the_dead_letter_queue_with_its_error_recorded() {
        String accountId = "acc_dangling_" + UUID.randomUUID();
        String googleLeadId = GoogleAdsFake.newLeadId();
        String ref = Sha256.hex(("never kept " + googleLeadId).getBytes(StandardCharsets.UTF_8));
        Instant now = Instant.now();
        IngestMessage dangling = new IngestMessage(accountId, "con_dangling", ProviderType.GOOGLE_ADS, "1234567890",
                googleLeadId, null, null, now, "webhook", now, null, ref, 0, null);

        queue.publishIngest(List.of(dangling));

        String dlq = infrastructure.queueUrl("IngestDLQ");
        List<Message> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(60)).messages()
                    .stream().filter(m -> m.body().contains(googleLeadId)).forEach(dead::add);
            return !dead.isEmpty();
        });
        assertThat(dead).singleElement().satisfies(m -> assertThat(m.body()).contains(ref));
        var record = leads.get(new LeadIdentity(accountId, ProviderType.GOOGLE_ADS, googleLeadId).leadId())
                .orElseThrow();
        assertThat(record.status()).isEqualTo(LeadStatus.RECEIVED);
        assertThat(record.lastError()).contains(ref).contains("is gone");
        assertThat(record.leaseOwner()).isNull();
    }
}
