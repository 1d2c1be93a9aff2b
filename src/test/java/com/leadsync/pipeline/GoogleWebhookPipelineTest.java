package com.leadsync.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.GoogleAdsFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Redelivery;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A Google webhook through the local-mode wiring (HTTP gateway → webhook → SQS → normalize): the pushed lead is
 * the whole lead, so it is stored normalized without any call to Google after the connection's check.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class GoogleWebhookPipelineTest {

    private record Customer(String accountId, String apiKey, String customerId, String webhookKey) {
    }

    private static Customer connectedCustomer() {
        Response account = Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme " + UUID.randomUUID())).post("/accounts");
        String customerId = GoogleAdsFake.newCustomerId();
        String webhookKey = GoogleAdsFake.newWebhookKey();
        GoogleAdsFake.connect(account.path("apiKey"), customerId, GoogleAdsFake.newAccessToken(customerId),
                Map.of(Connection.WEBHOOK_KEY, webhookKey)).then().statusCode(201);
        return new Customer(account.path("accountId"), account.path("apiKey"), customerId, webhookKey);
    }

    private static Response postWebhook(String body) {
        return Scenario.given().contentType("application/json").body(body).post("/webhook/google_ads");
    }

    private static JsonPath awaitLead(Customer c, String leadId) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> Scenario.given().header("x-api-key", c.apiKey()).get("/leads/" + leadId),
                r -> r.statusCode() == 200 && "dispatched".equals(r.jsonPath().getString("status")))
                .jsonPath();
    }

    @Test
    void a_webhook_lead_is_stored_normalized_for_the_keys_account_without_calling_google() {
        Customer c = connectedCustomer();
        String googleLeadId = GoogleAdsFake.newLeadId();
        String leadId = new LeadIdentity(c.accountId(), ProviderType.GOOGLE_ADS, googleLeadId).leadId();

        postWebhook(GoogleAdsFake.webhookLead(c.webhookKey(), googleLeadId, " Jane.Doe@Example.com ", false))
                .then().statusCode(200);

        JsonPath lead = awaitLead(c, leadId);
        assertThat(lead.getString("accountId")).isEqualTo(c.accountId());
        assertThat(lead.getString("providerLeadId")).isEqualTo(googleLeadId);
        assertThat(lead.getString("email")).isEqualTo("jane.doe@example.com");
        assertThat(lead.getString("fullName")).isEqualTo("Jane Doe");
        assertThat(lead.getString("firstName")).isEqualTo("Jane");
        assertThat(lead.getString("lastName")).isEqualTo("Doe");
        assertThat(lead.getString("phoneNumber")).isEqualTo("+14155550123");
        assertThat(lead.getString("company")).isEqualTo("Acme Inc");
        assertThat(lead.getMap("rawFieldData")).containsExactly(Map.entry("POSTAL_CODE", "94105"));
        assertThat(lead.getMap("customFields")).containsExactly(Map.entry("What is your monthly budget?", "$5k-$10k"));
        assertThat(lead.getString("receivedAt")).isEqualTo("2026-03-07T14:30:00Z");
        assertThat(lead.getString("formId")).isEqualTo("40000000000");
        assertThat(lead.getString("adId")).isEqualTo("30000000000");
        assertThat(lead.getString("campaignId")).isEqualTo("50000000000");
        assertThat(lead.getBoolean("isTest")).isFalse();
        assertThat(Scenario.given().header("x-api-key", c.apiKey()).get("/leads").jsonPath().getList("items.leadId"))
                .containsExactly(leadId);
        // The customer check when connecting is the only call Google got.
        assertThat(GoogleAdsFake.searches(c.customerId())).hasSize(1);
    }

    @Test
    void a_test_lead_is_marked_and_the_same_lead_again_is_one_lead() {
        Customer c = connectedCustomer();
        String googleLeadId = GoogleAdsFake.newLeadId();
        String leadId = new LeadIdentity(c.accountId(), ProviderType.GOOGLE_ADS, googleLeadId).leadId();
        String body = GoogleAdsFake.webhookLead(c.webhookKey(), googleLeadId, "test@example.com", true);

        postWebhook(body).then().statusCode(200);
        assertThat(awaitLead(c, leadId).getBoolean("isTest")).isTrue();
        postWebhook(body).then().statusCode(200);

        Redelivery.staysTrue(() ->
                assertThat(Scenario.given().header("x-api-key", c.apiKey()).get("/leads").jsonPath()
                        .getList("items.leadId")).containsExactly(leadId));
    }
}
