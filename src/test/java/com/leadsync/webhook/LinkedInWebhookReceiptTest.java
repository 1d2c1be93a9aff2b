package com.leadsync.webhook;

import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.api.ApiTestSupport;
import com.leadsync.api.WebhookHandler;
import com.leadsync.queue.QueuePublisher;
import com.leadsync.store.UnroutedStore;
import com.leadsync.testing.LinkedInFake;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code /webhook/linkedin_ads} through local mode's HTTP gateway (contract §5): the validation challenge,
 * {@code X-LI-Signature} in each form providers.md §3.2 allows, and "200 means durably queued, anything else
 * means nothing kept". The queue pumps are off in this profile, so the ingest queue's depth says exactly
 * what was queued; nothing here calls LinkedIn (the lead is fetched by the normalize step).
 */
@QuarkusTest
class LinkedInWebhookReceiptTest {

    private static final String PATH = LinkedInFake.WEBHOOK;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SqsClient sqs;

    @Inject
    QueuePublisher queues;

    @Inject
    UnroutedStore unrouted;

    private long depth() {
        return ApiTestSupport.ingestDepth(sqs, queues);
    }

    private static RequestSpecification raw(byte[] body) {
        return Scenario.given().contentType("application/json").body(body);
    }

    private static Response post(byte[] body, String signature) {
        return raw(body).header("X-LI-Signature", signature).post(PATH);
    }

