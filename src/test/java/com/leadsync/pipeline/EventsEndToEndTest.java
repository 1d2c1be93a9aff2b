package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.testing.Scenario.HUBSPOT_UPSERT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.connect.ConnectionCheck;
import com.leadsync.connect.ConnectionRepository;
import com.leadsync.connect.CredentialRepository;
import com.leadsync.event.EventTypes;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.EventSubscriber;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Redelivery;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Contract §9 through the running pipeline: each event type reaches, once and signed, the subscriptions that asked for
 * it (its type and its provider) and no other; a subscription without {@code eventTypes} still gets leads only.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class EventsEndToEndTest {

    @Inject
    ConnectionCheck check;
    @Inject
    ConnectionRepository connections;
    @Inject
    CredentialRepository<Connection> grants;

    @Test
    void a_failed_delivery_is_told_once_signed_to_the_subscriptions_that_asked_and_to_no_other() {
        Scenario s = Scenario.withMetaPage();
        String hubspot = s.addHubSpot();
        String leadgenId = Scenario.newLeadgenId();
        String email = "fails." + leadgenId + "@example.com";
        s.stubGraphLead(leadgenId, email);
        Fakes.server().stubFor(post(urlEqualTo(HUBSPOT_UPSERT)).atPriority(1).withRequestBody(containing(email))
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                        .withBody("{\"status\":\"error\",\"message\":\"Property values were not valid\","
                                + "\"category\":\"VALIDATION_ERROR\"}")));
        EventSubscriber failures = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads", EventTypes.DELIVERY_FAILED);
        EventSubscriber leadsOnly = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads");
        EventSubscriber otherProvider = EventSubscriber.subscribe(s.apiKey, "google_ads", EventTypes.DELIVERY_FAILED);
        EventSubscriber imports = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads", EventTypes.IMPORT_COMPLETED,
                EventTypes.IMPORT_FAILED);
        EventSubscriber everything = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads",
                EventTypes.ALL.toArray(String[]::new));
        EventSubscriber disabled = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads",
                EventTypes.ALL.toArray(String[]::new));
        Scenario.given().header("x-api-key", s.apiKey).contentType("application/json").body(Map.of("enabled", false))
                .put("/webhooks/subscriptions/" + disabled.subscriptionId).then().statusCode(200);

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(failures.received()).hasSize(1));
        JsonNode told = failures.received().get(0);
        assertThat(told.path("type").asText()).isEqualTo("delivery.failed");
        assertThat(told.path("timestamp").asText()).isNotEmpty();
        JsonNode data = told.path("data");
        assertThat(data.path("leadId").asText()).isEqualTo(leadId);
        assertThat(data.path("destinationId").asText()).isEqualTo(hubspot);
        assertThat(data.path("attempts").asInt()).isEqualTo(1);
        assertThat(data.path("lastError").asText()).contains("400").contains("Property values were not valid");
        assertThat(data.has("flowId")).as("no flow sent it").isFalse();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(leadsOnly.received("lead.created")).hasSize(1);
            assertThat(everything.received("lead.created")).hasSize(1);
            assertThat(everything.received("delivery.failed")).hasSize(1);
        });
        assertThat(leadsOnly.received().get(0).path("data").path("leadId").asText()).isEqualTo(leadId);
        Redelivery.staysTrue(() -> {
            assertThat(failures.received()).hasSize(1);
            assertThat(leadsOnly.received()).hasSize(1);
            assertThat(everything.received()).hasSize(2);
            assertThat(otherProvider.received()).isEmpty();
            assertThat(imports.received()).isEmpty();
            assertThat(disabled.received()).as("a disabled subscription gets nothing").isEmpty();
        });
    }

    @Test
    void a_connection_whose_token_is_rejected_is_told_once_needs_reauth_and_the_daily_check_tells_it_no_second_time() {
        Scenario s = Scenario.withMetaPage();
        EventSubscriber reauth = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads",
                EventTypes.CONNECTION_NEEDS_REAUTH);
        EventSubscriber expiring = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads",
                EventTypes.CONNECTION_EXPIRING);
        String leadgenId = Scenario.newLeadgenId();
        // The page's token was revoked at Meta: Graph answers code 190 to it.
        Fakes.server().stubFor(get(urlPathEqualTo("/" + Scenario.GRAPH_VERSION + "/" + leadgenId)).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Error validating access token: The session has been"
                                + " invalidated because the user changed their password.\",\"type\":"
                                + "\"OAuthException\",\"code\":190,\"error_subcode\":460,\"fbtrace_id\":\"AbC\"}}")));

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reauth.received()).hasSize(1));
        JsonNode data = reauth.received().get(0).path("data");
        assertThat(reauth.received().get(0).path("type").asText()).isEqualTo("connection.needs_reauth");
        assertThat(data.path("providerType").asText()).isEqualTo("meta_lead_ads");
        assertThat(data.path("externalId").asText()).isEqualTo(s.pageId);
        assertThat(data.path("status").asText()).isEqualTo("needs_reauth");
        assertThat(data.path("connectionId").asText()).isEqualTo(connections.findByRoute(ProviderType.META_LEAD_ADS,
                s.pageId).orElseThrow().connectionId());
        assertThat(data.has("expiresAt")).isTrue();
        assertThat(data.get("expiresAt").isNull()).as("a page token has no expiry").isTrue();

        ConnectionCheck.CheckResult run = check.run();
        assertThat(run.failed()).isZero();
        assertThat(run.complete()).isTrue();
        Redelivery.staysTrue(() -> {
            assertThat(reauth.received()).hasSize(1);
            assertThat(expiring.received()).isEmpty();
        });
    }

    @Test
    void a_needs_reauth_whose_telling_was_lost_is_told_by_the_daily_check_once() {
        Scenario s = Scenario.withMetaPage();
        EventSubscriber reauth = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads",
                EventTypes.CONNECTION_NEEDS_REAUTH);
        EventSubscriber otherAccount = EventSubscriber.subscribe(Scenario.withMetaPage().apiKey, "meta_lead_ads",
                EventTypes.CONNECTION_NEEDS_REAUTH);
        Connection c = connections.findByRoute(ProviderType.META_LEAD_ADS, s.pageId).orElseThrow();
        // Marked, then the instance died before telling anyone.
        assertThat(grants.markNeedsReauth(c, grants.read(c).orElseThrow().tokenVersion(),
                "the provider rejected the access token")).isTrue();

        check.run();
        check.run();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reauth.received()).hasSize(1));
        assertThat(reauth.received().get(0).path("data").path("connectionId").asText()).isEqualTo(c.connectionId());
        Redelivery.staysTrue(() -> {
            assertThat(reauth.received()).hasSize(1);
            assertThat(otherAccount.received()).isEmpty();
        });
    }

    @Test
    void event_types_are_checked_one_by_one_and_shown_back() {
        Scenario s = Scenario.withMetaPage();
        for (Object bad : List.of(List.of("lead.created,delivery.failed"), List.of("delivery.failed", "bogus"),
                List.of(), List.of(7), List.of("import.failed", "import.failed"), "import.failed")) {
            Scenario.given().header("x-api-key", s.apiKey).contentType("application/json")
                    .body(Map.of("callbackUrl", Fakes.baseUrl() + "/subscriber/refused", "eventTypes", bad))
                    .post("/webhooks/meta_lead_ads/subscribe").then().statusCode(422)
                    .body("message", org.hamcrest.Matchers.containsString("eventTypes"));
        }
        EventSubscriber ok = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads", EventTypes.IMPORT_FAILED,
                EventTypes.CONNECTION_EXPIRING);
        List<Map<String, Object>> listed = Scenario.given().header("x-api-key", s.apiKey)
                .get("/webhooks/subscriptions").then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0)).containsEntry("id", ok.subscriptionId)
                .containsEntry("eventTypes", List.of("import.failed", "connection.expiring"));
    }

    @Test
    void the_daily_check_tells_once_per_expiry_of_tokens_that_lapse_within_a_week_and_cannot_be_refreshed() {
        Scenario s = Scenario.withMetaPage();
        EventSubscriber expiring = EventSubscriber.subscribe(s.apiKey, "linkedin_ads", EventTypes.CONNECTION_EXPIRING);
        EventSubscriber metaOnly = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads",
                EventTypes.CONNECTION_EXPIRING);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Connection lapsing = linkedIn(s.accountId, null, now.plus(Duration.ofDays(3)));
        linkedIn(s.accountId, "AQX-refresh-" + UUID.randomUUID(), now.plus(Duration.ofDays(3))); // refreshed in time
        linkedIn(s.accountId, null, now.plus(Duration.ofDays(30))); // told nearer the time
        linkedIn(s.accountId, null, now.minus(Duration.ofHours(1))); // already lapsed: it fails and is marked on use

        check.run();
        check.run();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(expiring.received()).hasSize(1));
        JsonNode told = expiring.received().get(0);
        assertThat(told.path("type").asText()).isEqualTo("connection.expiring");
        assertThat(told.path("data").path("connectionId").asText()).isEqualTo(lapsing.connectionId());
        assertThat(told.path("data").path("externalId").asText()).isEqualTo(lapsing.externalId());
        assertThat(told.path("data").path("status").asText()).isEqualTo("active");
        assertThat(Instant.parse(told.path("data").path("expiresAt").asText())).isEqualTo(lapsing.expiresAt());
        Redelivery.staysTrue(() -> {
            assertThat(expiring.received()).hasSize(1);
            assertThat(metaOnly.received()).isEmpty();
        });

        // A new expiry (the token was replaced) is news again.
        Connection renewed = new Connection(lapsing.connectionId(), lapsing.accountId(), lapsing.providerType(),
                lapsing.externalId(), "AQV-renewed-" + UUID.randomUUID(), null, now.plus(Duration.ofDays(5)),
                Map.of(), lapsing.createdAt(), ConnectionStatus.ACTIVE, null);
        connections.replaceTokens(renewed);
        check.run();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(expiring.received()).hasSize(2));
        assertThat(expiring.distinctIds()).isEqualTo(2);
        assertThat(List.of(expiring.received().get(1).path("data").path("expiresAt").asText()))
                .containsExactly(renewed.expiresAt().toString());
    }

    private Connection linkedIn(String accountId, String refreshToken, Instant expiresAt) {
        Connection c = new Connection("con_" + UUID.randomUUID().toString().replace("-", ""), accountId,
                ProviderType.LINKEDIN_ADS, Long.toString(500000000L + (long) (Math.random() * 400000000L)),
                "AQV-access-" + UUID.randomUUID(), refreshToken, expiresAt, Map.of(), Instant.now(),
                ConnectionStatus.ACTIVE, null);
        connections.create(c);
        return c;
    }
}
