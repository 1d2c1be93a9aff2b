package com.leadsync.webhook;

import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.api.ApiTestSupport;
import com.leadsync.api.WebhookHandler;
import com.leadsync.queue.QueuePublisher;
import com.leadsync.source.meta.MetaSignature;
import com.leadsync.store.UnroutedStore;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Provider-facing {@code /webhook/meta_lead_ads} through local mode's HTTP gateway (contract §2): the
 * subscription handshake, signature checks over the raw bytes, and "200 means durably queued, anything
 * else means nothing kept". The default test profile has the queue pumps off, so whatever the webhook
 * queues stays on the ingest queue and its depth says exactly what was queued.
 */
@QuarkusTest
class MetaWebhookReceiptTest {

    private static final String PATH = "/webhook/meta_lead_ads";

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

    private static Response postSigned(byte[] body, String secret) {
        return raw(body).header(MetaSignature.HEADER, MetaSignature.sign(body, secret)).post(PATH);
    }

    private static Response postSigned(byte[] body) {
        return postSigned(body, Scenario.META_APP_SECRET);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String leadgenChange(String leadgenId, String pageId) {
        return """
                {"field":"leadgen","value":{"leadgen_id":"%s","page_id":"%s","form_id":"987654321098765",\
                "ad_id":"120210000000000002","created_time":1772893800}}""".formatted(leadgenId, pageId);
    }

    // --- handshake -----------------------------------------------------------------------------------------

    @Test
    void handshake_with_the_verify_token_echoes_the_challenge_as_plain_text() {
        Response r = Scenario.given().queryParam("hub.mode", "subscribe").queryParam("hub.challenge", "1158201444")
                .queryParam("hub.verify_token", "test-verify-token").get(PATH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.asString()).isEqualTo("1158201444");
        assertThat(r.contentType()).startsWith("text/plain");
    }

    @Test
    void handshake_with_a_wrong_token_mode_or_no_challenge_is_forbidden() {
        assertError(Scenario.given().queryParam("hub.mode", "subscribe").queryParam("hub.challenge", "1158201444")
                .queryParam("hub.verify_token", "wrong-token").get(PATH), 403);
        assertError(Scenario.given().queryParam("hub.mode", "unsubscribe").queryParam("hub.challenge", "1158201444")
                .queryParam("hub.verify_token", "test-verify-token").get(PATH), 403);
        assertError(Scenario.given().queryParam("hub.mode", "subscribe")
                .queryParam("hub.verify_token", "test-verify-token").get(PATH), 403);
        assertError(Scenario.given().queryParam("hub.mode", "subscribe").queryParam("hub.challenge", "1158201444")
                .get(PATH), 403);
        assertError(Scenario.given().get(PATH), 403);
    }

    // --- valid receipt -------------------------------------------------------------------------------------

    @Test
    void a_signed_body_for_a_connected_page_queues_one_message_per_leadgen_change() {
        Scenario s = Scenario.withMetaPage();
        long before = depth();

        Response r = postSigned(utf8(s.webhookBody(Scenario.newLeadgenId())));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(1);
        assertThat(depth() - before).isEqualTo(1);
    }

    @Test
    void changes_of_other_fields_are_not_queued() {
        Scenario s = Scenario.withMetaPage();
        String body = """
                {"object":"page","entry":[{"id":"%s","time":1772893800,"changes":[%s,\
                {"field":"feed","value":{"item":"status","verb":"add","post_id":"1_2"}},%s]}]}"""
                .formatted(s.pageId, leadgenChange(Scenario.newLeadgenId(), s.pageId),
                        leadgenChange(Scenario.newLeadgenId(), s.pageId));
        long before = depth();

        Response r = postSigned(utf8(body));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(2);
        assertThat(depth() - before).isEqualTo(2);
    }

    @Test
    void a_large_batch_queues_every_leadgen_change() {
        Scenario s = Scenario.withMetaPage();
        String[] ids = new String[25];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Scenario.newLeadgenId();
        }
        long before = depth();

        Response r = postSigned(utf8(s.webhookBody(ids)));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(25);
        assertThat(depth() - before).isEqualTo(25);
    }

