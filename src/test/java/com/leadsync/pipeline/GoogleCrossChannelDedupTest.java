package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.HUBSPOT_UPSERT;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.ingest.IngestMessage;
import com.leadsync.ingest.LeadIngestion;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.lead.LeadRecord;
import com.leadsync.lead.LeadRepository;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.CrashingProbe;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.GoogleAdsFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Google's webhook {@code lead_id} and its API's {@code id} for one lead may differ (providers.md §2.7, [U]): a lead
 * seen by webhook and by poll under two ids is still one lead, one CRM record, one forward, recognized by its click,
 * its email and its submission time (±1 min). Through the local-mode wiring: webhook and "sync now" → ingest queue
 * → normalize → HubSpot and a subscriber.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class GoogleCrossChannelDedupTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBSCRIBER = "/subscriber/google-cross";
    /** The API's {@code submission_date_time}: the account's zone, here UTC−5. */
    private static final DateTimeFormatter API_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx")
            .withZone(ZoneOffset.ofHours(-5));

    @Inject
    LeadRepository leads;
    @Inject
    LeadIngestion ingestion;

    @BeforeEach
    void fakes() {
        Scenario.stubHubSpotOk();
        Scenario.stubOk(SUBSCRIBER);
    }

    /** An account with a Google Ads customer connected, HubSpot, and a subscriber to its Google leads. */
    private record Customer(String accountId, String apiKey, String customerId, String webhookKey, String token) {

        String connectionId() {
            return Scenario.given().header("x-api-key", apiKey).get("/connections").then().statusCode(200).extract()
                    .jsonPath().getString("items.find { it.externalId == '" + customerId + "' }.id");
        }

        String leadId(String googleLeadId) {
            return new LeadIdentity(accountId, ProviderType.GOOGLE_ADS, googleLeadId).leadId();
        }

        Response getLead(String leadId) {
            return Scenario.given().header("x-api-key", apiKey).get("/leads/" + leadId);
        }

        List<String> listed() {
            return Scenario.given().header("x-api-key", apiKey).get("/leads").jsonPath().getList("items.leadId");
        }
    }

    private static Customer connectedCustomer() {
        Response account = Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme " + UUID.randomUUID())).post("/accounts");
        account.then().statusCode(201);
        String apiKey = account.path("apiKey");
        String customerId = GoogleAdsFake.newCustomerId();
        String webhookKey = GoogleAdsFake.newWebhookKey();
        String token = GoogleAdsFake.newAccessToken(customerId);
        GoogleAdsFake.connect(apiKey, customerId, token, Map.of(Connection.WEBHOOK_KEY, webhookKey))
                .then().statusCode(201);
        Scenario.given().header("x-api-key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "hubspot", "name", "HubSpot",
                        "config", Map.of("accessToken", "pat-na1-" + apiKey)))
                .post("/crm/destinations").then().statusCode(201);
        Scenario.given().header("x-api-key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("callbackUrl", Fakes.baseUrl() + SUBSCRIBER, "eventType", "leadgen"))
                .post("/webhooks/google_ads/subscribe").then().statusCode(201);
        return new Customer(account.path("accountId"), apiKey, customerId, webhookKey, token);
    }

    /** The customer's lead listing ({@code googleAds:search} over lead_form_submission_data) answers these rows. */
    private static void listing(Customer c, String... rows) {
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.searchPath(c.customerId()))).atPriority(2)
                .withHeader("Authorization", equalTo("Bearer " + c.token()))
                .withRequestBody(containing("FROM lead_form_submission_data"))
                .willReturn(GoogleAdsFake.json(200, GoogleAdsFake.leadPage(null, rows))));
    }

    /** One submission: a click, an email, a time, and the two ids Google may give it. */
    private record Submission(String gclid, String email, Instant at, String webhookId, String apiId) {

        static Submission fresh() {
            String n = UUID.randomUUID().toString();
            // A minute into the poll's 24 h window, at Google's precision (seconds).
            return new Submission("EAIaIQobChMI-" + n, "jane." + n + "@example.com",
                    Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS), "TeSter-" + n,
                    "Cj0KCQiA-" + n);
        }

        /** As the form's user typed it: the webhook carries the raw answer. */
        String webhookBody(Customer c) {
            return GoogleAdsFake.webhookLead(c.webhookKey(), webhookId, " " + email.toUpperCase() + " ", false,
                    gclid, at.toString());
        }

        String apiRow(Customer c) {
            return GoogleAdsFake.leadRow(c.customerId(), apiId, API_TIME.format(at), email, gclid);
        }

        Submission later(Duration by) {
            return new Submission(gclid, email, at.plus(by), webhookId, apiId);
        }

        Submission withApiId(String id) {
            return new Submission(gclid, email, at, webhookId, id);
        }
    }

    private static void postWebhook(String body) {
        Scenario.given().contentType("application/json").body(body).post("/webhook/google_ads").then().statusCode(200);
    }

    private static void sync(Customer c) {
        Scenario.given().header("x-api-key", c.apiKey()).post("/connections/" + c.connectionId() + "/sync")
                .then().statusCode(202);
    }

    private static void awaitPolled(Customer c) {
        String connectionId = c.connectionId();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Scenario.given()
                .header("x-api-key", c.apiKey()).get("/connections/" + connectionId).jsonPath()
                .getString("lastPollStatus")).isEqualTo("ok"));
    }

    /** Every delivery of the lead (HubSpot and the subscriber) delivered. */
    private static void awaitDelivered(Customer c, String leadId) {
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(
                c.getLead(leadId).then().statusCode(200).extract().jsonPath().getList("deliveries.status"))
                .containsOnly("delivered").hasSize(2));
    }

    private void awaitDuplicates(String leadId, long count) {
        await().atMost(Duration.ofSeconds(40)).until(() -> leads.get(leadId).map(LeadRecord::duplicates).orElse(0L),
                n -> n == count);
    }

    /** One lead, {@code kept}; the other id's claim gone; one CRM upsert and one forward of the email. */
    private void oneLead(Customer c, Submission s, String kept, String dropped) {
        awaitDelivered(c, kept);
        awaitDuplicates(kept, 1);
        staysTrue(() -> {
            assertThat(posts(HUBSPOT_UPSERT, s.email())).hasSize(1);
            assertThat(posts(SUBSCRIBER, s.email())).hasSize(1);
            assertThat(c.listed()).containsExactly(kept);
            assertThat(leads.get(dropped)).isEmpty();
        });
        c.getLead(dropped).then().statusCode(404);
        assertThat(leads.get(kept).orElseThrow().duplicates()).isEqualTo(1);
    }

    enum Order { WEBHOOK_FIRST, POLL_FIRST }

    @ParameterizedTest
    @EnumSource(Order.class)
    void a_lead_seen_by_webhook_and_by_poll_under_different_ids_is_one_lead_one_crm_record_one_forward(Order order) {
        Customer c = connectedCustomer();
        Submission s = Submission.fresh();
        listing(c, s.apiRow(c));
        String webhookLead = c.leadId(s.webhookId());
        String polledLead = c.leadId(s.apiId());

        if (order == Order.WEBHOOK_FIRST) {
            postWebhook(s.webhookBody(c));
            awaitDelivered(c, webhookLead);
            sync(c);
            awaitPolled(c);
            oneLead(c, s, webhookLead, polledLead);
        } else {
            sync(c);
            awaitDelivered(c, polledLead);
            postWebhook(s.webhookBody(c));
            oneLead(c, s, polledLead, webhookLead);
        }
    }

    @Test
    void a_webhook_and_a_poll_at_once_under_different_ids_are_one_lead() throws Exception {
        Customer c = connectedCustomer();
        Submission s = Submission.fresh();
        listing(c, s.apiRow(c));

        CompletableFuture<Void> webhook = CompletableFuture.runAsync(() -> postWebhook(s.webhookBody(c)));
        sync(c);
        webhook.get();

        await().atMost(Duration.ofSeconds(40)).until(() -> c.listed().size() == 1
                && "dispatched".equals(c.getLead(c.listed().get(0)).jsonPath().getString("status")));
        String kept = c.listed().get(0);
        assertThat(kept).isIn(c.leadId(s.webhookId()), c.leadId(s.apiId()));
        oneLead(c, s, kept, kept.equals(c.leadId(s.webhookId())) ? c.leadId(s.apiId()) : c.leadId(s.webhookId()));
    }

    /**
     * Two normalize workers on the two copies at the same moment (local mode's pump runs one at a time, so this calls
     * the step directly): each round, exactly one is ingested and the other is its duplicate.
     */
    @Test
    void two_workers_normalizing_the_webhook_and_the_polled_copy_at_the_same_moment_never_both_win_nor_both_lose()
            throws Exception {
        Customer c = connectedCustomer();
        String connectionId = c.connectionId();
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                Submission s = Submission.fresh();
                List<IngestMessage> copies = List.of(webhookMessage(c, connectionId, s),
                        polledMessage(c, connectionId, s));
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<LeadIngestion.Outcome>> outcomes = new ArrayList<>();
                for (IngestMessage copy : copies) {
                    outcomes.add(workers.submit(() -> {
                        start.await();
                        return ingestion.process(copy, "race-" + UUID.randomUUID());
                    }));
                }
                List<LeadIngestion.Outcome> seen = new ArrayList<>();
                for (Future<LeadIngestion.Outcome> outcome : outcomes) {
                    seen.add(outcome.get());
                }

                assertThat(seen).as("round %d", round)
                        .containsExactlyInAnyOrder(LeadIngestion.Outcome.INGESTED, LeadIngestion.Outcome.DUPLICATE);
                String kept = seen.get(0) == LeadIngestion.Outcome.INGESTED ? c.leadId(s.webhookId())
                        : c.leadId(s.apiId());
                String dropped = kept.equals(c.leadId(s.webhookId())) ? c.leadId(s.apiId()) : c.leadId(s.webhookId());
                assertThat(leads.get(kept)).get().extracting(LeadRecord::duplicates).isEqualTo(1L);
                assertThat(leads.get(dropped)).isEmpty();
                awaitDelivered(c, kept);
                assertThat(posts(HUBSPOT_UPSERT, s.email())).hasSize(1);
            }
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void the_same_click_and_email_ten_minutes_apart_are_two_leads() {
        Customer c = connectedCustomer();
        Submission first = Submission.fresh();
        Submission second = first.later(Duration.ofMinutes(10)).withApiId("Cj0KCQiA-second-" + UUID.randomUUID());
        listing(c, second.apiRow(c));

        postWebhook(first.webhookBody(c));
        awaitDelivered(c, c.leadId(first.webhookId()));
        sync(c);

        awaitDelivered(c, c.leadId(second.apiId()));
        staysTrue(() -> {
            assertThat(c.listed()).containsExactlyInAnyOrder(c.leadId(first.webhookId()), c.leadId(second.apiId()));
            assertThat(posts(HUBSPOT_UPSERT, first.email())).hasSize(2);
        });
        assertThat(leads.get(c.leadId(first.webhookId())).orElseThrow().duplicates()).isZero();
        assertThat(leads.get(c.leadId(second.apiId())).orElseThrow().duplicates()).isZero();
    }

    @Test
    void a_webhook_and_a_poll_under_the_same_id_are_still_one_lead_by_that_id() {
        Customer c = connectedCustomer();
        Submission s = Submission.fresh();
        Submission sameIds = s.withApiId(s.webhookId());
        listing(c, sameIds.apiRow(c));
        String leadId = c.leadId(s.webhookId());

        postWebhook(s.webhookBody(c));
        awaitDelivered(c, leadId);
        sync(c);
        awaitPolled(c);

        awaitDuplicates(leadId, 1);
        staysTrue(() -> {
            assertThat(posts(HUBSPOT_UPSERT, s.email())).hasSize(1);
            assertThat(posts(SUBSCRIBER, s.email())).hasSize(1);
            assertThat(c.listed()).containsExactly(leadId);
        });
    }

    @Test
    void a_duplicate_delivered_again_is_dropped_again_with_the_same_verdict() {
        Customer c = connectedCustomer();
        String connectionId = c.connectionId();
        Submission s = Submission.fresh();
        String webhookLead = c.leadId(s.webhookId());
        postWebhook(s.webhookBody(c));
        awaitDelivered(c, webhookLead);
        IngestMessage polled = polledMessage(c, connectionId, s);

        assertThat(ingestion.process(polled, "first-" + UUID.randomUUID())).isEqualTo(LeadIngestion.Outcome.DUPLICATE);
        assertThat(ingestion.process(polled, "again-" + UUID.randomUUID())).isEqualTo(LeadIngestion.Outcome.DUPLICATE);

        // Each copy received is counted, as for copies under the same id.
        assertThat(leads.get(webhookLead).orElseThrow().duplicates()).isEqualTo(2);
        assertThat(leads.get(c.leadId(s.apiId()))).isEmpty();
        staysTrue(() -> {
            assertThat(c.listed()).containsExactly(webhookLead);
            assertThat(posts(HUBSPOT_UPSERT, s.email())).hasSize(1);
            assertThat(posts(SUBSCRIBER, s.email())).hasSize(1);
        });
    }

    /** A crash (as when a Lambda instance dies) right after each step of dropping the polled copy as a duplicate. */
    @ParameterizedTest
    @ValueSource(strings = {"normalize.claimed", "normalize.fingerprinted", "normalize.discarded"})
    void a_crash_while_dropping_a_duplicate_still_ends_with_one_lead(String step) {
        Customer c = connectedCustomer();
        Submission s = Submission.fresh();
        listing(c, s.apiRow(c));
        String webhookLead = c.leadId(s.webhookId());
        String polledLead = c.leadId(s.apiId());
        postWebhook(s.webhookBody(c));
        awaitDelivered(c, webhookLead);
        CrashingProbe.arm(step, polledLead, 1);

        sync(c);

        await().atMost(Duration.ofSeconds(30)).until(() -> CrashingProbe.fired(step, polledLead) == 1);
        oneLead(c, s, webhookLead, polledLead);
    }

    /** A crash right after the webhook's copy registered its fingerprint, before it was stored; the poll meanwhile. */
    @Test
    void a_crash_after_the_first_copy_registered_its_submission_still_ends_with_that_one_lead() {
        Customer c = connectedCustomer();
        Submission s = Submission.fresh();
        listing(c, s.apiRow(c));
        String webhookLead = c.leadId(s.webhookId());
        CrashingProbe.arm("normalize.fingerprinted", webhookLead, 1);

        postWebhook(s.webhookBody(c));
        await().atMost(Duration.ofSeconds(30)).until(() -> CrashingProbe.fired("normalize.fingerprinted",
                webhookLead) == 1);
        sync(c);

        oneLead(c, s, webhookLead, c.leadId(s.apiId()));
    }

    private static IngestMessage webhookMessage(Customer c, String connectionId, Submission s) {
        ObjectNode payload = (ObjectNode) json(s.webhookBody(c));
        payload.remove("google_key"); // as the receiver queues it
        return new IngestMessage(c.accountId(), connectionId, ProviderType.GOOGLE_ADS, c.customerId(), s.webhookId(),
                "246813579", null, s.at(), "webhook", Instant.now(), payload, null, 0, null);
    }

    private static IngestMessage polledMessage(Customer c, String connectionId, Submission s) {
        return new IngestMessage(c.accountId(), connectionId, ProviderType.GOOGLE_ADS, c.customerId(), s.apiId(),
                "246813579", null, s.at(), "poll", Instant.now(), json(s.apiRow(c)), null, 0, null);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
