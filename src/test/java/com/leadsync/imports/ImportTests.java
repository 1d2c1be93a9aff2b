package com.leadsync.imports;

import com.leadsync.testing.Fakes;

import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import static com.github.tomakehurst.wiremock.client.WireMock.get;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.Scenario;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The import routes as a caller uses them, and Meta leads in the listing's shape. */
final class ImportTests {

    private ImportTests() {
    }

    static String connectionId(Scenario s) {
        return Scenario.given().header("x-api-key", s.apiKey).get("/connections").then().statusCode(200).extract()
                .jsonPath().getString("items.find { it.externalId == '" + s.pageId + "' }.id");
    }

    static Response start(Scenario s, String body) {
        return Scenario.given().header("x-api-key", s.apiKey).contentType("application/json").body(body)
                .post("/leads/import");
    }

    /** Starts a Meta import of {@code formId}; its job id. */
    static String startMeta(Scenario s, String formId) {
        return start(s, "{\"providerType\":\"meta_lead_ads\",\"formId\":\"" + formId + "\"}").then().statusCode(202)
                .extract().jsonPath().getString("jobId");
    }

    /** Graph answers the form's lead listing with its "does not exist" error (code 100/33): permanent. */
    static void stubFormGone(String form) {
        Fakes.server().stubFor(get(urlPathEqualTo("/" + Scenario.GRAPH_VERSION + "/" + form + "/leads"))
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json").withBody("""
                        {"error":{"message":"Unsupported get request. Object with ID '%s' does not exist","type":
                        "GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"AbC"}}"""
                        .formatted(form))));
    }

    static JsonPath job(Scenario s, String jobId) {
        return Scenario.given().header("x-api-key", s.apiKey).get("/leads/import/" + jobId).then().statusCode(200)
                .extract().jsonPath();
    }

    static JsonPath awaitStatus(Scenario s, String jobId, String status) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(job(s, jobId).getString("status")).isEqualTo(status));
        return job(s, jobId);
    }

    static List<String> leadgenIds(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Scenario.newLeadgenId());
        }
        return ids;
    }

    static String[] listed(List<String> ids, String formId) {
        return ids.stream().map(id -> MetaListingFake.lead(id, formId, email(id))).toArray(String[]::new);
    }

    static String email(String leadgenId) {
        return "imported." + leadgenId + "@example.com";
    }

    static String leadId(Scenario s, String leadgenId) {
        return new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
    }

    /** Every delivery of the lead (HubSpot and one subscriber) delivered. */
    static void awaitDelivered(Scenario s, String leadId) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                s.getLead(leadId).then().statusCode(200).extract().jsonPath().getList("deliveries.status"))
                .containsOnly("delivered").hasSize(2));
    }
}