    @Test
    void events_for_other_objects_are_acknowledged_and_not_queued() {
        Scenario s = Scenario.withMetaPage();
        String body = """
                {"object":"instagram","entry":[{"id":"%s","time":1772893800,"changes":[%s]}]}"""
                .formatted(s.pageId, leadgenChange(Scenario.newLeadgenId(), s.pageId));
        long before = depth();

        Response r = postSigned(utf8(body));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isZero();
        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_broken_leadgen_change_is_skipped_and_the_other_leads_of_the_batch_are_queued() {
        Scenario s = Scenario.withMetaPage();
        String body = """
                {"object":"page","entry":[{"id":"%s","time":1772893800,"changes":[%s,\
                {"field":"leadgen","value":{"page_id":"%s","form_id":"1"}},%s]}]}"""
                .formatted(s.pageId, leadgenChange(Scenario.newLeadgenId(), s.pageId), s.pageId,
                        leadgenChange(Scenario.newLeadgenId(), s.pageId));
        long before = depth();

        Response r = postSigned(utf8(body));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(2);
        assertThat(depth() - before).isEqualTo(2);
    }

    @Test
    void a_signed_body_with_an_implausible_page_id_is_a_bad_request_and_nothing_is_kept() {
        // A huge page id would exceed DynamoDB's key limit when recorded as unrouted: a 5xx makes Meta retry for 36 h.
        String hugePage = "1".repeat(3_000);
        String body = """
                {"object":"page","entry":[{"id":"%s","time":1772893800,"changes":[%s]}]}"""
                .formatted(hugePage, leadgenChange(Scenario.newLeadgenId(), hugePage));
        long before = depth();

        assertError(postSigned(utf8(body)), 400, "bad_request");
        assertError(postSigned(utf8(body.replace(hugePage, "page-abc"))), 400);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_disconnected_page_is_unrouted() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = Scenario.given().header("x-api-key", s.apiKey).get("/connections")
                .then().statusCode(200).extract().path("items[0].id");
        Scenario.given().header("x-api-key", s.apiKey).delete("/connections/" + connectionId)
                .then().statusCode(204);
        long before = depth();

        Response r = postSigned(utf8(s.webhookBody(Scenario.newLeadgenId())));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("unrouted")).isEqualTo(1);
        assertThat(depth()).isEqualTo(before);
        assertThat(unrouted.events("meta_lead_ads#" + s.pageId)).isEqualTo(1);
    }

    @Test
    void the_signature_header_name_is_case_insensitive() {
        Scenario s = Scenario.withMetaPage();
        byte[] body = utf8(s.webhookBody(Scenario.newLeadgenId()));
        long before = depth();

        Response r = raw(body).header("x-hub-signature-256", MetaSignature.sign(body, Scenario.META_APP_SECRET))
                .post(PATH);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(depth() - before).isEqualTo(1);
    }

    // --- signature failures: 401, nothing kept ---------------------------------------------------------------

