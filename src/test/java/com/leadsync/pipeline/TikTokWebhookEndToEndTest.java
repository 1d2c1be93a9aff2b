package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import com.leadsync.testing.TikTokFake.Advertiser;
import com.leadsync.testing.TikTokFake;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A signed TikTok webhook through the local-mode wiring (HTTP gateway → webhook → SQS → normalize): the entry is the
 * whole lead, so it is stored normalized without any call to TikTok.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class TikTokWebhookEndToEndTest {

    /** Calls to the TikTok fake other than the connection check (advertiser/info): a fetch would be one. */
    private static long tiktokCallsBesidesTheConnectionCheck() {
        return Fakes.server().findAll(anyRequestedFor(urlPathMatching("/tiktok/.*"))).stream()
                .filter(r -> !r.getUrl().startsWith(TikTokFake.ADVERTISER_INFO)).count();
    }

    private static JsonPath storedLead(String apiKey, String leadId) {
        // Listed from its receipt on; read once it is stored (its fields filled).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Scenario.given()
                .header("x-api-key", apiKey).get("/leads/" + leadId).then().statusCode(200).extract().jsonPath()
                .getString("status")).isIn("stored", "dispatched"));
        return Scenario.given().header("x-api-key", apiKey).get("/leads/" + leadId).jsonPath();
    }

    @Test
    void a_signed_webhook_lead_is_stored_normalized_without_a_fetch() {
        Advertiser a = TikTokFake.connected();
        String tiktokLeadId = TikTokFake.newId();
        String email = "jane." + tiktokLeadId + "@example.com";
        long callsBefore = tiktokCallsBesidesTheConnectionCheck();

        TikTokFake.postSigned(TikTokFake.webhookBody(TikTokFake.leadEntry(tiktokLeadId, a.advertiserId(), email)))
                .then().statusCode(200);

        JsonPath lead = storedLead(a.apiKey(),
                new LeadIdentity(a.accountId(), ProviderType.TIKTOK_ADS, tiktokLeadId).leadId());
        assertThat(lead.getString("providerType")).isEqualTo("tiktok_ads");
        assertThat(lead.getString("providerLeadId")).isEqualTo(tiktokLeadId);
        assertThat(lead.getString("email")).isEqualTo(email);
        assertThat(lead.getString("fullName")).isEqualTo("Jane Doe");
        assertThat(lead.getString("firstName")).isEqualTo("Jane");
        assertThat(lead.getString("lastName")).isEqualTo("Doe");
        assertThat(lead.getString("phoneNumber")).isEqualTo("+14155550123");
        assertThat(lead.getString("company")).isEqualTo("Acme Inc");
        assertThat(lead.getMap("rawFieldData")).containsExactly(Map.entry("city", "San Francisco"));
        assertThat(lead.getMap("customFields")).containsExactly(Map.entry("What is your monthly budget?", "$5k-$10k"));
        assertThat(lead.getString("receivedAt")).isEqualTo("2026-03-07T14:30:00Z");
        assertThat(lead.getString("formId")).isEqualTo("7123456789012345678");
        assertThat(lead.getString("adId")).isEqualTo("1780000000000003");
        assertThat(lead.getString("campaignId")).isEqualTo("1780000000000001");
        assertThat(lead.getBoolean("isTest")).isFalse();
        assertThat(tiktokCallsBesidesTheConnectionCheck()).as("no fetch").isEqualTo(callsBefore);
    }

    @Test
    void a_lead_for_an_advertiser_connected_afterwards_is_stored_from_the_kept_entry() {
        JsonPath account = Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "TikTok " + UUID.randomUUID())).post("/accounts")
                .then().statusCode(201).extract().jsonPath();
        String key = account.getString("apiKey");
        String advertiser = TikTokFake.newId();
        String token = TikTokFake.newToken();
        TikTokFake.grantAdvertiser(advertiser, token);
        String tiktokLeadId = TikTokFake.newId();
        TikTokFake.postSigned(TikTokFake.webhookBody(TikTokFake.leadEntry(tiktokLeadId, advertiser, "late@example.com")))
                .then().statusCode(200);
        long callsBefore = tiktokCallsBesidesTheConnectionCheck();

        TikTokFake.connect(key, advertiser, token).then().statusCode(201);

        JsonPath lead = storedLead(key,
                new LeadIdentity(account.getString("accountId"), ProviderType.TIKTOK_ADS, tiktokLeadId).leadId());
        assertThat(lead.getString("email")).isEqualTo("late@example.com");
        assertThat(lead.getString("providerLeadId")).isEqualTo(tiktokLeadId);
        assertThat(tiktokCallsBesidesTheConnectionCheck()).as("no fetch").isEqualTo(callsBefore);
    }
}
