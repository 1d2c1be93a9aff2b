package com.leadsync.delivery.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.SalesforceFake;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Meta lead through the pipeline into a Salesforce org: stored, upserted once on its leadId, delivered. */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class SalesforceDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_stored_lead_is_upserted_into_salesforce_on_its_lead_id_and_shown_delivered() throws Exception {
        Scenario s = Scenario.withMetaPage();
        SalesforceFake org = new SalesforceFake();
        String leadgenId = Scenario.newLeadgenId();
        String email = "sf." + leadgenId + "@example.com";
        s.stubGraphLead(leadgenId, email);
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        org.onUpsert(leadId, SalesforceFake.created("00Q5g00000E2EEEEA1"));
        String destination = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "salesforce", "name", "Salesforce", "config", Map.of(
                        "instanceUrl", org.instanceUrl(), "accessToken", "00Dxx!e2e-" + s.accountId)))
                .post("/crm/destinations").then().statusCode(201).extract().path("id");

        JsonPath shown = Scenario.given().header("x-api-key", s.apiKey).get("/crm/destinations/" + destination)
                .then().statusCode(200).extract().jsonPath();
        assertThat(shown.getMap("config")).doesNotContainKey("accessToken").containsKey("instanceUrl");

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(s.getLead(leadId).then()
                .statusCode(200).extract().jsonPath().getList("deliveries.status")).containsExactly("delivered"));
        List<LoggedRequest> upserts = org.requests().stream()
                .filter(r -> r.getMethod().getName().equals("PATCH")).toList();
        assertThat(upserts).hasSize(1);
        assertThat(upserts.get(0).getUrl()).isEqualTo(org.upsertPath(leadId));
        assertThat(upserts.get(0).getHeader("Authorization")).isEqualTo("Bearer 00Dxx!e2e-" + s.accountId);
        JsonNode body = JSON.readTree(upserts.get(0).getBodyAsString());
        assertThat(body.path("Email").asText()).isEqualTo(email);
        assertThat(body.path("LastName").asText()).isEqualTo("Doe");
        assertThat(body.path("Company").asText()).isEqualTo("Acme Inc");
        assertThat(body.has(SalesforceFake.EXTERNAL_ID)).isFalse();
    }
}
