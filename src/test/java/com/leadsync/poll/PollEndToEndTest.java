package com.leadsync.poll;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.poll.PollTests.awaitDelivered;
import static com.leadsync.poll.PollTests.awaitPolled;
import static com.leadsync.poll.PollTests.connectionId;
import static com.leadsync.poll.PollTests.email;
import static com.leadsync.poll.PollTests.filtering;
import static com.leadsync.poll.PollTests.lead;
import static com.leadsync.poll.PollTests.leadId;
import static com.leadsync.poll.PollTests.sync;
import static com.leadsync.poll.PollTests.view;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.HUBSPOT_UPSERT;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.local.LocalFunctions;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.store.Schema;
import com.leadsync.store.TableNames;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.GoogleAdsFake;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Polling through the local-mode wiring: the poll schedule (as EventBridge or local mode's timer invokes it) or
 * "sync now" → poll queue → poll worker → Graph listing fake → ingest queue → normalize → deliver.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class PollEndToEndTest {

    @Inject
    LocalFunctions functions;
    @Inject
    com.leadsync.testing.CapturedMetrics metrics;
    @Inject
    PollStates polls;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;
    @Inject
    @ConfigProperty(name = "leadsync.poll.transient-retries")
    int transientRetries;

    @BeforeEach
    void fakes() {
        Scenario.stubHubSpotOk();
        Scenario.stubOk("/subscriber/poll");
    }

    @Test
    void a_scheduled_poll_of_a_connected_meta_page_stores_its_leads_normalized_and_delivered_and_sets_the_status_fields()
            throws Exception {
        Scenario s = Scenario.withMetaPage();
        s.addHubSpot();
        s.subscribe("/subscriber/poll", "poll-secret");
        String connectionId = connectionId(s);
        String f1 = s.pageId + "01";
        String f2 = s.pageId + "02";
        String f3 = s.pageId + "03";
        List<String> ids = List.of(Scenario.newLeadgenId(), Scenario.newLeadgenId(), Scenario.newLeadgenId(),
                Scenario.newLeadgenId());
        MetaListingFake.of(s).forms(2, f1, f2, f3)
                .leads(f1, 2, lead(ids.get(0), f1), lead(ids.get(1), f1), lead(ids.get(2), f1))
                .leads(f2, 2)
                .leads(f3, 2, lead(ids.get(3), f3));
        assertThat(view(s, connectionId).getString("lastPollStatus")).isNull();
        Instant before = Instant.now();

        Object result = functions.scheduled("poll-schedule");

        assertThat(result).isInstanceOfSatisfying(PollScheduler.ScheduleResult.class,
                r -> assertThat(r.queued()).isPositive());
        for (String id : ids) {
            String leadId = leadId(s, id);
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(
                    s.getLead(leadId).then().statusCode(200).extract().jsonPath().getList("deliveries.status"))
                    .containsOnly("delivered").hasSize(2));
        }
        JsonPath lead = s.getLead(leadId(s, ids.get(0))).jsonPath();
        assertThat(lead.getString("email")).isEqualTo(email(ids.get(0)));
        assertThat(lead.getString("fullName")).isEqualTo("Jane Doe");
        assertThat(lead.getString("firstName")).isEqualTo("Jane");
        assertThat(lead.getString("phoneNumber")).isEqualTo("+14155550123");
        assertThat(lead.getString("formId")).isEqualTo(f1);
        assertThat(lead.getString("campaignId")).isEqualTo("120210000000000000");
        assertThat(lead.getMap("rawFieldData")).containsEntry("city", "San Francisco");
        assertThat(lead.getMap("customFields")).containsEntry("what_is_your_monthly_budget?", "$5k-$10k");
        assertThat(lead.getString("receivedAt")).isEqualTo("2026-03-07T14:30:00Z");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("ok"));
        // The walk's EMF point: one poll done, the four leads it listed, under the connection's id.
        assertThat(metrics.containing(connectionId)).filteredOn(p -> p.contains("\"PollsSucceeded\":1"))
                .singleElement().asString().contains("\"PollLeads\":4").contains("\"providerType\":\"meta_lead_ads\"");
        JsonPath polled = view(s, connectionId);
        assertThat(polled.getInt("lastPollLeads")).isEqualTo(4);
        assertThat(polled.getString("lastPollError")).isNull();
        assertThat(Instant.parse(polled.getString("lastPolledAt"))).isAfter(before);
        Map<String, Object> listed = Scenario.given().header("x-api-key", s.apiKey).get("/connections").jsonPath()
                .getMap("items.find { it.id == '" + connectionId + "' }");
        assertThat(listed).containsEntry("lastPollStatus", "ok").containsEntry("lastPollLeads", 4)
                .containsEntry("lastPolledAt", polled.getString("lastPolledAt"));

        // The first window looks back 24 h and ends when the walk started.
        JsonNode first = filtering(MetaListingFake.requests(f1 + "/leads").get(0));
        long since = first.get(0).path("value").asLong();
        long until = first.get(1).path("value").asLong();
        assertThat(first.get(0).path("operator").asText()).isEqualTo("GREATER_THAN");
        assertThat(first.get(1).path("operator").asText()).isEqualTo("LESS_THAN");
        assertThat(until - since).isEqualTo(Duration.ofHours(24).toSeconds());
        assertThat(until).isBetween(before.getEpochSecond(), Instant.now().getEpochSecond());

        // The next poll starts at that window's end minus the overlap, and its repeats stay one lead each.
        Scenario.given().header("x-api-key", s.apiKey).post("/connections/" + connectionId + "/sync")
                .then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> MetaListingFake.requests(f3 + "/leads").size() == 2);
        List<LoggedRequest> listings = MetaListingFake.requests(f1 + "/leads");
        JsonNode second = filtering(listings.get(listings.size() - 1));
        assertThat(second.get(0).path("value").asLong()).isEqualTo(until - Duration.ofMinutes(15).toSeconds());
        staysTrue(() -> {
            for (String id : ids) {
                assertThat(posts(HUBSPOT_UPSERT, email(id))).hasSize(1);
                assertThat(posts("/subscriber/poll", email(id))).hasSize(1);
            }
        });
        assertThat(s.listLeads().jsonPath().getList("items")).hasSize(4);
    }

    enum Order { WEBHOOK_FIRST, POLL_FIRST, AT_ONCE }

    @ParameterizedTest
    @EnumSource(Order.class)
    void a_lead_seen_by_webhook_and_by_poll_is_one_lead_one_crm_record_one_forward(Order order) throws Exception {
        Scenario s = Scenario.withMetaPage();
        s.addHubSpot();
        s.subscribe("/subscriber/poll", "poll-secret");
        String connectionId = connectionId(s);
        String form = s.pageId + "01";
        String leadgenId = Scenario.newLeadgenId();
        String email = email(leadgenId);
        s.stubGraphLead(leadgenId, email);
        MetaListingFake.of(s).forms(5, form).leads(form, 10, lead(leadgenId, form));
        String leadId = leadId(s, leadgenId);

        switch (order) {
            case WEBHOOK_FIRST -> {
                Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);
                awaitDelivered(s, leadId);
                sync(s, connectionId);
                awaitPolled(s, connectionId);
            }
            case POLL_FIRST -> {
                sync(s, connectionId);
                awaitDelivered(s, leadId);
                Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);
            }
            case AT_ONCE -> {
                CompletableFuture<Integer> webhook = CompletableFuture.supplyAsync(
                        () -> Scenario.postWebhook(s.webhookBody(leadgenId)).statusCode());
                sync(s, connectionId);
                assertThat(webhook.get()).isEqualTo(200);
            }
        }

        awaitDelivered(s, leadId);
        awaitPolled(s, connectionId);
        staysTrue(() -> {
            assertThat(posts(HUBSPOT_UPSERT, email)).hasSize(1);
            assertThat(posts("/subscriber/poll", email)).hasSize(1);
        });
        assertThat(s.listLeads().jsonPath().getList("items.leadId")).containsExactly(leadId);
    }

    @Test
    void throttling_defers_that_connections_poll_from_where_it_stopped_without_failing_it_or_the_others() {
        Scenario throttled = Scenario.withMetaPage();
        Scenario other = Scenario.withMetaPage();
        String throttledId = connectionId(throttled);
        String otherId = connectionId(other);
        String form = throttled.pageId + "01";
        String otherForm = other.pageId + "01";
        String a1 = Scenario.newLeadgenId();
        String a2 = Scenario.newLeadgenId();
        String b1 = Scenario.newLeadgenId();
        // The second page of the throttled page's leads hits Graph's rate limit (code 4) once.
        MetaListingFake.of(throttled).forms(5, form).leads(form, 1, lead(a1, form), lead(a2, form))
                .throttle(form, 1, 1);
        MetaListingFake.of(other).forms(5, otherForm).leads(otherForm, 1, lead(b1, otherForm));

        sync(throttled, throttledId);
        sync(other, otherId);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(view(other, otherId).getString("lastPollStatus")).isEqualTo("ok"));
        assertThat(view(other, otherId).getInt("lastPollLeads")).isEqualTo(1);
        // Deferred, never failed: until it completes, the throttled connection shows no outcome.
        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            seen.add(view(throttled, throttledId).getString("lastPollStatus"));
            assertThat(seen.get(seen.size() - 1)).isEqualTo("ok");
        });
        assertThat(seen).containsOnly(null, "ok");
        assertThat(view(throttled, throttledId).getInt("lastPollLeads")).isEqualTo(2);
        assertThat(view(throttled, throttledId).getString("lastPollError")).isNull();
        for (String id : List.of(a1, a2)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> throttled.getLead(leadId(throttled, id)).statusCode() == 200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> other.getLead(leadId(other, b1)).statusCode() == 200);
        // It went on from the throttled page, after the delay: the first page was listed once.
        assertThat(MetaListingFake.requestsOfPage(form + "/leads", 0)).hasSize(1);
        List<LoggedRequest> retried = MetaListingFake.requestsOfPage(form + "/leads", 1);
        assertThat(retried).hasSize(2);
        assertThat(Duration.between(retried.get(0).getLoggedDate().toInstant(),
                retried.get(1).getLoggedDate().toInstant())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void a_meta_rate_limit_defers_the_poll_as_long_as_its_usage_header_says_even_past_sqs_s_15_minutes() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        String route = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);
        // providers.md §1.6: code 4 and no Retry-After; X-Business-Use-Case-Usage says when access returns.
        Fakes.server().stubFor(get(urlPathEqualTo("/" + Scenario.GRAPH_VERSION + "/" + s.pageId + "/leadgen_forms"))
                .atPriority(1).willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                        .withHeader("X-Business-Use-Case-Usage", "{\"" + s.pageId + "\":[{\"type\":\"pages\","
                                + "\"call_count\":100,\"total_cputime\":3,\"total_time\":5,"
                                + "\"estimated_time_to_regain_access\":40}]}")
                        .withBody("{\"error\":{\"message\":\"(#4) Application request limit reached\","
                                + "\"type\":\"OAuthException\",\"is_transient\":true,\"code\":4,"
                                + "\"fbtrace_id\":\"AthrottleU\"}}")));
        Instant before = Instant.now();

        sync(s, connectionId);

        await().atMost(Duration.ofSeconds(20)).until(() -> polls.read(route).map(PollState::deferredUntil).isPresent());
        PollState deferred = polls.read(route).orElseThrow();
        assertThat(deferred.deferredUntil()).isBetween(before.plus(Duration.ofMinutes(40)),
                Instant.now().plus(Duration.ofMinutes(40)));
        assertThat(deferred.throttles()).isEqualTo(1);
        assertThat(view(s, connectionId).getString("lastPollStatus")).as("deferred, not failed").isNull();
    }

    @Test
    void a_transient_provider_error_defers_the_poll_from_the_page_it_stopped_at_without_failing_it() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        String form = s.pageId + "01";
        String a1 = Scenario.newLeadgenId();
        String a2 = Scenario.newLeadgenId();
        // The second page of the form's leads answers Graph's HTTP 500 once.
        MetaListingFake.of(s).forms(5, form).leads(form, 1, lead(a1, form), lead(a2, form)).outage(form, 1, 1);

        sync(s, connectionId);

        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            seen.add(view(s, connectionId).getString("lastPollStatus"));
            assertThat(seen.get(seen.size() - 1)).isEqualTo("ok");
        });
        assertThat(seen).as("deferred, never failed").containsOnly(null, "ok");
        assertThat(view(s, connectionId).getInt("lastPollLeads")).isEqualTo(2);
        // It went on from the failed page after the retry delay: the forms and the first page were listed once.
        assertThat(MetaListingFake.requests(s.pageId + "/leadgen_forms")).hasSize(1);
        assertThat(MetaListingFake.requestsOfPage(form + "/leads", 0)).hasSize(1);
        List<LoggedRequest> retried = MetaListingFake.requestsOfPage(form + "/leads", 1);
        assertThat(retried).hasSize(2);
        assertThat(Duration.between(retried.get(0).getLoggedDate().toInstant(),
                retried.get(1).getLoggedDate().toInstant())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        for (String id : List.of(a1, a2)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> s.getLead(leadId(s, id)).statusCode() == 200);
        }
    }

    @Test
    void a_provider_error_that_persists_fails_the_poll_after_that_many_transient_failures_in_a_row() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        String form = s.pageId + "01";
        String first = Scenario.newLeadgenId();
        MetaListingFake.of(s).forms(5, form).leads(form, 1, lead(first, form), lead(Scenario.newLeadgenId(), form))
                .outage(form, 1, 0);

        sync(s, connectionId);

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("failed"));
        assertThat(view(s, connectionId).getString("lastPollError")).contains("Meta Graph API 500")
                .contains(transientRetries + " transient failures in a row");
        assertThat(view(s, connectionId).getInt("lastPollLeads")).as("the page before the outage").isEqualTo(1);
        assertThat(MetaListingFake.requestsOfPage(form + "/leads", 1)).hasSize(transientRetries);
        assertThat(MetaListingFake.requestsOfPage(form + "/leads", 0)).hasSize(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> s.getLead(leadId(s, first)).statusCode() == 200);
    }

    @Test
    void a_sync_now_during_a_deferral_is_walked_only_when_the_deferral_is_over() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        String form = s.pageId + "01";
        MetaListingFake.of(s).forms(5, form).leads(form, 5, lead(Scenario.newLeadgenId(), form));
        // A walk in progress that a rate limit deferred for 3 s.
        String route = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);
        Instant now = Instant.now();
        assertThat(polls.takeLease(route, connectionId, "setup", now, now.plusSeconds(60))).isTrue();
        polls.startWalk(route, connectionId, "setup", new PollState.Walk("walk_deferred", now.minusSeconds(3600),
                now, null, 0));
        Instant deferredUntil = now.plusSeconds(3);
        polls.defer(route, connectionId, "setup", deferredUntil);

        sync(s, connectionId);

        awaitPolled(s, connectionId);
        List<LoggedRequest> listed = MetaListingFake.requests(s.pageId + "/leadgen_forms");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).getLoggedDate().toInstant()).isAfterOrEqualTo(deferredUntil.minusMillis(50));
    }

    @Test
    void a_provider_error_other_than_a_rate_limit_fails_the_poll_with_its_error_and_the_next_one_retries() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        // No listing stubbed for this page: the fake answers 404, which is not a rate limit.
        sync(s, connectionId);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("failed"));
        assertThat(view(s, connectionId).getString("lastPollError")).contains("Meta Graph API 404");
        assertThat(view(s, connectionId).getInt("lastPollLeads")).isZero();

        String form = s.pageId + "01";
        String leadgenId = Scenario.newLeadgenId();
        MetaListingFake.of(s).forms(5, form).leads(form, 5, lead(leadgenId, form));
        sync(s, connectionId);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("ok");
            assertThat(view(s, connectionId).getString("lastPollError")).isNull();
        });
        // The failed poll left the watermark alone: the retry still looked back 24 h.
        JsonNode window = filtering(MetaListingFake.requests(form + "/leads").get(0));
        assertThat(window.get(1).path("value").asLong() - window.get(0).path("value").asLong())
                .isEqualTo(Duration.ofHours(24).toSeconds());
    }

    @Test
    void a_token_the_platform_rejects_fails_the_poll_with_a_reconnect_message_and_is_not_retried_meanwhile() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        Fakes.server().stubFor(get(urlPathEqualTo("/" + Scenario.GRAPH_VERSION + "/" + s.pageId + "/leadgen_forms"))
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Error validating access token: The session has been"
                                + " invalidated because the user changed their password.\",\"type\":\"OAuthException\","
                                + "\"code\":190,\"error_subcode\":460,\"fbtrace_id\":\"Afake190\"}}")));

        sync(s, connectionId);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("failed"));
        assertThat(view(s, connectionId).getString("lastPollError")).contains("code 190/460").contains("reconnect");
        staysTrue(() -> assertThat(MetaListingFake.requests(s.pageId + "/leadgen_forms")).hasSize(1));
    }

    @Test
    void a_grant_revoked_at_its_refresh_fails_the_poll_with_a_reconnect_message_and_marks_it_needs_reauth() {
        Scenario s = Scenario.withMetaPage();
        String customerId = GoogleAdsFake.newCustomerId();
        String token = GoogleAdsFake.newAccessToken(customerId);
        GoogleAdsFake.connect(s.apiKey, customerId, token, Map.of(Connection.WEBHOOK_KEY,
                GoogleAdsFake.newWebhookKey())).then().statusCode(201);
        String connectionId = Scenario.given().header("x-api-key", s.apiKey).get("/connections").then()
                .statusCode(200).extract().jsonPath().getString("items.find { it.externalId == '" + customerId
                        + "' }.id");
        // The lead search rejects the token; the refresh that follows is answered invalid_grant.
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.searchPath(customerId))).atPriority(1)
                .withRequestBody(containing("lead_form_submission_data"))
                .willReturn(GoogleAdsFake.json(401, GoogleAdsFake.error(401, "UNAUTHENTICATED", "authenticationError",
                        "OAUTH_TOKEN_REVOKED", "The OAuth token has been revoked.", null))));
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.OAUTH_TOKEN))
                .withRequestBody(containing(URLEncoder.encode("1//test-refresh-" + customerId, StandardCharsets.UTF_8)))
                .willReturn(GoogleAdsFake.json(400, GoogleAdsFake.invalidGrant())));

        sync(s, connectionId);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("failed"));
        assertThat(view(s, connectionId).getString("lastPollError")).contains("invalid_grant").contains("reconnect");
        assertThat(view(s, connectionId).getString("status")).isEqualTo("needs_reauth");
        assertThat(metrics.containing(connectionId)).as("the failed poll and the refused refresh, counted")
                .anySatisfy(p -> assertThat(p).contains("\"PollsFailed\":1").contains("\"providerType\":\"google_ads\""))
                .anySatisfy(p -> assertThat(p).contains("\"TokenRefreshFailures\":1").contains("\"issuer\":\"google_ads\""));
        staysTrue(() -> assertThat(GoogleAdsFake.searches(customerId).stream()
                .filter(r -> r.getBodyAsString().contains("lead_form_submission_data"))).hasSize(1));
    }

    @Test
    void a_connection_that_needs_reauthorization_is_not_polled_and_cannot_be_synced() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        String form = s.pageId + "01";
        MetaListingFake.of(s).forms(5, form).leads(form, 5, lead(Scenario.newLeadgenId(), form));
        markNeedsReauth(s.pageId);

        Scenario.given().header("x-api-key", s.apiKey).post("/connections/" + connectionId + "/sync")
                .then().statusCode(409).body("error", equalTo("conflict"))
                .body("message", containsString("reconnect"));
        functions.scheduled("poll-schedule");

        staysTrue(() -> {
            assertThat(MetaListingFake.requests(s.pageId + "/leadgen_forms")).isEmpty();
            assertThat(view(s, connectionId).getString("lastPolledAt")).isNull();
        });
    }

    @Test
    void sync_is_202_queued_for_the_owner_and_404_for_another_account_or_an_unknown_id() {
        Scenario s = Scenario.withMetaPage();
        Scenario stranger = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        MetaListingFake.of(s).forms(5);

        JsonPath queued = Scenario.given().header("x-api-key", s.apiKey)
                .post("/connections/" + connectionId + "/sync").then().statusCode(202).extract().jsonPath();
        assertThat(queued.getMap("")).containsExactlyInAnyOrderEntriesOf(
                Map.of("connectionId", connectionId, "status", "queued"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("ok"));
        assertThat(view(s, connectionId).getInt("lastPollLeads")).isZero();

        Scenario.given().header("x-api-key", stranger.apiKey).post("/connections/" + connectionId + "/sync")
                .then().statusCode(404).body("error", equalTo("not_found"));
        Scenario.given().header("x-api-key", stranger.apiKey).get("/connections/" + connectionId)
                .then().statusCode(404);
        Scenario.given().header("x-api-key", s.apiKey).post("/connections/con_nope/sync").then().statusCode(404);
        Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).post("/connections/" + connectionId + "/sync")
                .then().statusCode(202);
        Scenario.given().header("x-api-key", s.apiKey).get("/connections/" + connectionId + "/sync")
                .then().statusCode(405);
    }

    private void markNeedsReauth(String pageId) {
        dynamo.updateItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                .key(Map.of("routeKey", AttributeValue.fromS(Connection.routeKey(ProviderType.META_LEAD_ADS, pageId))))
                .updateExpression("SET #st = :s").expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":s",
                        AttributeValue.fromS(ConnectionStatus.NEEDS_REAUTH.wireName()))));
    }
}