    @Test
    void a_body_signed_with_another_secret_is_refused_and_nothing_is_queued() {
        Scenario s = Scenario.withMetaPage();
        long before = depth();

        assertError(postSigned(utf8(s.webhookBody(Scenario.newLeadgenId())), "some-other-app-secret"), 401);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_body_without_a_signature_is_refused_and_nothing_is_queued() {
        Scenario s = Scenario.withMetaPage();
        long before = depth();

        assertError(raw(utf8(s.webhookBody(Scenario.newLeadgenId()))).post(PATH), 401);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_legacy_sha1_signature_alone_is_refused_and_nothing_is_queued() {
        Scenario s = Scenario.withMetaPage();
        byte[] body = utf8(s.webhookBody(Scenario.newLeadgenId()));
        String sha256Hex = MetaSignature.sign(body, Scenario.META_APP_SECRET).substring("sha256=".length());
        long before = depth();

        // Meta's legacy header only.
        assertError(raw(body).header("X-Hub-Signature", "sha1=" + sha256Hex.substring(0, 40)).post(PATH), 401);
        // A sha1= value in the sha256 header, even carrying the right digest.
        assertError(raw(body).header(MetaSignature.HEADER, "sha1=" + sha256Hex).post(PATH), 401);
        // A bare digest without its scheme.
        assertError(raw(body).header(MetaSignature.HEADER, sha256Hex).post(PATH), 401);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_signature_over_a_different_body_is_refused_and_nothing_is_queued() {
        Scenario s = Scenario.withMetaPage();
        byte[] signed = utf8(s.webhookBody(Scenario.newLeadgenId()));
        byte[] sent = utf8(s.webhookBody(Scenario.newLeadgenId()));
        long before = depth();

        assertError(raw(sent).header(MetaSignature.HEADER, MetaSignature.sign(signed, Scenario.META_APP_SECRET))
                .post(PATH), 401);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void an_unsigned_body_for_an_unknown_page_is_not_recorded_as_unrouted() {
        String pageId = "9" + Scenario.newLeadgenId();
        String body = """
                {"object":"page","entry":[{"id":"%s","time":1772893800,"changes":[%s]}]}"""
                .formatted(pageId, leadgenChange(Scenario.newLeadgenId(), pageId));
        long before = depth();

        assertError(postSigned(utf8(body), "not-the-app-secret"), 401);

        assertThat(unrouted.events("meta_lead_ads#" + pageId)).isZero();
        assertThat(depth()).isEqualTo(before);
    }

    // --- malformed bodies: 400 / 413 --------------------------------------------------------------------------

    @Test
    void malformed_json_with_a_valid_signature_is_a_bad_request_and_nothing_is_queued() {
        Scenario s = Scenario.withMetaPage();
        String valid = s.webhookBody(Scenario.newLeadgenId());
        long before = depth();

        assertError(postSigned(utf8(valid.substring(0, valid.length() - 3))), 400); // truncated
        assertError(postSigned(utf8("{\"object\":\"page\",\"entry\":[}")), 400);
        assertError(postSigned(utf8(valid + "{}")), 400); // trailing garbage
        assertError(postSigned(utf8("not json at all")), 400);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void json_of_the_wrong_shape_is_a_bad_request() {
        Scenario s = Scenario.withMetaPage();
        long before = depth();

        assertError(postSigned(utf8("{\"object\":\"page\",\"entry\":{\"id\":\"" + s.pageId + "\"}}")), 400);
        assertError(postSigned(utf8("[{\"object\":\"page\"}]")), 400);
        assertError(postSigned(utf8("{\"entry\":[]}")), 400);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void invalid_utf8_bytes_reach_the_verifier_raw_and_are_a_bad_request() {
        Scenario s = Scenario.withMetaPage();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8("{\"object\":\"page\",\"note\":\"bad "));
        out.write(0xff);
        out.write(0xfe);
        out.writeBytes(utf8("\",\"entry\":[{\"id\":\"" + s.pageId + "\",\"changes\":["
                + leadgenChange(Scenario.newLeadgenId(), s.pageId) + "]}]}"));
        byte[] body = out.toByteArray();
        long before = depth();

        // Signed over the exact bytes: the signature passes, the JSON does not.
        assertError(postSigned(body), 400);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_body_over_one_megabyte_is_too_large_and_nothing_is_queued() {
        Scenario s = Scenario.withMetaPage();
        byte[] body = padded(s.webhookBody(Scenario.newLeadgenId()), WebhookHandler.MAX_BODY_BYTES + 1);
        long before = depth();

        assertError(postSigned(body), 413);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_body_of_exactly_one_megabyte_is_accepted() {
        Scenario s = Scenario.withMetaPage();
        byte[] body = padded(s.webhookBody(Scenario.newLeadgenId()), WebhookHandler.MAX_BODY_BYTES);
        long before = depth();

        Response r = postSigned(body);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(depth() - before).isEqualTo(1);
    }

    /** A valid JSON body followed by whitespace up to {@code size} bytes. */
    private static byte[] padded(String json, int size) {
        byte[] start = utf8(json);
        assertThat(start.length).isLessThan(size);
        byte[] body = Arrays.copyOf(start, size);
        Arrays.fill(body, start.length, size, (byte) ' ');
        return body;
    }

    // --- routing ------------------------------------------------------------------------------------------

    @Test
    void an_unknown_page_is_acknowledged_recorded_as_unrouted_and_not_queued() {
        String pageId = "8" + Scenario.newLeadgenId();
        String routeKey = "meta_lead_ads#" + pageId;
        String body = """
                {"object":"page","entry":[{"id":"%s","time":1772893800,"changes":[%s,%s]}]}"""
                .formatted(pageId, leadgenChange(Scenario.newLeadgenId(), pageId),
                        leadgenChange(Scenario.newLeadgenId(), pageId));
        long unroutedBefore = unrouted.events(routeKey);
        long before = depth();

        Response r = postSigned(utf8(body));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isZero();
        assertThat(r.jsonPath().getInt("unrouted")).isEqualTo(2);
        assertThat(depth()).isEqualTo(before);
        assertThat(unrouted.events(routeKey)).isEqualTo(unroutedBefore + 2);
        assertThat(unrouted.waiting(routeKey)).as("kept until the page is connected").isEqualTo(2);
    }

    @Test
    void a_repeated_webhook_for_an_unknown_page_keeps_one_notice_per_lead_and_counts_every_event() {
        String pageId = "8" + Scenario.newLeadgenId();
        String routeKey = "meta_lead_ads#" + pageId;
        String leadgenId = Scenario.newLeadgenId();
        String body = """
                {"object":"page","entry":[{"id":"%s","time":1772893800,"changes":[%s,%s]}]}"""
                .formatted(pageId, leadgenChange(leadgenId, pageId), leadgenChange(leadgenId, pageId));

        postSigned(utf8(body)).then().statusCode(200);
        postSigned(utf8(body)).then().statusCode(200);

        assertThat(unrouted.events(routeKey)).isEqualTo(4);
        assertThat(unrouted.waiting(routeKey)).isEqualTo(1);
    }

    @Test
    void a_batch_for_a_connected_and_an_unknown_page_queues_only_the_routed_lead() {
        Scenario s = Scenario.withMetaPage();
        String otherPage = "7" + Scenario.newLeadgenId();
        String body = """
                {"object":"page","entry":[{"id":"%s","time":1772893800,"changes":[%s]},\
                {"id":"%s","time":1772893800,"changes":[%s]}]}"""
                .formatted(s.pageId, leadgenChange(Scenario.newLeadgenId(), s.pageId),
                        otherPage, leadgenChange(Scenario.newLeadgenId(), otherPage));
        long before = depth();

        Response r = postSigned(utf8(body));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(1);
        assertThat(r.jsonPath().getInt("unrouted")).isEqualTo(1);
        assertThat(depth() - before).isEqualTo(1);
        assertThat(unrouted.events("meta_lead_ads#" + otherPage)).isEqualTo(1);
    }

    @Test
    void other_methods_are_not_allowed_and_queue_nothing() {
        Scenario s = Scenario.withMetaPage();
        byte[] body = utf8(s.webhookBody(Scenario.newLeadgenId()));
        String signature = MetaSignature.sign(body, Scenario.META_APP_SECRET);
        long before = depth();

        assertError(raw(body).header(MetaSignature.HEADER, signature).put(PATH), 405);
        assertError(raw(body).header(MetaSignature.HEADER, signature).delete(PATH), 405);
        assertError(raw(body).header(MetaSignature.HEADER, signature).patch(PATH), 405);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void an_unknown_provider_is_not_found() {
        byte[] body = utf8("{\"object\":\"page\",\"entry\":[]}");
        assertError(raw(body).header(MetaSignature.HEADER, MetaSignature.sign(body, Scenario.META_APP_SECRET))
                .post("/webhook/nope"), 404);
        assertError(Scenario.given().get("/webhook/nope"), 404);
    }

    // --- raw bytes ------------------------------------------------------------------------------------------

    @Test
    void escaped_unicode_is_verified_over_the_bytes_as_sent() {
        Scenario s = Scenario.withMetaPage();
        // The six ASCII characters \u00e9, as Meta serializes non-ASCII text.
        String escaped = """
                {"object":"page","entry":[{"id":"%s","time":1772893800,"changes":[%s]}],"note":"caf\\u00e9"}"""
                .formatted(s.pageId, leadgenChange(Scenario.newLeadgenId(), s.pageId));
        assertThat(escaped).contains("caf\\u00e9").doesNotContain("café");
        byte[] body = escaped.getBytes(StandardCharsets.US_ASCII);
        long before = depth();

        Response r = postSigned(body);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(depth() - before).isEqualTo(1);

        // A signature over the decoded text (what re-serializing would produce) does not match those bytes.
        byte[] decoded = utf8(escaped.replace("caf\\u00e9", "café"));
        assertError(raw(body).header(MetaSignature.HEADER, MetaSignature.sign(decoded, Scenario.META_APP_SECRET))
                .post(PATH), 401);
        assertThat(depth() - before).isEqualTo(1);
    }

    @Test
    void raw_utf8_text_is_verified_over_the_bytes_as_sent() {
        Scenario s = Scenario.withMetaPage();
        byte[] body = utf8("""
                {"object":"page","entry":[{"id":"%s","time":1772893800,"changes":[%s]}],"note":"café ✓"}"""
                .formatted(s.pageId, leadgenChange(Scenario.newLeadgenId(), s.pageId)));
        long before = depth();

        Response r = postSigned(body);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(depth() - before).isEqualTo(1);
    }
}
