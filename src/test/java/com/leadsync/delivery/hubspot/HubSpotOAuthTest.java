package com.leadsync.delivery.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.testing.HubSpotOAuthFake.json;
import static com.leadsync.testing.HubSpotOAuthFake.onRefresh;
import static com.leadsync.testing.HubSpotOAuthFake.onUpsert;
import static com.leadsync.testing.HubSpotOAuthFake.upserts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.store.DestinationStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.HubSpotOAuthFake;
import com.leadsync.testing.HubSpotOAuthFake.Grant;
import com.leadsync.testing.OAuthFlow;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedDestination;
import com.leadsync.connect.oauth.OAuthException;
import com.leadsync.connect.oauth.TokenEndpoint;
import java.time.Clock;
import java.util.Optional;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import org.junit.jupiter.api.Test;

/**
 * Connecting HubSpot by OAuth through the real routes, against WireMock in HubSpot's shapes (crm.md §A.1): the consent
 * page's scopes, the code exchange and the portal lookup, the destination created disabled with its tokens never
 * shown, a reconnect of the same portal updating it and re-sending what failed for want of re-authorization, and
 * HubSpot's refusals and outages as pages.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class HubSpotOAuthTest {

    private static final String TOKEN_PATH = "/hubspot-oauth/oauth/v1/token";

    @Inject
    DestinationStore destinations;

    private static List<LoggedRequest> exchanges(String code) {
        return Fakes.server().findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("code=" + code)));
    }

    @Test
    void authorize_asks_for_the_contact_scopes_the_destination_uses() {
        OAuthFlow flow = OAuthFlow.forNewAccount("hubspot");

        var page = flow.consentPage();

        assertThat(page.toString()).startsWith("https://app.hubspot.example.test/oauth/authorize?");
        Map<String, String> q = OAuthFlow.query(page);
        assertThat(q).containsEntry("client_id", "test-hubspot-client-id")
                .containsEntry("redirect_uri", flow.redirectUri()).containsKey("state").doesNotContainKey("code_challenge");
        assertThat(q.get("scope").split(" ")).containsExactlyInAnyOrder("oauth", "crm.objects.contacts.read",
                "crm.objects.contacts.write", "crm.schemas.contacts.read");
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_callback_creates_the_portal_as_a_disabled_destination_whose_tokens_are_never_shown() {
        OAuthFlow flow = OAuthFlow.forNewAccount("hubspot");
        Grant g = Grant.fresh(Grant.newHubId());
        HubSpotOAuthFake.exchanges(g);

        Response done = flow.callback(g.code());

        done.then().statusCode(302);
        assertThat(done.header("location")).startsWith("/admin?connected=hubspot&created=1&destinationId=dst_");
        List<Map<String, Object>> listed = flow.destinations();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0)).containsEntry("type", "hubspot").containsEntry("enabled", false)
                .containsEntry("status", "active").containsEntry("name", "HubSpot (acme-" + g.hubId()
                        + ".hubspot.com, portal " + g.hubId() + ")");
        assertThat(listed.get(0).get("config")).isEqualTo(Map.of("connectedAccount", Long.toString(g.hubId())));
        assertThat((List<Object>) listed.get(0).get("secretsSet")).containsExactlyInAnyOrder("accessToken", "refreshToken");
        assertThat(flow.destinationsText()).doesNotContain(g.accessToken()).doesNotContain(g.refreshToken());
        DestinationConfig stored = destinations.get(OAuthFlow.destinationId(done)).orElseThrow();
        assertThat(stored.config()).containsEntry("accessToken", g.accessToken())
                .containsEntry("refreshToken", g.refreshToken());
        assertThat(stored.tokenExpiresAt()).isCloseTo(Instant.now().plusSeconds(1800), within(60, ChronoUnit.SECONDS));
        String form = exchanges(g.code()).get(0).getBodyAsString();
        assertThat(form).contains("grant_type=authorization_code", "client_id=test-hubspot-client-id",
                "client_secret=test-hubspot-client-secret",
                "redirect_uri=" + HubSpotOAuthFake.formEncoded(flow.redirectUri()));
    }

    @Test
    void reconnecting_the_portal_updates_its_destination_and_resends_the_leads_that_waited_for_it() {
        Scenario s = Scenario.withMetaPage();
        OAuthFlow flow = new OAuthFlow("hubspot", s.apiKey);
        long hubId = Grant.newHubId();
        Grant first = Grant.fresh(hubId);
        HubSpotOAuthFake.exchanges(first);
        String id = OAuthFlow.destinationId(flow.callback(first.code()));
        Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON).body(Map.of("enabled", true))
                .put("/crm/destinations/" + id).then().statusCode(200);
        // A lead delivered while the grant lived is not sent again by the reconnect.
        onUpsert(first.accessToken(), HubSpotOAuthFake.upserted());
        String deliveredId = Scenario.newLeadgenId();
        s.stubGraphLead(deliveredId, "before." + deliveredId + "@example.com");
        String delivered = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, deliveredId).leadId();
        Scenario.postWebhook(s.webhookBody(deliveredId)).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(s.getLead(delivered).jsonPath()
                .getString("deliveries[0].status")).isEqualTo("delivered"));
        // The grant dies: the token is rejected and the refresh token is refused.
        onUpsert(first.accessToken(), json(401, HubSpotOAuthFake.expiredToken()));
        onRefresh(first.refreshToken(), json(400, HubSpotOAuthFake.invalidGrant()));
        String leadgenId = Scenario.newLeadgenId();
        s.stubGraphLead(leadgenId, "reauth." + leadgenId + "@example.com");
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(s.getLead(leadId).jsonPath()
                .getString("deliveries[0].status")).isEqualTo("failed"));
        assertThat(s.getLead(leadId).jsonPath().getString("deliveries[0].lastError"))
                .contains("needs re-authorization");

        Grant second = Grant.fresh(hubId);
        HubSpotOAuthFake.exchanges(second);
        onUpsert(second.accessToken(), HubSpotOAuthFake.upserted());
        Response again = flow.callback(second.code());

        again.then().statusCode(302);
        assertThat(again.header("location")).contains("updated=1&destinationId=" + id + "&resent=1");
        assertThat(flow.destinations()).hasSize(1).first().satisfies(d -> assertThat(d)
                .containsEntry("id", id).containsEntry("status", "active").containsEntry("enabled", true));
        DestinationConfig stored = destinations.get(id).orElseThrow();
        assertThat(stored.config()).containsEntry("accessToken", second.accessToken())
                .containsEntry("refreshToken", second.refreshToken());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(s.getLead(leadId).jsonPath()
                .getString("deliveries[0].status")).isEqualTo("delivered"));
        assertThat(upserts(second.accessToken())).hasSize(1);
        assertThat(s.getLead(delivered).jsonPath().getInt("deliveries[0].attempts")).isEqualTo(1);
    }

    @Test
    void a_refused_code_is_a_400_page_and_an_outage_a_502_page_and_neither_stores_anything() {
        OAuthFlow flow = OAuthFlow.forNewAccount("hubspot");
        String bad = "code-bad-" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlPathEqualTo(TOKEN_PATH)).withFormParam("code", equalTo(bad))
                .willReturn(json(400, """
                        {"status":"BAD_AUTH_CODE","message":"missing or invalid auth code",
                         "correlationId":"c3f1d2e4-5a6b-4c7d-8e9f-0a1b2c3d4e5f"}""")));
        String down = "code-down-" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlPathEqualTo(TOKEN_PATH)).withFormParam("code", equalTo(down))
                .willReturn(json(503, """
                        {"status":"error","message":"Service Unavailable","correlationId":"0f1e2d3c"}""")));

        Response refused = flow.callback(bad);
        Response unavailable = flow.callback(down);

        refused.then().statusCode(400).contentType("text/html");
        assertThat(refused.asString()).contains("HubSpot refused the authorization").contains("BAD_AUTH_CODE");
        unavailable.then().statusCode(502).contentType("text/html");
        assertThat(unavailable.asString()).contains("HubSpot answered 503");
        assertThat(flow.destinations()).isEmpty();
    }

    @Inject
    TokenEndpoint endpoint;

    @Test
    void local_mode_clicks_through_the_offline_hubspot_consent_and_token_endpoints() {
        String local = OAuthFlow.localBase() + "/_local/hubspot";
        HubSpotOAuth platform = new HubSpotOAuth(endpoint, Clock.systemUTC(), local + "/oauth/authorize",
                local + "/oauth/v1/token", local, Optional.of("test-hubspot-client-id"),
                Optional.of("test-hubspot-client-secret"));
        String redirect = OAuthFlow.REDIRECT_BASE + "hubspot/callback";

        Map<String, String> back = OAuthFlow.consentedAt(platform.authorizeUrl(new AuthorizeRequest("acc_local",
                "state-1", redirect, null)));
        CallbackRequest callback = new CallbackRequest("acc_local", back.get("code"), back, redirect, null);
        GrantedDestination granted = ((Granted.Destination) platform.complete(callback)).destination();

        assertThat(back).containsEntry("state", "state-1");
        assertThat(granted.identity()).isEqualTo("4242424");
        assertThat(granted.config()).containsEntry("refreshToken", "local-hubspot-refresh-token")
                .containsKey("accessToken");
        assertThat(catchThrowableOfType(OAuthException.class, () -> platform.complete(callback)).kind())
                .as("a code is redeemed once").isEqualTo(OAuthException.Kind.REFUSED);
    }
}
