package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.store.LeadStore;
import com.leadsync.store.UnroutedStore;
import com.leadsync.testing.CrashingProbe;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A lead whose connection cannot fetch it (the page token was revoked) is neither retried into the DLQ nor
 * lost: it waits against its connection and is fetched, stored and delivered once the token is replaced.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class ParkedLeadsTest {

    private static final String CRM = "/parked/crm";

    @Inject
    UnroutedStore waiting;
    @Inject
    LeadStore leads;

    /** Graph's answer to a revoked page token (providers.md §1.6: code 190, OAuthException). */
    private static void revoke(String token) {
        Fakes.server().stubFor(get(urlPathMatching("/v25.0/[0-9]+")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json").withBody("""
                        {"error":{"message":"Error validating access token: The session has been invalidated because \
                        the user changed their password.","type":"OAuthException","code":190,"error_subcode":460,\
                        "fbtrace_id":"AbCdEf123"}}""")));
    }

    private static void answerLeadsFor(String token) {
        Fakes.server().stubFor(get(urlPathMatching("/v25.0/[0-9]+")).atPriority(3)
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withHeader("content-type", "application/json")
                        .withTransformers(Fakes.GRAPH_LEAD_ECHO)));
    }

    @Test
    void a_lead_that_a_revoked_token_cannot_fetch_waits_and_arrives_once_the_token_is_replaced() {
        Scenario s = Scenario.withMetaPage();
        Scenario.stubOk(CRM);
        s.addHttpCrm(CRM);
        revoke(s.pageToken);
        String leadgenId = Scenario.newLeadgenId();
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        String routeKey = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(waiting.waiting(routeKey)).isEqualTo(1);
            assertThat(leads.get(leadId)).hasValueSatisfying(r -> assertThat(r.lastError()).contains("code 190"));
        });
        // Parked, not retried: one fetch, however long we wait for more.
        staysTrue(() -> assertThat(Fakes.server().findAll(
                getRequestedFor(urlPathEqualTo("/v25.0/" + leadgenId)))).hasSize(1));
        // The caller sees it waiting, and why.
        assertThat(as(s.apiKey).get("/leads").jsonPath().getString("items[0].status")).isEqualTo("received");
        assertThat(as(s.apiKey).get("/leads").jsonPath().getString("items[0].lastError"))
                .startsWith("waiting for its connection").contains("code 190");

        String newToken = Scenario.newPageToken(s.pageId);
        answerLeadsFor(newToken);
        String connectionId = as(s.apiKey).get("/connections").jsonPath().getString("items[0].id");
        Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("accessToken", newToken)).put("/connections/" + connectionId).then().statusCode(200);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(s.getLead(leadId).then().statusCode(200)
                .extract().jsonPath().getList("deliveries.status")).containsExactly("delivered"));
        assertThat(waiting.waiting(routeKey)).isZero();
        staysTrue(() -> assertThat(posts(CRM, "bench." + leadgenId + "@example.com")).hasSize(1));
    }

    @Test
    void a_lead_parked_just_after_its_token_was_replaced_is_fetched_with_the_new_token_at_once() {
        // The race: the fetch is refused with the old token, then PUT /connections/{id} replaces it and drains the
        // connection's waiting leads (none yet), then the lead is parked. Nothing else would ever drain it.
        Scenario s = Scenario.withMetaPage();
        Scenario.stubOk(CRM);
        s.addHttpCrm(CRM);
        revoke(s.pageToken);
        String leadgenId = Scenario.newLeadgenId();
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        String routeKey = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);
        String newToken = Scenario.newPageToken(s.pageId);
        answerLeadsFor(newToken);
        String connectionId = as(s.apiKey).get("/connections").jsonPath().getString("items[0].id");
        CrashingProbe.runOnce("normalize.refused", leadId, () -> Scenario.given().header("x-api-key", s.apiKey)
                .contentType(ContentType.JSON).body(Map.of("accessToken", newToken)).put("/connections/" + connectionId)
                .then().statusCode(200));

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(s.getLead(leadId).then().statusCode(200)
                .extract().jsonPath().getList("deliveries.status")).containsExactly("delivered"));
        assertThat(waiting.waiting(routeKey)).isZero();
        List<LoggedRequest> fetches = Fakes.server().findAll(getRequestedFor(urlPathEqualTo("/v25.0/" + leadgenId)));
        assertThat(fetches).extracting(r -> r.getHeader("Authorization"))
                .containsExactlyInAnyOrder("Bearer " + s.pageToken, "Bearer " + newToken);
        staysTrue(() -> assertThat(posts(CRM, "bench." + leadgenId + "@example.com")).hasSize(1));
    }

    /** Graph's answer for an object the token cannot read (providers.md §1.6, §1.7: code 100, subcode 33). */
    private static void hide(String leadgenId) {
        Fakes.server().stubFor(get(urlPathEqualTo("/v25.0/" + leadgenId)).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json").withBody("""
                        {"error":{"message":"Unsupported get request. Object with ID '%s' does not exist, cannot be \
                        loaded due to missing permissions, or does not support this operation.",\
                        "type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"AbCdEf100"}}"""
                        .formatted(leadgenId))));
    }

    @Test
    void a_lead_the_page_token_may_not_read_waits_on_its_connection_instead_of_being_dead_lettered() {
        // 100/33 on a lead fetch is a missing permission (Leads Access Manager, leads_retrieval), not a lead that
        // is gone: Meta just sent its id. Only a person can fix it; retrying would spend the message's receives.
        Scenario s = Scenario.withMetaPage();
        String leadgenId = Scenario.newLeadgenId();
        hide(leadgenId);
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        String routeKey = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(waiting.waiting(routeKey)).isEqualTo(1);
            assertThat(leads.get(leadId)).hasValueSatisfying(r -> assertThat(r.lastError())
                    .startsWith("waiting for its connection").contains("code 100/33"));
        });
        staysTrue(() -> assertThat(Fakes.server().findAll(
                getRequestedFor(urlPathEqualTo("/v25.0/" + leadgenId)))).hasSize(1));
    }
}
