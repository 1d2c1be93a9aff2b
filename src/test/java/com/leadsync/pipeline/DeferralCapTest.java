package com.leadsync.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.lead.LeadRecord;
import com.leadsync.local.LocalInfrastructure;
import com.leadsync.model.LeadStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A rate limit is waited out, but not forever: after {@code leadsync.ingest.max-deferrals} deferrals a fetch
 * still throttled fails its message into the DLQ with its error, and after {@code leadsync.poll.max-deferrals} a
 * poll still throttled ends {@code failed} with the rate limit as its error, the next poll walking the same window.
 */
@QuarkusTest
@TestProfile(DeferralCapTest.TwoDeferrals.class)
class DeferralCapTest {

    /** The pipeline profile with at most two rate-limit deferrals of a fetch and of a poll. */
    public static class TwoDeferrals implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new PipelineProfile().getConfigOverrides());
            config.put("leadsync.ingest.max-deferrals", "2");
            config.put("leadsync.poll.max-deferrals", "2");
            return config;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Graph's answer when the user's request budget is spent (providers.md §1.6: code 17). */
    private static final String USER_LIMIT = "{\"error\":{\"message\":\"(#17) User request limit reached\","
            + "\"type\":\"OAuthException\",\"is_transient\":true,\"code\":17,\"error_subcode\":2446079,"
            + "\"fbtrace_id\":\"AThrottled\"}}";
    /** ... and when the application's is (code 4). */
    private static final String APP_LIMIT = "{\"error\":{\"message\":\"(#4) Application request limit reached\","
            + "\"type\":\"OAuthException\",\"is_transient\":true,\"code\":4,\"fbtrace_id\":\"AthrottleX\"}}";

    @Inject
    SqsClient sqs;
    @Inject
    LocalInfrastructure infrastructure;
    @Inject
    LeadStore leads;

    @Test
    void a_fetch_still_rate_limited_after_the_most_deferrals_fails_its_message_into_the_dlq_with_its_error() {
        Scenario s = Scenario.withMetaPage();
        String leadgenId = Scenario.newLeadgenId();
        String leadPath = "/" + Scenario.GRAPH_VERSION + "/" + leadgenId;
        Fakes.server().stubFor(get(urlPathEqualTo(leadPath)).willReturn(aResponse().withStatus(400)
                .withHeader("content-type", "application/json").withBody(USER_LIMIT)));

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        String dlq = infrastructure.queueUrl("IngestDLQ");
        List<Message> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(60)).messages()
                    .stream().filter(m -> m.body().contains(leadgenId)).forEach(dead::add);
            return !dead.isEmpty();
        });
        assertThat(dead).hasSize(1);
        assertThat(field(dead.get(0), "deferrals").asInt()).as("the copy deferred twice").isEqualTo(2);
        // Two deferred fetches, then the copy's five receives (the ingest queue's maxReceiveCount).
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(leadPath)))).hasSize(2 + 5);
        LeadRecord record = leads.get(new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId())
                .orElseThrow();
        assertThat(record.status()).isEqualTo(LeadStatus.RECEIVED);
        assertThat(record.lastError()).contains("rate limited again after 2 deferrals").contains("code 17");
        assertThat(record.leaseOwner()).isNull();
    }

    @Test
    void a_poll_still_rate_limited_after_the_most_deferrals_fails_and_the_next_poll_walks_the_same_window() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = Scenario.given().header("x-api-key", s.apiKey).get("/connections").jsonPath()
                .getString("items[0].id");
        String formsPath = "/" + Scenario.GRAPH_VERSION + "/" + s.pageId + "/leadgen_forms";
        StubMapping throttled = Fakes.server().stubFor(get(urlPathEqualTo(formsPath)).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                        .withBody(APP_LIMIT)));

        sync(s, connectionId);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("failed"));
        JsonPath failed = view(s, connectionId);
        assertThat(failed.getString("lastPollError")).contains("rate limited again after 2 deferrals")
                .contains("code 4");
        assertThat(failed.getString("status")).as("a rate limit is no error of the connection").isEqualTo("active");
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(formsPath)))).hasSize(3);

        // The limit lifts: the next poll walks from the same watermark (none yet: the first 24 h look-back).
        Fakes.server().removeStub(throttled);
        String form = s.pageId + "01";
        String leadgenId = Scenario.newLeadgenId();
        MetaListingFake.of(s).forms(5, form).leads(form, 5, MetaListingFake.lead(leadgenId, form,
                "capped." + leadgenId + "@example.com"));
        sync(s, connectionId);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("ok"));
        JsonNode window = json(MetaListingFake.requests(form + "/leads").get(0).queryParameter("filtering")
                .firstValue());
        assertThat(window.get(1).path("value").asLong() - window.get(0).path("value").asLong())
                .isEqualTo(Duration.ofHours(24).toSeconds());
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        await().atMost(Duration.ofSeconds(20)).until(() -> s.getLead(leadId).statusCode() == 200);
    }

    private static void sync(Scenario s, String connectionId) {
        Scenario.given().header("x-api-key", s.apiKey).post("/connections/" + connectionId + "/sync")
                .then().statusCode(202);
    }

    private static JsonPath view(Scenario s, String connectionId) {
        return Scenario.given().header("x-api-key", s.apiKey).get("/connections/" + connectionId).then()
                .statusCode(200).extract().jsonPath();
    }

    private static JsonNode field(Message m, String name) {
        return json(m.body()).path(name);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
