package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.LinkedInFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Redelivery;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A signed LinkedIn notification through the local-mode wiring: HTTP gateway → webhook → SQS → normalize
 * (the lead fetched from the LinkedIn fake with the connection's token) → stored and listed.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class LinkedInEndToEndTest {

    @Test
    void a_signed_notification_is_fetched_once_normalized_and_listed() {
        LinkedInFake.Connected c = LinkedInFake.connectedAccount();
        String leadId = LinkedInFake.newLeadId();
        String path = LinkedInFake.API + "/leadFormResponses/" + leadId;
        Fakes.server().stubFor(get(urlPathEqualTo(path))
                .withHeader("Authorization", equalTo("Bearer " + c.token()))
                .withHeader("LinkedIn-Version", equalTo(LinkedInFake.VERSION))
                .willReturn(LinkedInFake.json(200, LinkedInFake.lead(c.adAccountId(), leadId,
                        "  Jane.Doe+" + leadId + "@Acme.example ", 1762179727123L))));
        String ourLeadId = new LeadIdentity(c.accountId(), ProviderType.LINKEDIN_ADS, leadId).leadId();
        String notification = LinkedInFake.notification(c.adAccountId(), leadId, "CREATED");

        LinkedInFake.postWebhook(notification).then().statusCode(200);

        // The lead is listed from its receipt on; its fields once it is normalized and stored.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(lead(c, ourLeadId).then().statusCode(200).extract().jsonPath().getString("status"))
                        .isIn("stored", "dispatched"));
        JsonPath lead = lead(c, ourLeadId).jsonPath();
        assertThat(lead.getString("providerType")).isEqualTo("linkedin_ads");
        assertThat(lead.getString("providerLeadId")).isEqualTo(leadId);
        assertThat(lead.getString("accountId")).isEqualTo(c.accountId());
        assertThat(lead.getString("email")).isEqualTo("jane.doe+" + leadId + "@acme.example");
        assertThat(lead.getString("firstName")).isEqualTo("Jane");
        assertThat(lead.getString("lastName")).isEqualTo("Doe");
        assertThat(lead.getString("fullName")).isEqualTo("Jane Doe");
        assertThat(lead.getString("company")).isEqualTo("Acme Inc");
        assertThat(lead.getMap("customFields")).containsEntry("budget", "$5k-$10k")
                .containsEntry("utm_source", "linkedin").containsEntry("Send me product news", "true");
        assertThat(lead.getString("receivedAt")).isEqualTo("2025-11-03T14:22:07.123Z");
        assertThat(lead.getString("formId")).isEqualTo("3162");
        assertThat(lead.getString("adId")).isEqualTo("123456789");
        assertThat(lead.getString("campaignId")).isEqualTo("234567890");
        assertThat(lead.getBoolean("isTest")).isFalse();
        assertThat(Scenario.given().header("x-api-key", c.apiKey()).get("/leads").then().statusCode(200).extract()
                .jsonPath().getList("items.leadId")).containsOnlyOnce(ourLeadId);

        // LinkedIn delivers notifications more than once (§3.2): the repeat is a duplicate, not a second fetch.
        LinkedInFake.postWebhook(notification).then().statusCode(200);
        Redelivery.staysTrue(() ->
                assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(path)))).hasSize(1));
        assertThat(Scenario.given().header("x-api-key", c.apiKey()).get("/leads").jsonPath().getList("items.leadId"))
                .containsOnlyOnce(ourLeadId);
    }

    private static Response lead(LinkedInFake.Connected c, String leadId) {
        return Scenario.given().header("x-api-key", c.apiKey()).get("/leads/" + leadId);
    }
}
