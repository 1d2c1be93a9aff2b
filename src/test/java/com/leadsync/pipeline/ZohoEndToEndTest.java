package com.leadsync.pipeline;

import static com.leadsync.testing.ZohoFake.data;
import static com.leadsync.testing.ZohoFake.json;
import static com.leadsync.testing.ZohoFake.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import com.leadsync.testing.ZohoFake;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Zoho destination through the API and the pipeline: stored, validated, a lead upserted after a refresh. */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class ZohoEndToEndTest {

    private static final String REFRESH = "1000.refresh.e2e0b0d3e1c2a9f8e7d6c5b4a392817";

    @Test
    void a_new_lead_reaches_zoho_once_after_the_expired_access_token_is_refreshed() {
        ZohoFake zoho = ZohoFake.fresh();
        zoho.refusesOtherTokens();
        zoho.tokenAnswers(REFRESH, json(200, ZohoFake.tokenGranted("1000.e2e.fresh")));
        zoho.upsertAnswers("1000.e2e.fresh", json(201, data(written("5725767000000524157", "insert"))));
        Scenario s = Scenario.withMetaPage();
        Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "zoho", "name", "Zoho EU", "config", Map.of("apiDomain", zoho.apiDomain(),
                        "accountsServer", zoho.accountsServer(), "accessToken", "1000.e2e.expired",
                        "refreshToken", REFRESH)))
                .post("/crm/destinations").then().statusCode(201);
        String leadgenId = Scenario.newLeadgenId();
        String email = "zoho." + leadgenId + "@example.com";
        s.stubGraphLead(leadgenId, email);

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(s.getLead(leadId).jsonPath()
                .getList("deliveries.status")).containsExactly("delivered"));
        List<String> bodies = zoho.upserts().stream().map(r -> r.getBodyAsString()).toList();
        assertThat(bodies).hasSize(2).allSatisfy(b -> assertThat(b).contains(email)
                .contains("\"duplicate_check_fields\":[\"Email\"]").contains("\"Last_Name\":\"Doe\""));
        assertThat(zoho.refreshes()).hasSize(1);
    }

    @Test
    void a_zoho_destination_with_a_bad_config_is_refused_with_every_reason() {
        Scenario s = Scenario.withMetaPage();
        String message = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "zoho", "name", "Zoho", "config", Map.of("apiDomain", "ftp://www.zohoapis.eu",
                        "trigger", "webhook")))
                .post("/crm/destinations").then().statusCode(422).extract().path("message");

        assertThat(message).contains("config.apiDomain").contains("config.accessToken").contains("config.trigger");
    }

    @Test
    void the_test_route_reads_zohos_lead_fields_names_an_unknown_mapped_one_and_creates_nothing() {
        ZohoFake zoho = ZohoFake.fresh();
        zoho.leadFields("1000.e2e.check", "Email", "First_Name", "Last_Name", "Phone", "Company");
        Scenario s = Scenario.withMetaPage();
        String id = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "zoho", "name", "Zoho EU", "config", Map.of("apiDomain", zoho.apiDomain(),
                        "accessToken", "1000.e2e.check"), "fieldMapping", Map.of("customFields.budget", "Budget")))
                .post("/crm/destinations").then().statusCode(201).extract().path("id");

        var answer = Scenario.given().header("x-api-key", s.apiKey).post("/crm/destinations/" + id + "/test")
                .then().statusCode(200).extract().jsonPath();

        assertThat(answer.getBoolean("ok")).isFalse();
        assertThat(answer.getList("unknownFields")).containsExactly("Budget");
        assertThat(zoho.fieldReads()).hasSize(1);
        assertThat(zoho.writes()).isEmpty();
    }
}