    private static Response postSigned(byte[] body) {
        return post(body, LinkedInFake.signBare(body, LinkedInFake.CLIENT_SECRET));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // --- validation challenge -----------------------------------------------------------------------------

    @Test
    void the_challenge_is_answered_with_its_hmac_under_the_client_secret_as_json() throws Exception {
        Response r = Scenario.given().queryParam("challengeCode", "3f2c6a4e-1b7d-4c1e-9a55-0e8d2b7f9c10")
                .queryParam("applicationId", "86abcd1234").get(PATH);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode body = JSON.readTree(r.asString());
        assertThat(body.size()).isEqualTo(2);
        assertThat(body.path("challengeCode").asText()).isEqualTo("3f2c6a4e-1b7d-4c1e-9a55-0e8d2b7f9c10");
        // printf '%s' '3f2c6a4e-1b7d-4c1e-9a55-0e8d2b7f9c10' | openssl dgst -sha256 -hmac 'test-linkedin-client-secret'
        assertThat(body.path("challengeResponse").asText())
                .isEqualTo("73fc12416f16cdb6cfa8bcdc5d38af165ffe928f9bc2c23f071aae6e831b9037");
    }

    @Test
    void a_challenge_is_echoed_as_json_text_whatever_it_holds() throws Exception {
        String odd = "a\"b\\c</script>";
        JsonNode body = JSON.readTree(Scenario.given().queryParam("challengeCode", odd).get(PATH).asString());

        assertThat(body.path("challengeCode").asText()).isEqualTo(odd);
    }

    @Test
    void a_validation_call_without_a_plausible_challenge_is_forbidden() {
        assertError(Scenario.given().queryParam("applicationId", "86abcd1234").get(PATH), 403);
        assertError(Scenario.given().queryParam("challengeCode", "").get(PATH), 403);
        assertError(Scenario.given().queryParam("challengeCode", "c".repeat(257)).get(PATH), 403);
        assertError(Scenario.given().get(PATH), 403);
    }

    // --- accepted --------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bare hex", "prefixed header", "prefix inside the signed message"})
    void each_signature_form_is_accepted_and_the_lead_queued(String form) {
        LinkedInFake.Connected c = LinkedInFake.connectedAccount();
        byte[] body = utf8(LinkedInFake.notification(c.adAccountId(), LinkedInFake.newLeadId(), "CREATED"));
        BiFunction<byte[], String, String> sign = switch (form) {
            case "bare hex" -> LinkedInFake::signBare;
            case "prefixed header" -> LinkedInFake::signWithPrefix;
            default -> LinkedInFake::signPrefixedBody;
        };
        long before = depth();

        Response r = post(body, sign.apply(body, LinkedInFake.CLIENT_SECRET));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(1);
        assertThat(depth() - before).isEqualTo(1);
    }

    @Test
    void an_array_of_notifications_queues_each_lead() {
        LinkedInFake.Connected c = LinkedInFake.connectedAccount();
        String body = "[" + LinkedInFake.notification(c.adAccountId(), LinkedInFake.newLeadId(), "CREATED") + ","
                + LinkedInFake.notification(c.adAccountId(), LinkedInFake.newLeadId(), "CREATED") + "]";
        long before = depth();

        Response r = postSigned(utf8(body));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(2);
        assertThat(depth() - before).isEqualTo(2);
    }

    @Test
    void a_deleted_lead_is_acknowledged_and_creates_nothing() {
        LinkedInFake.Connected c = LinkedInFake.connectedAccount();
        long before = depth();

        Response r = postSigned(utf8(LinkedInFake.notification(c.adAccountId(), LinkedInFake.newLeadId(), "DELETED")));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isZero();
        assertThat(r.jsonPath().getInt("unrouted")).isZero();
        assertThat(depth()).isEqualTo(before);
    }

    // --- refused: 401, nothing kept ---------------------------------------------------------------------------

    @Test
    void a_wrong_or_missing_signature_is_refused_and_nothing_is_queued_or_kept() {
        String account = LinkedInFake.newAdAccountId(); // unknown: a kept unrouted lead would show there
        byte[] body = utf8(LinkedInFake.notification(account, LinkedInFake.newLeadId(), "CREATED"));
        byte[] other = utf8(LinkedInFake.notification(account, LinkedInFake.newLeadId(), "CREATED"));
        long before = depth();

        assertError(post(body, LinkedInFake.signBare(body, "not-the-client-secret")), 401, "unauthenticated");
        assertError(post(body, LinkedInFake.signWithPrefix(body, "not-the-client-secret")), 401);
        assertError(post(body, LinkedInFake.signBare(other, LinkedInFake.CLIENT_SECRET)), 401); // another body's
        assertError(post(body, "sha256=" + LinkedInFake.signBare(body, LinkedInFake.CLIENT_SECRET)), 401);
        assertError(raw(body).post(PATH), 401);

        assertThat(depth()).isEqualTo(before);
        assertThat(unrouted.events("linkedin_ads#" + account)).isZero();
    }

    // --- malformed: 400 / 413 ---------------------------------------------------------------------------------

    @Test
    void a_signed_malformed_body_is_a_bad_request_and_nothing_is_queued() {
        LinkedInFake.Connected c = LinkedInFake.connectedAccount();
        String valid = LinkedInFake.notification(c.adAccountId(), LinkedInFake.newLeadId(), "CREATED");
        long before = depth();

        assertError(postSigned(utf8(valid.substring(0, valid.length() - 3))), 400, "bad_request"); // truncated
        assertError(postSigned(utf8(valid + "{}")), 400); // trailing data
        assertError(postSigned(utf8("not json")), 400);
        assertError(postSigned(utf8("\"urn:li:leadGenFormResponse:abc-1\"")), 400);
        assertError(postSigned(utf8(valid.replace("urn:li:sponsoredAccount:" + c.adAccountId(), "acme"))), 400);
        assertError(postSigned(utf8(valid.replace("urn:li:leadGenFormResponse:", "urn:li:lead:"))), 400);
        // An array of nothing but broken notifications.
        assertError(postSigned(utf8("[{\"owner\":{}},7]")), 400);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_broken_notification_in_an_array_is_skipped_and_the_others_are_queued() {
        LinkedInFake.Connected c = LinkedInFake.connectedAccount();
        String first = LinkedInFake.notification(c.adAccountId(), LinkedInFake.newLeadId(), "CREATED");
        String second = LinkedInFake.notification(c.adAccountId(), LinkedInFake.newLeadId(), "CREATED");
        long before = depth();

        Response r = postSigned(utf8("[" + first + ",{\"owner\":{}}," + second + "]"));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(2);
        assertThat(depth() - before).isEqualTo(2);
    }

    @Test
    void a_body_over_one_megabyte_is_too_large_and_nothing_is_queued() {
        LinkedInFake.Connected c = LinkedInFake.connectedAccount();
        byte[] start = utf8(LinkedInFake.notification(c.adAccountId(), LinkedInFake.newLeadId(), "CREATED"));
        byte[] body = Arrays.copyOf(start, WebhookHandler.MAX_BODY_BYTES + 1);
        Arrays.fill(body, start.length, body.length, (byte) ' ');
        long before = depth();

        assertError(postSigned(body), 413, "payload_too_large");

        assertThat(depth()).isEqualTo(before);
    }

    // --- routing ----------------------------------------------------------------------------------------------

    @Test
    void an_unknown_sponsored_account_is_acknowledged_kept_as_unrouted_and_not_queued() {
        String account = LinkedInFake.newAdAccountId();
        String routeKey = "linkedin_ads#" + account;
        long before = depth();

        Response r = postSigned(utf8(LinkedInFake.notification(account, LinkedInFake.newLeadId(), "CREATED")));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isZero();
        assertThat(r.jsonPath().getInt("unrouted")).isEqualTo(1);
        assertThat(depth()).isEqualTo(before);
        assertThat(unrouted.events(routeKey)).isEqualTo(1);
        assertThat(unrouted.waiting(routeKey)).as("kept until the account is connected").isEqualTo(1);
    }

    @Test
    void an_organization_lead_is_acknowledged_and_not_kept() {
        String body = LinkedInFake.notification("42", LinkedInFake.newLeadId(), "CREATED")
                .replace("{\"sponsoredAccount\":\"urn:li:sponsoredAccount:42\"}",
                        "{\"organization\":\"urn:li:organization:2414183\"}");
        long before = depth();

        Response r = postSigned(utf8(body));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isZero();
        assertThat(r.jsonPath().getInt("unrouted")).isZero();
        assertThat(depth()).isEqualTo(before);
    }
}
