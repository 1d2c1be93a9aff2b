package com.leadsync.pipeline;

import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.HUBSPOT_UPSERT;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.delivery.forward.StandardWebhookSigner;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A signed Meta webhook through the local-mode wiring: HTTP gateway → webhook → SQS → normalize → SQS → deliver. */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class PipelineEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void fakes() {
        Scenario.stubHubSpotOk();
        Scenario.stubOk("/crm-custom/leads");
        Scenario.stubOk("/subscriber/hook");
    }

    @Test
    void a_signed_webhook_lead_is_stored_normalized_delivered_and_forwarded_once() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String hubspot = s.addHubSpot();
        String custom = s.addHttpCrm("/crm-custom/leads");
        String subscription = s.subscribe("/subscriber/hook", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String leadgenId = Scenario.newLeadgenId();
        String email = "jane." + leadgenId + "@example.com";
        s.stubGraphLead(leadgenId, email);
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath lead = s.getLead(leadId).then().statusCode(200).extract().jsonPath();
            assertThat(lead.getList("deliveries.status")).containsOnly("delivered").hasSize(3);
        });
        JsonPath lead = s.getLead(leadId).jsonPath();
        assertThat(lead.getString("providerType")).isEqualTo("meta_lead_ads");
        assertThat(lead.getString("providerLeadId")).isEqualTo(leadgenId);
        assertThat(lead.getString("email")).isEqualTo(email);
        assertThat(lead.getString("fullName")).isEqualTo("Jane Doe");
        assertThat(lead.getString("firstName")).isEqualTo("Jane");
        assertThat(lead.getString("lastName")).isEqualTo("Doe");
        assertThat(lead.getString("phoneNumber")).isEqualTo("+14155550123");
        assertThat(lead.getString("company")).isEqualTo("Acme Inc");
        assertThat(lead.getMap("rawFieldData")).containsEntry("city", "San Francisco");
        assertThat(lead.getMap("customFields")).containsEntry("what_is_your_monthly_budget?", "$5k-$10k");
        assertThat(lead.getString("receivedAt")).isEqualTo("2026-03-07T14:30:00Z");
        assertThat(lead.getString("campaignId")).isEqualTo("120210000000000000");
        assertThat(lead.getBoolean("isTest")).isFalse();
        assertThat(lead.getList("deliveries.destinationId")).containsExactlyInAnyOrder(hubspot, custom, subscription);

        // GET /leads lists it for this account.
        assertThat(s.listLeads().then().statusCode(200).extract().jsonPath().getList("items.leadId")).contains(leadId);

        // HubSpot: one batch upsert by email with the mapped properties.
        List<LoggedRequest> upserts = posts(HUBSPOT_UPSERT, email);
        assertThat(upserts).hasSize(1);
        JsonNode input = JSON.readTree(upserts.get(0).getBodyAsString()).path("inputs").get(0);
        assertThat(input.path("idProperty").asText()).isEqualTo("email");
        assertThat(input.path("id").asText()).isEqualTo(email);
        assertThat(input.path("properties").path("firstname").asText()).isEqualTo("Jane");
        assertThat(input.path("properties").path("phone").asText()).isEqualTo("+14155550123");
        assertThat(upserts.get(0).getHeader("Authorization")).isEqualTo("Bearer pat-na1-" + s.accountId);

        // Custom CRM: default mapping plus the destination's fieldMapping.
        List<LoggedRequest> customPosts = posts("/crm-custom/leads", email);
        assertThat(customPosts).hasSize(1);
        JsonNode crm = JSON.readTree(customPosts.get(0).getBodyAsString());
        assertThat(crm.path("first_name").asText()).isEqualTo("Jane");
        assertThat(crm.path("full_name").asText()).isEqualTo("Jane Doe");
        assertThat(crm.path("phone").asText()).isEqualTo("+14155550123");
        assertThat(crm.path("budget").asText()).isEqualTo("$5k-$10k");

        // Subscriber: a signed lead.created event.
        List<LoggedRequest> forwards = posts("/subscriber/hook", email);
        assertThat(forwards).hasSize(1);
        LoggedRequest fwd = forwards.get(0);
        JsonNode event = JSON.readTree(fwd.getBodyAsString());
        assertThat(event.path("type").asText()).isEqualTo("lead.created");
        assertThat(event.path("data").path("leadId").asText()).isEqualTo(leadId);
        assertThat(StandardWebhookSigner.verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                fwd.getHeader("webhook-id"), Long.parseLong(fwd.getHeader("webhook-timestamp")), fwd.getBodyAsString(),
                fwd.getHeader("webhook-signature"))).isTrue();

        // The same webhook again (Meta retries): nothing new anywhere.
        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);
        staysTrue(() -> {
            assertThat(posts(HUBSPOT_UPSERT, email)).hasSize(1);
            assertThat(posts("/crm-custom/leads", email)).hasSize(1);
            assertThat(posts("/subscriber/hook", email)).hasSize(1);
        });
        assertThat(s.listLeads().jsonPath().getList("items.leadId")).containsOnlyOnce(leadId);
    }

    @Test
    void twenty_concurrent_deliveries_of_one_leadgen_id_make_one_lead_one_upsert_one_forward() throws Exception {
        Scenario s = Scenario.withMetaPage();
        s.addHubSpot();
        s.subscribe("/subscriber/hook", "plain-secret");
        String leadgenId = Scenario.newLeadgenId();
        String email = "concurrent." + leadgenId + "@example.com";
        s.stubGraphLead(leadgenId, email);
        String body = s.webhookBody(leadgenId);

        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(pool.submit(() -> Scenario.postWebhook(body).statusCode()));
            }
            for (Future<Integer> f : calls) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                s.getLead(leadId).then().statusCode(200).extract().jsonPath().getList("deliveries.status"))
                .containsOnly("delivered").hasSize(2));
        staysTrue(() -> {
            assertThat(posts(HUBSPOT_UPSERT, email)).hasSize(1);
            assertThat(posts("/subscriber/hook", email)).hasSize(1);
        });
        assertThat(s.listLeads().jsonPath().getList("items")).hasSize(1);
        Map<String, Object> lead = s.getLead(leadId).jsonPath().getMap("");
        assertThat(lead.get("email")).isEqualTo(email);
    }
}
