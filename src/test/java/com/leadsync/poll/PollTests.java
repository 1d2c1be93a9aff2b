package com.leadsync.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.Scenario;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/** What the poll tests do through the API, and how they read the Graph fake's journal. */
final class PollTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PollTests() {
    }

    static String connectionId(Scenario s) {
        return Scenario.given().header("x-api-key", s.apiKey).get("/connections").then().statusCode(200).extract()
                .jsonPath().getString("items.find { it.externalId == '" + s.pageId + "' }.id");
    }

    /** {@code GET /connections/{id}} as its owner. */
    static JsonPath view(Scenario s, String connectionId) {
        return Scenario.given().header("x-api-key", s.apiKey).get("/connections/" + connectionId).then()
                .statusCode(200).extract().jsonPath();
    }

    static void sync(Scenario s, String connectionId) {
        Scenario.given().header("x-api-key", s.apiKey).post("/connections/" + connectionId + "/sync")
                .then().statusCode(202);
    }

    static void awaitPolled(Scenario s, String connectionId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("ok"));
    }

    /** Every delivery of the lead (HubSpot and one subscriber) delivered. */
    static void awaitDelivered(Scenario s, String leadId) {
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(
                s.getLead(leadId).then().statusCode(200).extract().jsonPath().getList("deliveries.status"))
                .containsOnly("delivered").hasSize(2));
    }

    static String lead(String leadgenId, String formId) {
        return MetaListingFake.lead(leadgenId, formId, email(leadgenId));
    }

    static String email(String leadgenId) {
        return "polled." + leadgenId + "@example.com";
    }

    static String leadId(Scenario s, String leadgenId) {
        return new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
    }

    /** The {@code filtering} JSON a listing request sent. */
    static JsonNode filtering(LoggedRequest r) {
        try {
            return JSON.readTree(r.queryParameter("filtering").firstValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
