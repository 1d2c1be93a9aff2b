package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.HUBSPOT_UPSERT;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.PipelineProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delivery failures: quick tries for transient errors, Retry-After honoured, scheduled retries by the
 * retry function, then failed; other 4xx fail at once; manual pushes re-send.
 * (Profile backoff: 1s, 1s, 1s; quick tries: 3 at 50 ms → 200 ms.)
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class DeliveryRetryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RATE_LIMIT = "{\"status\":\"error\",\"message\":\"You have reached your "
            + "ten_secondly_rolling limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}";
    private static final String OK = "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"512\",\"new\":false,"
            + "\"properties\":{}}]}";

    private record Sent(com.leadsync.testing.Scenario s, String leadId, String email) {
    }

    private static Sent leadTo(String hubspotScenario, String... responses) {
        com.leadsync.testing.Scenario s = com.leadsync.testing.Scenario.withMetaPage();
        s.addHubSpot();
        String leadgenId = com.leadsync.testing.Scenario.newLeadgenId();
        String email = "retry." + leadgenId + "@example.com";
        s.stubGraphLead(leadgenId, email);
        String state = Scenario.STARTED;
        for (int i = 0; i < responses.length; i++) {
            String next = i == responses.length - 1 ? state : "step" + (i + 1);
            Fakes.server().stubFor(post(urlEqualTo(HUBSPOT_UPSERT)).atPriority(1)
                    .withRequestBody(containing(email)).inScenario(hubspotScenario + leadgenId)
                    .whenScenarioStateIs(state).willReturn(response(responses[i])).willSetStateTo(next));
            state = next;
        }
        com.leadsync.testing.Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);
        return new Sent(s, new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId(), email);
    }

    /** "503", "200", "400", "429:1" (429 with Retry-After: 1; the header may be an HTTP-date). */
    private static ResponseDefinitionBuilder response(String spec) {
        String[] parts = spec.split(":", 2);
        int status = Integer.parseInt(parts[0]);
        ResponseDefinitionBuilder r = aResponse().withStatus(status).withHeader("content-type", "application/json");
        if (parts.length > 1) {
            r = r.withHeader("Retry-After", parts[1]);
        }
        return switch (status) {
            case 200 -> r.withBody(OK);
            case 429 -> r.withBody(RATE_LIMIT);
            case 400 -> r.withBody("{\"status\":\"error\",\"message\":\"Property values were not valid\","
                    + "\"category\":\"VALIDATION_ERROR\"}");
            default -> r.withBody("{\"status\":\"error\",\"message\":\"Service Unavailable\"}");
        };
    }

    private static Map<String, Object> delivery(Sent sent) {
        List<Map<String, Object>> list = sent.s().getLead(sent.leadId()).then().statusCode(200).extract().jsonPath()
                .getList("deliveries");
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    @Test
    void transient_errors_get_quick_tries_within_one_attempt() {
        Sent sent = leadTo("quick", "503", "503", "200");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(delivery(sent).get("status")).isEqualTo("delivered"));
        Map<String, Object> d = delivery(sent);
        assertThat(d.get("attempts")).isEqualTo(3);
        assertThat(d.get("lastError")).isNull();
        assertThat(((List<?>) d.get("history"))).hasSize(3);
        assertThat(posts(HUBSPOT_UPSERT, sent.email())).hasSize(3);
    }

    @Test
    void other_4xx_fail_at_once_with_the_error() {
        Sent sent = leadTo("bad", "400");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(delivery(sent).get("status")).isEqualTo("failed"));
        Map<String, Object> d = delivery(sent);
        assertThat(d.get("attempts")).isEqualTo(1);
        assertThat((String) d.get("lastError")).contains("400").contains("Property values were not valid");
        staysTrue(() -> assertThat(posts(HUBSPOT_UPSERT, sent.email())).hasSize(1));
    }

    @Test
    void a_long_retry_after_skips_quick_tries_and_is_honoured_by_the_scheduled_retry() {
        Sent sent = leadTo("after", "429:2", "200");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(delivery(sent).get("status")).isEqualTo("retrying"));
        Map<String, Object> retrying = delivery(sent);
        assertThat((String) retrying.get("lastError")).contains("429");
        assertThat(retrying.get("nextAttemptAt")).isNotNull();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(delivery(sent).get("status")).isEqualTo("delivered"));
        var requests = posts(HUBSPOT_UPSERT, sent.email());
        assertThat(requests).hasSize(2);
        Duration gap = Duration.between(requests.get(1).getLoggedDate().toInstant(),
                requests.get(0).getLoggedDate().toInstant()).abs();
        assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @ParameterizedTest
    @ValueSource(strings = {"429:9223372036854775807", "429:Fri, 31 Dec 9999 23:59:59 GMT"})
    void a_rate_limit_asking_to_wait_for_ever_waits_a_day_and_is_not_failed(String answer) {
        Sent sent = leadTo("hostile-429", answer);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(delivery(sent).get("status"))
                .isEqualTo("retrying"));
        Map<String, Object> d = delivery(sent);
        assertThat(d.get("attempts")).isEqualTo(1);
        assertThat((String) d.get("lastError")).contains("rate limited");
        Instant next = Instant.parse((String) d.get("nextAttemptAt"));
        assertThat(next).isBetween(Instant.now().plus(Duration.ofHours(24)).minusSeconds(60),
                Instant.now().plus(Duration.ofHours(29)));
        staysTrue(() -> assertThat(posts(HUBSPOT_UPSERT, sent.email())).hasSize(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"503:3600", "503:9223372036854775807"})
    void a_retry_after_beyond_the_retry_horizon_fails_the_delivery_at_once(String answer) {
        Sent sent = leadTo("hostile", answer);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(delivery(sent).get("status")).isEqualTo("failed"));
        Map<String, Object> d = delivery(sent);
        assertThat(d.get("attempts")).isEqualTo(1);
        assertThat((String) d.get("lastError")).contains("Retry-After");
        assertThat(d.get("nextAttemptAt")).isNull();
        staysTrue(() -> assertThat(posts(HUBSPOT_UPSERT, sent.email())).hasSize(1));
    }

    @Test
    void a_manual_push_sends_new_idempotency_keys_and_retries_of_one_push_keep_theirs() {
        com.leadsync.testing.Scenario.stubHubSpotOk();
        com.leadsync.testing.Scenario.stubOk("/crm-custom/keys");
        com.leadsync.testing.Scenario s = com.leadsync.testing.Scenario.withMetaPage();
        s.addHubSpot();
        s.addHttpCrm("/crm-custom/keys");
        s.subscribe("/subscriber/keys", "keys-secret");
        String leadgenId = com.leadsync.testing.Scenario.newLeadgenId();
        String email = "keys." + leadgenId + "@example.com";
        s.stubGraphLead(leadgenId, email);
        // The subscriber fails once per push, so each push's key is also seen on its own retry.
        for (String state : List.of(Scenario.STARTED, "pushed")) {
            String next = state.equals(Scenario.STARTED) ? "first-ok" : "second-ok";
            Fakes.server().stubFor(post(urlEqualTo("/subscriber/keys")).atPriority(1).withRequestBody(containing(email))
                    .inScenario("keys" + leadgenId).whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(503)).willSetStateTo(next));
        }
        Fakes.server().stubFor(post(urlEqualTo("/subscriber/keys")).atPriority(2).withRequestBody(containing(email))
                .willReturn(aResponse().withStatus(200)));
        com.leadsync.testing.Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(s.getLead(leadId).jsonPath()
                .getList("deliveries.status")).containsOnly("delivered").hasSize(3));

        Fakes.server().setScenarioState("keys" + leadgenId, "pushed");
        com.leadsync.testing.Scenario.given().header("x-api-key", s.apiKey).post("/crm/push/" + leadId)
                .then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> posts("/subscriber/keys", email).size() == 4
                && posts(HUBSPOT_UPSERT, email).size() == 2 && posts("/crm-custom/keys", email).size() == 2);

        assertThat(posts(HUBSPOT_UPSERT, email).stream().map(DeliveryRetryTest::traceId).distinct()).hasSize(2);
        assertThat(posts("/crm-custom/keys", email).stream().map(r -> r.getHeader("Idempotency-Key")).distinct())
                .hasSize(2);
        // Oldest first: push 1's try and retry share a key, push 2's another one.
        List<String> ids = posts("/subscriber/keys", email).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).map(r -> r.getHeader("webhook-id")).toList();
        assertThat(ids.get(0)).isEqualTo(ids.get(1));
        assertThat(ids.get(2)).isEqualTo(ids.get(3)).isNotEqualTo(ids.get(0));
    }

    private static String traceId(LoggedRequest r) {
        try {
            return JSON.readTree(r.getBodyAsString()).path("inputs").get(0).path("objectWriteTraceId").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_destination_that_stays_down_is_retried_on_schedule_then_failed() {
        Sent sent = leadTo("down", "503");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(delivery(sent).get("status")).isEqualTo("failed"));
        Map<String, Object> d = delivery(sent);
        // 1 first round + 3 scheduled rounds, 3 quick tries each.
        assertThat(d.get("attempts")).isEqualTo(12);
        assertThat((String) d.get("lastError")).startsWith("gave up after 12 attempts");
        assertThat(posts(HUBSPOT_UPSERT, sent.email())).hasSize(12);
    }

    @Test
    void manual_push_resends_and_account_push_only_resends_what_is_not_delivered() {
        Sent ok = leadTo("pushok", "200");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(delivery(ok).get("status")).isEqualTo("delivered"));

        com.leadsync.testing.Scenario.given().header("x-api-key", ok.s().apiKey).post("/crm/push/" + ok.leadId())
                .then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> posts(HUBSPOT_UPSERT, ok.email()).size() == 2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(delivery(ok).get("status")).isEqualTo("delivered"));

        // Same account: a second lead whose delivery failed (400), then HubSpot is fixed.
        com.leadsync.testing.Scenario s = ok.s();
        String leadgenId = com.leadsync.testing.Scenario.newLeadgenId();
        String email = "fixed." + leadgenId + "@example.com";
        s.stubGraphLead(leadgenId, email);
        Fakes.server().stubFor(post(urlEqualTo(HUBSPOT_UPSERT)).atPriority(1).withRequestBody(containing(email))
                .inScenario("fix" + leadgenId).whenScenarioStateIs(Scenario.STARTED).willReturn(response("400"))
                .willSetStateTo("fixed"));
        Fakes.server().stubFor(post(urlEqualTo(HUBSPOT_UPSERT)).atPriority(1).withRequestBody(containing(email))
                .inScenario("fix" + leadgenId).whenScenarioStateIs("fixed").willReturn(response("200")));
        com.leadsync.testing.Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);
        Sent failed = new Sent(s, new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId(), email);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(delivery(failed).get("status")).isEqualTo("failed"));

        JsonPath push = com.leadsync.testing.Scenario.given().header("x-api-key", s.apiKey)
                .contentType(ContentType.JSON).body(Map.of()).post("/crm/push").then().statusCode(202)
                .extract().jsonPath();
        assertThat(push.getInt("leads")).isEqualTo(1);
        assertThat(push.getBoolean("complete")).isTrue();
        assertThat(push.getString("nextCursor")).isNull();
        assertThat(push.getInt("queued")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(delivery(failed).get("status")).isEqualTo("delivered"));
        staysTrue(() -> {
            assertThat(posts(HUBSPOT_UPSERT, ok.email())).hasSize(2);
            assertThat(posts(HUBSPOT_UPSERT, email)).hasSize(2);
        });
        assertThat(Instant.parse((String) delivery(failed).get("deliveredAt"))).isBefore(Instant.now());
    }
}
