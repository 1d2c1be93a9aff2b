package com.leadsync.webhook;

import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.api.ApiTestSupport;
import com.leadsync.api.WebhookHandler;
import com.leadsync.queue.QueuePublisher;
import com.leadsync.store.UnroutedStore;
import com.leadsync.testing.Scenario;
import com.leadsync.testing.TikTokFake;
import com.leadsync.testing.TikTokFake.Advertiser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Provider-facing {@code /webhook/tiktok_ads} through local mode's HTTP gateway (contract §5): the signature over
 * the raw bytes, only lead events, routing by each entry's advertiser, and "200 means durably queued, anything else
 * means nothing kept". The queue pumps are off in this profile, so the ingest queue's depth says what was queued.
 */
@QuarkusTest
class TikTokWebhookReceiptTest {

    private static final String PATH = "/webhook/tiktok_ads";

    @Inject
    SqsClient sqs;

    @Inject
    QueuePublisher queues;

    @Inject
    UnroutedStore unrouted;

    private long depth() {
        return ApiTestSupport.ingestDepth(sqs, queues);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String body(Advertiser a, String... leadIds) {
        return TikTokFake.webhookBody(Arrays.stream(leadIds)
                .map(id -> TikTokFake.leadEntry(id, a.advertiserId(), "lead." + id + "@example.com"))
                .toArray(String[]::new));
    }

    @Test
    void a_signed_lead_event_for_a_connected_advertiser_queues_one_message_per_entry() {
        Advertiser a = TikTokFake.connected();
        long before = depth();

        Response r = TikTokFake.postSigned(body(a, TikTokFake.newId(), TikTokFake.newId()));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(2);
        assertThat(r.jsonPath().getInt("unrouted")).isZero();
        assertThat(depth() - before).isEqualTo(2);
    }

    @Test
    void an_upper_case_signature_is_accepted() {
        Advertiser a = TikTokFake.connected();
        byte[] body = utf8(body(a, TikTokFake.newId()));
        long before = depth();

        Response r = TikTokFake.postWebhook(body, TikTokFake.sign(body).toUpperCase(Locale.ROOT));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(depth() - before).isEqualTo(1);
    }

    @Test
    void a_batch_mixing_a_connected_and_an_unknown_advertiser_queues_the_routed_lead_and_keeps_the_other() {
        Advertiser a = TikTokFake.connected();
        String stranger = TikTokFake.newId();
        String body = TikTokFake.webhookBody(TikTokFake.leadEntry(TikTokFake.newId(), a.advertiserId(), "a@example.com"),
                TikTokFake.leadEntry(TikTokFake.newId(), stranger, "b@example.com"));
        long before = depth();

        Response r = TikTokFake.postSigned(body);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(1);
        assertThat(r.jsonPath().getInt("unrouted")).isEqualTo(1);
        assertThat(depth() - before).isEqualTo(1);
        assertThat(unrouted.waiting("tiktok_ads#" + stranger)).isEqualTo(1);
    }

    @Test
    void an_unknown_advertiser_is_acknowledged_recorded_as_unrouted_and_not_queued() {
        String stranger = TikTokFake.newId();
        String body = TikTokFake.webhookBody(TikTokFake.leadEntry(TikTokFake.newId(), stranger, "a@example.com"));
        long before = depth();

        Response r = TikTokFake.postSigned(body);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isZero();
        assertThat(r.jsonPath().getInt("unrouted")).isEqualTo(1);
        assertThat(depth()).isEqualTo(before);
        assertThat(unrouted.events("tiktok_ads#" + stranger)).isEqualTo(1);
    }

    @Test
    void events_for_other_objects_are_acknowledged_and_nothing_is_queued() {
        Advertiser a = TikTokFake.connected();
        String adReview = body(a, TikTokFake.newId()).replace("\"object\":1", "\"object\":3");
        long before = depth();

        Response r = TikTokFake.postSigned(adReview);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isZero();
        assertThat(depth()).isEqualTo(before);
    }

    // --- authentication: 401, nothing kept --------------------------------------------------------------------

    @Test
    void a_body_without_a_signature_is_refused_and_nothing_is_queued() {
        Advertiser a = TikTokFake.connected();
        long before = depth();

        assertError(TikTokFake.postWebhook(utf8(body(a, TikTokFake.newId())), null), 401, "unauthenticated");

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_wrong_signature_is_refused_and_nothing_is_queued() {
        Advertiser a = TikTokFake.connected();
        byte[] body = utf8(body(a, TikTokFake.newId()));
        byte[] other = utf8(body(a, TikTokFake.newId()));
        long before = depth();

        assertError(TikTokFake.postWebhook(body, TikTokFake.sign(body, "another-app-secret")), 401);
        assertError(TikTokFake.postWebhook(body, TikTokFake.sign(other)), 401);
        assertError(TikTokFake.postWebhook(body, "sha256=" + TikTokFake.sign(body)), 401);
        assertError(TikTokFake.postWebhook(body, "not-a-signature"), 401);
        // Meta's scheme is not TikTok's.
        assertError(Scenario.given().contentType("application/json").body(body)
                .header("X-Hub-Signature-256", "sha256=" + TikTokFake.sign(body)).post(PATH), 401);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_signature_over_re_serialized_json_does_not_match_the_escaped_bytes_as_sent() {
        Advertiser a = TikTokFake.connected();
        String escaped = body(a, TikTokFake.newId()).replace("Acme Ads", "Caf\\u00e9 Ads");
        byte[] sent = escaped.getBytes(StandardCharsets.US_ASCII);
        byte[] decoded = utf8(escaped.replace("Caf\\u00e9", "Café"));
        long before = depth();

        assertError(TikTokFake.postWebhook(sent, TikTokFake.sign(decoded)), 401);
        assertThat(depth()).isEqualTo(before);

        Response r = TikTokFake.postWebhook(sent, TikTokFake.sign(sent));
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(depth() - before).isEqualTo(1);
    }

    // --- bad bodies: 400 / 413, nothing kept ------------------------------------------------------------------

    @Test
    void a_signed_malformed_body_is_a_bad_request_and_nothing_is_queued() {
        Advertiser a = TikTokFake.connected();
        String good = TikTokFake.leadEntry(TikTokFake.newId(), a.advertiserId(), "a@example.com");
        long before = depth();

        assertError(TikTokFake.postSigned("{\"object\":1,\"entry\":"), 400, "bad_request");
        assertError(TikTokFake.postSigned("{\"object\":1,\"entry\":{}}"), 400);
        assertError(TikTokFake.postSigned("{\"entry\":[" + good + "]}"), 400);
        // A batch whose only entry lacks its creation time.
        assertError(TikTokFake.postSigned(TikTokFake.webhookBody(
                "{\"id\":\"" + TikTokFake.newId() + "\",\"advertiser_id\":\"" + a.advertiserId() + "\"}")), 400);
        assertError(TikTokFake.postSigned(TikTokFake.webhookBody(good.replace("\"id\":\"", "\"id\":\"lead-"))), 400);
        assertError(TikTokFake.postWebhook(new byte[0], TikTokFake.sign(new byte[0])), 400);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void a_broken_entry_is_skipped_and_the_other_leads_of_the_batch_are_queued() {
        Advertiser a = TikTokFake.connected();
        Advertiser b = TikTokFake.connected();
        String broken = "{\"id\":\"" + TikTokFake.newId() + "\",\"advertiser_id\":\"" + a.advertiserId() + "\"}";
        long before = depth();

        Response r = TikTokFake.postSigned(TikTokFake.webhookBody(
                TikTokFake.leadEntry(TikTokFake.newId(), a.advertiserId(), "a@example.com"), broken,
                TikTokFake.leadEntry(TikTokFake.newId(), b.advertiserId(), "b@example.com")));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("queued")).isEqualTo(2);
        assertThat(depth() - before).isEqualTo(2);
    }

    @Test
    void a_body_over_one_megabyte_is_too_large_and_nothing_is_queued() {
        Advertiser a = TikTokFake.connected();
        byte[] start = utf8(body(a, TikTokFake.newId()));
        byte[] body = Arrays.copyOf(start, WebhookHandler.MAX_BODY_BYTES + 1);
        Arrays.fill(body, start.length, body.length, (byte) ' ');
        long before = depth();

        assertError(TikTokFake.postWebhook(body, TikTokFake.sign(body)), 413);

        assertThat(depth()).isEqualTo(before);
    }

    @Test
    void there_is_no_subscription_handshake() {
        assertError(Scenario.given().get(PATH), 403);
        assertError(Scenario.given().queryParam("challenge", "1158201444").get(PATH), 403);
    }
}
