package com.leadsync.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.CapturedLogs;
import com.leadsync.testing.CapturedMetrics;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.PipelineProfile;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One lead followed through the whole pipeline (signed webhook → normalize → store → a HubSpot destination that
 * answers 503 once, so a scheduled retry runs, and a webhook subscription): every log line about it carries its
 * trace id and ids, its metrics are valid EMF carrying the same trace id, {@code GET /leads/{leadId}/trace} lists
 * each step, and no secret used on the way appears in any line.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class LeadTraceTest {

    @Inject
    CapturedMetrics metrics;

    @Test
    void one_lead_is_followed_by_its_trace_id_from_receipt_to_every_delivery() {
        List<CapturedLogs.Line> lines;
        com.leadsync.testing.Scenario s;
        String leadgenId;
        String subscriptionSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString(
                ("sub-secret-" + java.util.UUID.randomUUID()).getBytes());
        try (CapturedLogs logs = CapturedLogs.start()) {
            s = com.leadsync.testing.Scenario.withMetaPage();
            String hubspot = s.addHubSpot();
            String subscription = s.subscribe("/trace-hook-" + s.accountId, subscriptionSecret);
            com.leadsync.testing.Scenario.stubOk("/trace-hook-" + s.accountId);
            leadgenId = com.leadsync.testing.Scenario.newLeadgenId();
            String email = "trace." + leadgenId + "@example.com";
            s.stubGraphLead(leadgenId, email);
            // 503 with a Retry-After longer than the quick tries: one scheduled retry, then delivered.
            Fakes.server().stubFor(post(urlEqualTo(com.leadsync.testing.Scenario.HUBSPOT_UPSERT)).atPriority(1)
                    .withRequestBody(containing(email)).inScenario("trace" + leadgenId)
                    .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                    .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")
                            .withHeader("content-type", "application/json")
                            .withBody("{\"status\":\"error\",\"message\":\"Service Unavailable\"}")));
            Fakes.server().stubFor(post(urlEqualTo(com.leadsync.testing.Scenario.HUBSPOT_UPSERT)).atPriority(1)
                    .withRequestBody(containing(email)).inScenario("trace" + leadgenId)
                    .whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200)
                            .withHeader("content-type", "application/json")
                            .withBody("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"512\",\"new\":true,"
                                    + "\"properties\":{}}]}")));

            com.leadsync.testing.Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);
            String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                List<Map<String, Object>> deliveries = s.getLead(leadId).then().statusCode(200).extract()
                        .jsonPath().getList("deliveries");
                assertThat(deliveries).extracting(d -> d.get("status")).containsExactly("delivered", "delivered");
            });
            lines = logs.lines();
            assertThat(hubspot).isNotNull();
            assertThat(subscription).isNotNull();
        }
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();

        JsonPath trace = com.leadsync.testing.Scenario.given().header("x-api-key", s.apiKey)
                .get("/leads/" + leadId + "/trace").then().statusCode(200).extract().jsonPath();
        String traceId = trace.getString("traceId");
        assertThat(traceId).matches("[0-9a-f]{32}");
        List<String> steps = trace.getList("steps.step");
        assertThat(steps).startsWith("received", "claimed", "stored", "dispatched");
        assertThat(trace.getString("steps[0].via")).isEqualTo("webhook");
        assertThat(steps.stream().filter("delivered"::equals)).hasSize(2);
        List<Map<String, Object>> attempts = trace.getList("steps.findAll { it.step == 'attempt' }");
        assertThat(attempts).extracting(a -> a.get("outcome")).contains("retryable", "delivered");
        List<Instant> times = trace.<String>getList("steps.at").stream().map(Instant::parse).toList();
        assertThat(times).isSorted();

        // Every line about this lead - from the webhook, normalize, the retry sweep's redelivery and each send -
        // carries its ids and the one trace id.
        List<CapturedLogs.Line> aboutIt = lines.stream()
                .filter(l -> l.message() != null && (l.message().contains(leadId) || l.message().contains(leadgenId)))
                .toList();
        assertThat(aboutIt).extracting(CapturedLogs.Line::message)
                .anySatisfy(m -> assertThat(m).contains("received (via webhook)"))
                .anySatisfy(m -> assertThat(m).contains("stored as lead " + leadId))
                .anySatisfy(m -> assertThat(m).contains("not delivered to").contains("retried later"))
                .filteredOn(m -> m.contains(leadId + " delivered to")).hasSize(2);
        assertThat(aboutIt).allSatisfy(l -> {
            assertThat(l.mdc("traceId")).as(l.all()).isEqualTo(traceId);
            assertThat(l.mdc("leadId")).as(l.all()).isEqualTo(leadId);
            assertThat(l.mdc("accountId")).as(l.all()).isEqualTo(s.accountId);
            assertThat(l.mdc("providerType")).as(l.all()).isEqualTo("meta_lead_ads");
        });
        // And the trace id is on no other lead's line.
        assertThat(lines).filteredOn(l -> traceId.equals(l.mdc("traceId")))
                .allSatisfy(l -> assertThat(l.mdc("leadId")).isEqualTo(leadId));

        // Its metrics: valid EMF, the trace id as a property.
        List<String> points = metrics.containing(traceId);
        var emf = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("classpath:emf-schema.json"));
        for (String point : points) {
            assertThat(emf.validate(point, InputFormat.JSON)).as(point).isEmpty();
        }
        metrics.points(traceId).forEach(LeadTraceTest::assertMembersNamed);
        Map<String, Long> names = metrics.points(traceId).stream()
                .flatMap(p -> p.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").findValuesAsText("Name")
                        .stream())
                .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
        assertThat(names).containsEntry("LeadsStored", 1L).containsEntry("DeliveriesRetrying", 1L)
                .containsEntry("DeliveriesDelivered", 2L).containsEntry("DeliveryLatency", 2L);

        // No secret used on the way is printed: the page token, the HubSpot token, the Meta app secret, the keys.
        Set<String> secrets = Set.of(s.pageToken, "pat-na1-" + s.accountId, s.apiKey, subscriptionSecret,
                com.leadsync.testing.Scenario.META_APP_SECRET, com.leadsync.testing.Scenario.ADMIN_KEY);
        for (CapturedLogs.Line l : lines) {
            for (String secret : secrets) {
                assertThat(l.all()).as("a log line").doesNotContain(secret);
            }
        }
        for (String point : metrics.containing(s.accountId)) {
            for (String secret : secrets) {
                assertThat(point).doesNotContain(secret);
            }
        }
    }

    /** Each dimension names a string member of the root, each metric a number member: the EMF rules for targets. */
    private static void assertMembersNamed(JsonNode point) {
        for (JsonNode directive : point.path("_aws").path("CloudWatchMetrics")) {
            for (JsonNode set : directive.path("Dimensions")) {
                for (JsonNode key : set) {
                    assertThat(point.path(key.asText()).isTextual()).as(key + " in " + point).isTrue();
                }
            }
            for (JsonNode metric : directive.path("Metrics")) {
                assertThat(point.path(metric.path("Name").asText()).isNumber()).as(metric + " in " + point).isTrue();
            }
        }
    }
}
