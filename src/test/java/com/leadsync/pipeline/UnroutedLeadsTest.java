package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.store.UnroutedStore;
import com.leadsync.testing.CrashingProbe;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lead for a page nobody has connected yet is kept (Unrouted table, with a TTL) and goes through the
 * pipeline once that page is connected: stored and delivered exactly once, never lost.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class UnroutedLeadsTest {

    private static final String CRM = "/unrouted/crm";

    @Inject
    UnroutedStore unrouted;

    @BeforeEach
    void fakes() {
        Scenario.stubOk(CRM);
    }

    /** The Graph API answers every lead fetched with this page token (email {@code bench.<id>@example.com}). */
    private static void stubLeadsFor(String token) {
        Fakes.server().stubFor(get(urlPathMatching("/v25.0/[0-9]+")).atPriority(3)
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withHeader("content-type", "application/json")
                        .withTransformers(Fakes.GRAPH_LEAD_ECHO)));
    }

    private static String webhookFor(String pageId, List<String> leadgenIds) {
        StringBuilder changes = new StringBuilder();
        for (String id : leadgenIds) {
            changes.append(changes.length() == 0 ? "" : ",").append("""
                    {"field":"leadgen","value":{"leadgen_id":"%s","page_id":"%s","form_id":"987654321098765",\
                    "created_time":1772893800}}""".formatted(id, pageId));
        }
        return """
                {"object":"page","entry":[{"id":"%s","time":1772893800,"changes":[%s]}]}""".formatted(pageId, changes);
    }

    private static List<String> leadgenIds(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Scenario.newLeadgenId());
        }
        return ids;
    }

    private static void deliveredOnce(Scenario s, List<String> leadgenIds) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String id : leadgenIds) {
                String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, id).leadId();
                JsonPath lead = s.getLead(leadId).then().statusCode(200).extract().jsonPath();
                assertThat(lead.getList("deliveries.status")).containsExactly("delivered");
            }
        });
        staysTrue(() -> {
            for (String id : leadgenIds) {
                assertThat(posts(CRM, "bench." + id + "@example.com")).as("CRM posts of %s", id).hasSize(1);
            }
        });
    }

    @Test
    void a_lead_for_a_page_not_yet_connected_arrives_once_the_page_is_connected() {
        Scenario s = Scenario.withMetaPage();
        s.addHttpCrm(CRM);
        String pageId = Scenario.newPageId();
        String token = Scenario.newPageToken(pageId);
        stubLeadsFor(token);
        List<String> ids = leadgenIds(1);
        String routeKey = Connection.routeKey(ProviderType.META_LEAD_ADS, pageId);

        Response r = Scenario.postWebhook(webhookFor(pageId, ids));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getInt("unrouted")).isEqualTo(1);
        assertThat(unrouted.waiting(routeKey)).isEqualTo(1);
        assertThat(as(s.apiKey).get("/leads").jsonPath().getList("items")).isEmpty();

        Scenario.connectPage(s.apiKey, pageId, token).then().statusCode(201);

        deliveredOnce(s, ids);
        assertThat(unrouted.waiting(routeKey)).isZero();
        assertThat(unrouted.events(routeKey)).as("the operator's counter stays").isEqualTo(1);
    }

    @Test
    void many_waiting_leads_all_arrive_once_though_one_call_queues_only_a_bounded_batch() {
        Scenario s = Scenario.withMetaPage();
        s.addHttpCrm(CRM);
        String pageId = Scenario.newPageId();
        String token = Scenario.newPageToken(pageId);
        stubLeadsFor(token);
        List<String> ids = leadgenIds(130);
        String routeKey = Connection.routeKey(ProviderType.META_LEAD_ADS, pageId);
        Scenario.postWebhook(webhookFor(pageId, ids)).then().statusCode(200);
        assertThat(unrouted.waiting(routeKey)).isEqualTo(130);

        Scenario.connectPage(s.apiKey, pageId, token).then().statusCode(201);

        deliveredOnce(s, ids);
        assertThat(unrouted.waiting(routeKey)).isZero();
        assertThat(unrouted.events(routeKey)).isEqualTo(130);
    }

    @Test
    void a_crash_after_queueing_before_removing_loses_nothing_and_the_retried_connect_requeues() {
        Scenario s = Scenario.withMetaPage();
        s.addHttpCrm(CRM);
        String pageId = Scenario.newPageId();
        String token = Scenario.newPageToken(pageId);
        stubLeadsFor(token);
        List<String> ids = leadgenIds(2);
        String routeKey = Connection.routeKey(ProviderType.META_LEAD_ADS, pageId);
        Scenario.postWebhook(webhookFor(pageId, ids)).then().statusCode(200);
        CrashingProbe.arm("unrouted.queued", routeKey, 1);

        assertThat(Scenario.connectPage(s.apiKey, pageId, token).statusCode()).isEqualTo(500);
        assertThat(CrashingProbe.fired("unrouted.queued", routeKey)).isEqualTo(1);
        assertThat(unrouted.waiting(routeKey)).as("kept until queued and removed").isEqualTo(2);

        // The client retries: the page is its own (it proved access), so it hears 409 and the notices go again.
        assertThat(Scenario.connectPage(s.apiKey, pageId, token).statusCode()).isEqualTo(409);

        deliveredOnce(s, ids);
        assertThat(unrouted.waiting(routeKey)).isZero();
    }
}
