package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.lead.LeadIdentity;
import com.leadsync.lead.LeadRecord;
import com.leadsync.model.ProviderType;
import com.leadsync.local.LocalInfrastructure;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.CrashingProbe;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A lead whose fetch the platform throttles (Meta codes 4/17/32/613, LinkedIn 429 until its daily limits reset) is
 * put back on the ingest queue with a delay each time, rather than failing its message: the message's five receives
 * would otherwise be spent within minutes and the lead dead-lettered while the quota was simply exhausted.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class ThrottledFetchTest {

    private static final String CRM = "/throttled/crm";
    /** More throttled answers than the ingest queue's maxReceiveCount (5): failing the message would dead-letter it. */
    private static final int THROTTLED_TRIES = 7;

    @Inject
    SqsClient sqs;
    @Inject
    LocalInfrastructure infrastructure;
    @Inject
    LeadStore leads;

    /** Graph's answer when the page's (or the user's) request budget is spent (providers.md §1.6: code 17). */
    private static void throttleThenAnswer(String leadgenId, int times) {
        String path = "/" + Scenario.GRAPH_VERSION + "/" + leadgenId;
        String scenario = "throttled " + leadgenId;
        for (int i = 0; i < times; i++) {
            Fakes.server().stubFor(get(urlPathEqualTo(path)).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? STARTED : "throttled " + i)
                    .willSetStateTo("throttled " + (i + 1))
                    .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                            .withBody("{\"error\":{\"message\":\"(#17) User request limit reached\","
                                    + "\"type\":\"OAuthException\",\"is_transient\":true,\"code\":17,"
                                    + "\"error_subcode\":2446079,\"fbtrace_id\":\"AThrottled\"}}")));
        }
        Fakes.server().stubFor(get(urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs("throttled " + times)
                .willReturn(aResponse().withHeader("content-type", "application/json")
                        .withTransformers(Fakes.GRAPH_LEAD_ECHO)));
    }

    @Test
    void a_throttled_fetch_waits_on_the_queue_and_the_lead_arrives_instead_of_being_dead_lettered() {
        Scenario s = Scenario.withMetaPage();
        Scenario.stubOk(CRM);
        s.addHttpCrm(CRM);
        String leadgenId = Scenario.newLeadgenId();
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        throttleThenAnswer(leadgenId, THROTTLED_TRIES);

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                s.getLead(leadId).then().statusCode(200).extract().jsonPath().getList("deliveries.status"))
                .containsExactly("delivered"));
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(
                "/" + Scenario.GRAPH_VERSION + "/" + leadgenId)))).hasSize(THROTTLED_TRIES + 1);
        staysTrue(() -> assertThat(posts(CRM, "bench." + leadgenId + "@example.com")).hasSize(1));
        String dlq = infrastructure.queueUrl("IngestDLQ");
        assertThat(sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(0)).messages())
                .noneMatch(m -> m.body().contains(leadgenId));
    }

    /**
     * Graph's answer when a business use case's budget is spent (providers.md §1.6: code 80000–80014, no
     * Retry-After), with the {@code X-Business-Use-Case-Usage} header saying when access returns.
     */
    private static void throttleWithUsage(String pageId, String leadgenId, int minutes) {
        Fakes.server().stubFor(get(urlPathEqualTo("/" + Scenario.GRAPH_VERSION + "/" + leadgenId))
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                        .withHeader("X-Business-Use-Case-Usage", "{\"" + pageId + "\":[{\"type\":\"ads_management\","
                                + "\"call_count\":100,\"total_cputime\":12,\"total_time\":14,"
                                + "\"estimated_time_to_regain_access\":" + minutes + "}]}")
                        .withBody("{\"error\":{\"message\":\"(#80005) There have been too many calls from this"
                                + " Page. Wait a bit and try again.\",\"type\":\"OAuthException\",\"code\":80005,"
                                + "\"fbtrace_id\":\"ABuc80005\"}}")));
    }

    @Test
    void a_meta_rate_limit_waits_as_long_as_its_usage_header_says_at_most_sqs_s_15_minutes() {
        Scenario s = Scenario.withMetaPage();
        String soon = Scenario.newLeadgenId();
        String late = Scenario.newLeadgenId();
        throttleWithUsage(s.pageId, soon, 7);
        throttleWithUsage(s.pageId, late, 40);

        Scenario.postWebhook(s.webhookBody(soon, late)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(lastError(s, soon)).startsWith("rate limited, fetched again in 420 s").contains("code 80005");
            assertThat(lastError(s, late)).startsWith("rate limited, fetched again in 900 s");
        });
        // Not fetched again meanwhile (the profile's own throttle-delay is 1 s).
        staysTrue(() -> assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(
                "/" + Scenario.GRAPH_VERSION + "/" + soon)))).hasSize(1));
    }

    private String lastError(Scenario s, String leadgenId) {
        return leads.get(new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId())
                .map(LeadRecord::lastError).orElse("");
    }

    @Test
    void a_crash_after_the_delayed_copy_is_queued_loses_nothing_and_sends_once() {
        Scenario s = Scenario.withMetaPage();
        Scenario.stubOk(CRM);
        s.addHttpCrm(CRM);
        String leadgenId = Scenario.newLeadgenId();
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        throttleThenAnswer(leadgenId, 1);
        // Dies once the copy is on the queue, before the message is acknowledged: both come back.
        CrashingProbe.arm("normalize.deferred", leadId, 1);

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                s.getLead(leadId).then().statusCode(200).extract().jsonPath().getList("deliveries.status"))
                .containsExactly("delivered"));
        assertThat(CrashingProbe.fired("normalize.deferred", leadId)).isEqualTo(1);
        staysTrue(() -> assertThat(posts(CRM, "bench." + leadgenId + "@example.com")).hasSize(1));
    }
}
