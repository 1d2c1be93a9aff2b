package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.delivery.forward.StandardWebhookSigner;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Redelivery;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Contract §8 through the running pipeline: a flow routes each new lead by its conditions to deliveries of its own
 * (sent once however often the lead arrives, signed, retried, listed on the lead with their flow), records its runs,
 * and its test route sends nothing.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class FlowsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_flow_routes_leads_by_condition_to_two_destinations_once_under_ten_concurrent_duplicate_webhooks()
            throws Exception {
        Scenario s = Scenario.withMetaPage();
        String enterprisePath = "/crm/enterprise/" + UUID.randomUUID();
        String restPath = "/crm/rest/" + UUID.randomUUID();
        Scenario.stubOk(enterprisePath);
        Scenario.stubOk(restPath);
        String enterprise = flowsOnlyCrm(s, enterprisePath);
        String rest = flowsOnlyCrm(s, restPath);
        String flowId = createFlow(s, Map.of("name", "Route by company", "steps", List.of(
                Map.of("type", "format", "field", "firstName", "format", "upper"),
                Map.of("type", "branch", "conditions", List.of(Map.of("field", "company", "op", "contains",
                        "value", "acme")),
                        "then", List.of(
                                Map.of("type", "set", "field", "customFields.tier", "value", "enterprise {{company}}"),
                                Map.of("type", "deliver", "destinationId", enterprise, "fieldMapping",
                                        Map.of("email", "email", "firstName", "first", "customFields.tier", "tier"))),
                        "else", List.of(Map.of("type", "deliver", "destinationId", rest))))));
        String big = Scenario.newLeadgenId();
        String small = Scenario.newLeadgenId();
        String bigEmail = "big." + big + "@example.com";
        String smallEmail = "small." + small + "@example.com";
        s.stubGraphLead(big, bigEmail); // company "Acme Inc", full name "Jane Doe"
        s.stubGraphLead(small, smallEmail, "Tiny Shop");

        String body = s.webhookBody(big, small);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                posts.add(() -> Scenario.postWebhook(body).statusCode());
            }
            for (Future<Integer> f : pool.invokeAll(posts)) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(Scenario.posts(enterprisePath, bigEmail)).hasSize(1);
            assertThat(Scenario.posts(restPath, smallEmail)).hasSize(1);
        });
        Redelivery.staysTrue(() -> {
            assertThat(Fakes.server().findAll(postRequestedFor(urlEqualTo(enterprisePath)))).hasSize(1);
            assertThat(Fakes.server().findAll(postRequestedFor(urlEqualTo(restPath)))).hasSize(1);
        });
        JsonNode sent = JSON.readTree(Scenario.posts(enterprisePath, bigEmail).get(0).getBodyAsString());
        assertThat(sent.path("first").asText()).as("the flow's copy: formatted").isEqualTo("JANE");
        assertThat(sent.path("tier").asText()).as("the flow's copy: set").isEqualTo("enterprise Acme Inc");

        String bigLead = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, big).leadId();
        JsonNode stored = JSON.readTree(s.getLead(bigLead).then().statusCode(200).extract().asString());
        assertThat(stored.path("firstName").asText()).as("the stored lead is not the flow's copy").isEqualTo("Jane");
        assertThat(stored.path("customFields").has("tier")).isFalse();
        JsonNode delivery = stored.path("deliveries").get(0);
        assertThat(stored.path("deliveries")).hasSize(1);
        assertThat(delivery.path("flowId").asText()).isEqualTo(flowId);
        assertThat(delivery.path("flowStep").asText()).isEqualTo("steps[1].then[1]");
        assertThat(delivery.path("destinationId").asText()).isEqualTo(enterprise);
        assertThat(delivery.path("status").asText()).isEqualTo("delivered");

        JsonNode runs = JSON.readTree(as(s.apiKey).get("/flows/" + flowId + "/runs").then().statusCode(200)
                .extract().asString());
        assertThat(runs.path("items")).hasSize(2);
        for (JsonNode run : runs.path("items")) {
            assertThat(run.path("outcome").asText()).isEqualTo("completed");
        }
        JsonNode bigRun = find(runs.path("items"), bigLead);
        assertThat(bigRun.path("steps").findValuesAsText("result")).containsExactly("formatted", "then", "set",
                "queued");

        // A manual push sends the flow's delivery again, as the flow routed it.
        as(s.apiKey).post("/crm/push/" + bigLead).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Scenario.posts(enterprisePath, bigEmail)).hasSize(2));
        assertThat(Fakes.server().findAll(postRequestedFor(urlEqualTo(restPath)))).hasSize(1);
    }

    @Test
    void a_webhook_step_is_signed_with_standard_webhooks_and_a_503_is_retried_under_the_same_id() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String path = "/flow-hook/" + UUID.randomUUID();
        String secret = "whsec_" + Base64.getEncoder().encodeToString(UUID.randomUUID().toString()
                .getBytes(StandardCharsets.UTF_8));
        String scenario = "flow-hook-" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlEqualTo(path)).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("busy")).willSetStateTo("up"));
        Fakes.server().stubFor(post(urlEqualTo(path)).inScenario(scenario).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        String flowId = createFlow(s, Map.of("name", "Hook", "steps", List.of(
                Map.of("type", "set", "field", "customFields.source", "value", "flow"),
                Map.of("type", "webhook", "url", Fakes.baseUrl() + path, "secret", secret))));
        JsonNode shown = JSON.readTree(as(s.apiKey).get("/flows/" + flowId).then().statusCode(200).extract()
                .asString());
        assertThat(shown.toString()).as("a webhook secret is write-only").doesNotContain(secret);
        assertThat(shown.path("steps").get(1).path("hasSecret").asBoolean()).isTrue();
        String leadgenId = Scenario.newLeadgenId();
        s.stubGraphLead(leadgenId, "hook." + leadgenId + "@example.com");

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(Fakes.server().findAll(postRequestedFor(urlEqualTo(path)))).hasSize(2));
        List<LoggedRequest> sends = Fakes.server().findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(sends.get(0).getHeader("webhook-id")).isEqualTo(sends.get(1).getHeader("webhook-id"));
        for (LoggedRequest r : sends) {
            assertThat(StandardWebhookSigner.verify(secret, r.getHeader("webhook-id"),
                    Long.parseLong(r.getHeader("webhook-timestamp")), r.getBodyAsString(),
                    r.getHeader("webhook-signature"))).as("signed: %s", r.getBodyAsString()).isTrue();
        }
        JsonNode envelope = JSON.readTree(sends.get(1).getBodyAsString());
        assertThat(envelope.path("type").asText()).isEqualTo("lead.created");
        assertThat(envelope.path("data").path("customFields").path("source").asText()).isEqualTo("flow");
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode d = JSON.readTree(s.getLead(leadId).asString()).path("deliveries").get(0);
            assertThat(d.path("status").asText()).isEqualTo("delivered");
            assertThat(d.path("attempts").asInt()).isEqualTo(2);
            assertThat(d.path("flowId").asText()).isEqualTo(flowId);
            assertThat(d.path("url").asText()).isEqualTo(Fakes.baseUrl() + path);
        });
    }

    @Test
    void the_test_route_runs_the_flow_on_a_sample_and_sends_stores_and_records_nothing() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String crmPath = "/crm/tested/" + UUID.randomUUID();
        String hookPath = "/flow-hook/tested/" + UUID.randomUUID();
        Scenario.stubOk(crmPath);
        Scenario.stubOk(hookPath);
        String crm = flowsOnlyCrm(s, crmPath);
        String flowId = createFlow(s, Map.of("name", "Tried", "steps", List.of(
                Map.of("type", "format", "field", "fullName", "format", "title"),
                Map.of("type", "deliver", "destinationId", crm),
                Map.of("type", "webhook", "url", Fakes.baseUrl() + hookPath))));

        Response r = asJson(s.apiKey, Map.of("lead", Map.of("email", "sample@example.com", "fullName",
                "ÉLODIE o'brien-SMITH", "company", "Acme"))).post("/flows/" + flowId + "/test");

        JsonNode out = JSON.readTree(r.then().statusCode(200).extract().asString());
        assertThat(out.path("run").path("outcome").asText()).isEqualTo("completed");
        assertThat(out.path("run").path("actions")).hasSize(2);
        assertThat(out.path("lead").path("fullName").asText()).isEqualTo("Élodie O'Brien-Smith");
        Redelivery.staysTrue(() -> {
            assertThat(Fakes.server().findAll(postRequestedFor(urlEqualTo(crmPath)))).isEmpty();
            assertThat(Fakes.server().findAll(postRequestedFor(urlEqualTo(hookPath)))).isEmpty();
        });
        JsonNode runs = JSON.readTree(as(s.apiKey).get("/flows/" + flowId + "/runs").asString());
        assertThat(runs.path("items")).isEmpty();
        assertThat(JSON.readTree(s.listLeads().asString()).path("items")).isEmpty();
    }

    @Test
    void a_disabled_flow_and_a_flow_for_another_form_do_not_run() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String path = "/crm/never/" + UUID.randomUUID();
        Scenario.stubOk(path);
        String crm = flowsOnlyCrm(s, path);
        String disabled = createFlow(s, Map.of("name", "Off", "enabled", false, "steps",
                List.of(Map.of("type", "deliver", "destinationId", crm))));
        String otherForm = createFlow(s, Map.of("name", "Other form", "trigger", Map.of("formIds", List.of("42")),
                "steps", List.of(Map.of("type", "deliver", "destinationId", crm))));
        String filtered = createFlow(s, Map.of("name", "Filtered", "steps", List.of(
                Map.of("type", "filter", "conditions", List.of(Map.of("field", "email", "op", "ends_with",
                        "value", "@corp.example"))),
                Map.of("type", "deliver", "destinationId", crm))));
        String leadgenId = Scenario.newLeadgenId();
        s.stubGraphLead(leadgenId, "not-corp." + leadgenId + "@example.com");

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(JSON.readTree(
                as(s.apiKey).get("/flows/" + filtered + "/runs").asString()).path("items")).hasSize(1));
        JsonNode run = JSON.readTree(as(s.apiKey).get("/flows/" + filtered + "/runs").asString()).path("items").get(0);
        assertThat(run.path("outcome").asText()).isEqualTo("filtered");
        assertThat(run.path("actions")).isEmpty();
        Redelivery.staysTrue(() -> assertThat(Fakes.server().findAll(postRequestedFor(urlEqualTo(path)))).isEmpty());
        assertThat(JSON.readTree(as(s.apiKey).get("/flows/" + disabled + "/runs").asString()).path("items")).isEmpty();
        assertThat(JSON.readTree(as(s.apiKey).get("/flows/" + otherForm + "/runs").asString()).path("items")).isEmpty();
    }

    private static String flowsOnlyCrm(Scenario s, String path) {
        return asJson(s.apiKey, Map.of("type", "http", "name", "CRM " + path, "receives", "flows",
                "config", Map.of("url", Fakes.baseUrl() + path))).post("/crm/destinations").then().statusCode(201)
                .extract().path("id");
    }

    private static String createFlow(Scenario s, Map<String, Object> flow) {
        return asJson(s.apiKey, flow).post("/flows").then().statusCode(201).extract().path("id");
    }

    private static JsonNode find(JsonNode runs, String leadId) {
        for (JsonNode run : runs) {
            if (run.path("leadId").asText().equals(leadId)) {
                return run;
            }
        }
        throw new AssertionError("no run for lead " + leadId + " in " + runs);
    }
}
