package com.leadsync.poll;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import com.leadsync.testing.TikTokFake;
import com.leadsync.testing.TikTokFake.Advertiser;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A TikTok poll through the local-mode wiring, whose download tasks take a while: the poll comes back to a running
 * task after the delay the lister asks for, instead of asking TikTok again and again.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class TikTokPollTest {

    private static final String HEADER = "lead id,created_time,ad_id,ad_name,adgroup_id,adgroup_name,campaign_id,"
            + "campaign_name,form_id,form_name,Name,Email\r\n";

    @Inject
    @ConfigProperty(name = "leadsync.tiktok.task-poll-delay")
    Duration taskPollDelay;

    @Test
    void a_running_download_task_is_polled_again_after_the_delay_and_the_poll_then_completes() {
        Advertiser a = TikTokFake.connected();
        String connectionId = Scenario.given().header("x-api-key", a.apiKey()).get("/connections").then()
                .statusCode(200).extract().jsonPath()
                .getString("items.find { it.externalId == '" + a.advertiserId() + "' }.id");
        String form = TikTokFake.newId();
        String[] tasks = {TikTokFake.newId(), TikTokFake.newId(), TikTokFake.newId()};
        String leadId = TikTokFake.newId();
        String submitted = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC)
                .format(Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
        TikTokFake.stubForms(a.advertiserId(), a.token(), 1, 1, List.of(form));
        // Rest of world: created, then running twice, then done; the other regions are done when first polled.
        TikTokFake.stubTask(a.advertiserId(), a.token(), form, null, tasks[0], 2, "SUCCEED");
        TikTokFake.stubTask(a.advertiserId(), a.token(), form, "eu", tasks[1], 0, "SUCCEED");
        TikTokFake.stubTask(a.advertiserId(), a.token(), form, "us", tasks[2], 0, "SUCCEED");
        TikTokFake.stubDownload(a.advertiserId(), a.token(), tasks[0], null, TikTokFake.csv(HEADER + leadId + ","
                + submitted + ",1780000000000003,Video A,1780000000000002,US 25-44,1780000000000001,Q4 Leads," + form
                + ",Demo form,Jane Doe,polled.tiktok." + leadId + "@example.com\r\n"), "text/csv");
        TikTokFake.stubDownload(a.advertiserId(), a.token(), tasks[1], "eu", TikTokFake.csv(HEADER), "text/csv");
        TikTokFake.stubDownload(a.advertiserId(), a.token(), tasks[2], "us", TikTokFake.csv(HEADER), "text/csv");

        Scenario.given().header("x-api-key", a.apiKey()).post("/connections/" + connectionId + "/sync").then()
                .statusCode(202);

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(Scenario.given()
                .header("x-api-key", a.apiKey()).get("/connections/" + connectionId).jsonPath()
                .getString("lastPollStatus")).isEqualTo("ok"));
        JsonPath polled = Scenario.given().header("x-api-key", a.apiKey()).get("/connections/" + connectionId)
                .jsonPath();
        assertThat(polled.getInt("lastPollLeads")).isEqualTo(1);
        String stored = new LeadIdentity(a.accountId(), ProviderType.TIKTOK_ADS, leadId).leadId();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Scenario.given()
                .header("x-api-key", a.apiKey()).get("/leads/" + stored).then().statusCode(200).extract().jsonPath()
                .getString("status")).isIn("stored", "dispatched"));

        // The rest-of-world task: created, then polled three times (running, running, done), each after the delay.
        List<LoggedRequest> calls = Fakes.server().findAll(postRequestedFor(urlPathEqualTo(TikTokFake.LEAD_TASK))
                .withRequestBody(matchingJsonPath("$.page_id", equalTo(form))).withHeader("x-lead-region", absent()))
                .stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
        assertThat(calls).hasSize(4);
        for (int i = 1; i < calls.size(); i++) {
            assertThat(Duration.between(calls.get(i - 1).getLoggedDate().toInstant(),
                    calls.get(i).getLoggedDate().toInstant())).as("wait before task call %d", i)
                    .isGreaterThanOrEqualTo(taskPollDelay.minusMillis(100));
        }
    }
}
