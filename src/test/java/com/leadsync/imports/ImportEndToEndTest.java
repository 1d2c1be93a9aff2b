package com.leadsync.imports;

import static com.leadsync.imports.ImportTests.awaitDelivered;
import static com.leadsync.imports.ImportTests.awaitStatus;
import static com.leadsync.imports.ImportTests.connectionId;
import static com.leadsync.imports.ImportTests.email;
import static com.leadsync.imports.ImportTests.job;
import static com.leadsync.imports.ImportTests.leadId;
import static com.leadsync.imports.ImportTests.leadgenIds;
import static com.leadsync.imports.ImportTests.listed;
import static com.leadsync.imports.ImportTests.start;
import static com.leadsync.imports.ImportTests.startMeta;
import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.HUBSPOT_UPSERT;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.leadsync.lead.LeadIdentity;
import com.leadsync.lead.LeadRepository;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bulk import through the local-mode wiring: API → import queue → import worker → Graph fake → the pipeline. */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class ImportEndToEndTest {

    @Inject
    LeadRepository leads;
    @Inject
    com.leadsync.testing.CapturedMetrics metrics;

    @BeforeEach
    void fakes() {
        Scenario.stubHubSpotOk();
        Scenario.stubOk("/subscriber/import");
    }

    @Test
    void a_multi_page_meta_import_counts_exactly_and_creates_each_lead_once_even_those_already_there() {
        Scenario s = Scenario.withMetaPage();
        s.addHubSpot();
        s.subscribe("/subscriber/import", "import-secret");
        String form = s.pageId + "01";
        List<String> ids = leadgenIds(7);
        // Two of them arrived by webhook before the import.
        for (String known : ids.subList(0, 2)) {
            s.stubGraphLead(known, email(known));
            Scenario.postWebhook(s.webhookBody(known)).then().statusCode(200);
            awaitDelivered(s, leadId(s, known));
        }
        List<String> page = new ArrayList<>(ids);
        page.add(3, ids.get(4)); // listed twice: one lead
        MetaListingFake.of(s).leads(form, 3, listed(page, form));
        Instant before = Instant.now();

        String jobId = startMeta(s, form);

        JsonPath done = awaitStatus(s, jobId, "completed");
        assertThat(done.getInt("pagesFetched")).isEqualTo(3);
        assertThat(done.getInt("leadsSeen")).isEqualTo(8);
        assertThat(done.getInt("leadsNew")).isEqualTo(5);
        assertThat(done.getInt("duplicates")).isEqualTo(3);
        assertThat(done.getInt("errors")).isZero();
        assertThat(done.getString("lastError")).isNull();
        // One EMF point per recorded page, under the job's id, adding up to the job's counts.
        List<com.fasterxml.jackson.databind.JsonNode> points = metrics.points(jobId).stream()
                .filter(p -> p.has("ImportPages")).toList();
        assertThat(points).hasSize(3);
        assertThat(points.stream().mapToLong(p -> p.path("ImportLeadsNew").asLong()).sum()).isEqualTo(5);
        assertThat(points.stream().mapToLong(p -> p.path("ImportDuplicates").asLong()).sum()).isEqualTo(3);
        assertThat(done.getString("formId")).isEqualTo(form);
        assertThat(done.getString("connectionId")).isEqualTo(connectionId(s));
        assertThat(Instant.parse(done.getString("startedAt"))).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(Instant.parse(done.getString("completedAt")))
                .isAfterOrEqualTo(Instant.parse(done.getString("startedAt")));
        for (String id : ids) {
            awaitDelivered(s, leadId(s, id));
        }
        staysTrue(() -> {
            for (String id : ids) {
                assertThat(posts(HUBSPOT_UPSERT, email(id))).hasSize(1);
                assertThat(posts("/subscriber/import", email(id))).hasSize(1);
            }
        });
        assertThat(s.listLeads().jsonPath().getList("items")).hasSize(7);
        // The listing asked for that form only, within the default window.
        assertThat(MetaListingFake.requests(form + "/leads")).hasSize(3);
        assertThat(MetaListingFake.requests(s.pageId + "/leadgen_forms")).isEmpty();
    }

    @Test
    void an_entry_that_is_no_lead_counts_as_an_error_and_the_import_goes_on() {
        Scenario s = Scenario.withMetaPage();
        String form = s.pageId + "01";
        List<String> ids = leadgenIds(2);
        String noId = "{\"created_time\":\"2026-03-07T14:30:00+0000\",\"field_data\":[]}";
        MetaListingFake.of(s).leads(form, 2, listed(ids, form)[0], noId, listed(ids, form)[1]);

        String jobId = startMeta(s, form);

        JsonPath done = awaitStatus(s, jobId, "completed");
        assertThat(done.getInt("errors")).isEqualTo(1);
        assertThat(done.getInt("leadsSeen")).isEqualTo(2);
        assertThat(done.getInt("leadsNew")).isEqualTo(2);
        assertThat(done.getInt("pagesFetched")).isEqualTo(2);
    }

    @Test
    void leads_claimed_but_never_queued_by_an_earlier_walk_are_duplicates_and_still_arrive() {
        Scenario s = Scenario.withMetaPage();
        s.addHubSpot();
        s.subscribe("/subscriber/import", "import-secret");
        String form = s.pageId + "01";
        List<String> ids = leadgenIds(4);
        // As a page of an earlier step leaves them when it dies between claiming and queueing, and its retry lists
        // other leads (a LinkedIn list that moved, a Google query started again): claimed, no lease, not stored.
        Instant now = Instant.now();
        for (String stranded : ids.subList(0, 2)) {
            assertThat(leads.claim(new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, stranded), now,
                    "import:imp_earlier:0", 0, now)).isTrue();
        }
        MetaListingFake.of(s).leads(form, 2, listed(ids, form));

        JsonPath done = awaitStatus(s, startMeta(s, form), "completed");

        assertThat(done.getInt("leadsNew")).isEqualTo(2);
        assertThat(done.getInt("duplicates")).isEqualTo(2);
        for (String id : ids) {
            awaitDelivered(s, leadId(s, id));
        }
    }

    @Test
    void a_rate_limit_mid_import_pauses_it_and_it_completes_by_itself() {
        Scenario s = Scenario.withMetaPage();
        String form = s.pageId + "01";
        List<String> ids = leadgenIds(4);
        MetaListingFake.of(s).leads(form, 2, listed(ids, form)).throttle(form, 1, 1);

        String jobId = startMeta(s, form);

        JsonPath done = awaitStatus(s, jobId, "completed");
        assertThat(done.getInt("leadsNew")).isEqualTo(4);
        assertThat(done.getInt("pagesFetched")).isEqualTo(2);
        assertThat(MetaListingFake.requestsOfPage(form + "/leads", 1)).hasSize(2);
    }

    @Test
    void a_permanent_error_ends_the_import_failed_with_the_platform_message() {
        Scenario s = Scenario.withMetaPage();
        String form = s.pageId + "09";
        ImportTests.stubFormGone(form);

        String jobId = startMeta(s, form);

        JsonPath failed = awaitStatus(s, jobId, "failed");
        assertThat(failed.getString("lastError")).contains("does not exist");
        assertThat(failed.getString("completedAt")).isNotNull();
        // The form is free again.
        start(s, "{\"providerType\":\"meta_lead_ads\",\"formId\":\"" + form + "\"}").then().statusCode(202);
    }

    @Test
    void a_second_import_of_the_same_form_while_one_runs_is_409_naming_it_and_cancel_stops_it() {
        Scenario s = Scenario.withMetaPage();
        String form = s.pageId + "01";
        List<String> ids = leadgenIds(6);
        MetaListingFake.of(s).delayed(1500).leads(form, 1, listed(ids, form));
        String jobId = startMeta(s, form);

        start(s, "{\"providerType\":\"meta_lead_ads\",\"formId\":\"" + form + "\"}").then().statusCode(409)
                .body("error", equalTo("conflict")).body("message", containsString(jobId));
        // Another form of the same connection is not held.
        start(s, "{\"providerType\":\"meta_lead_ads\",\"formId\":\"" + s.pageId + "02\"}").then().statusCode(202);

        await().atMost(Duration.ofSeconds(30)).until(() -> job(s, jobId).getInt("pagesFetched") >= 1);
        Scenario.given().header("x-api-key", s.apiKey).post("/leads/import/" + jobId + "/cancel").then()
                .statusCode(202).body("jobId", equalTo(jobId));
        JsonPath cancelled = awaitStatus(s, jobId, "cancelled");
        int pages = cancelled.getInt("pagesFetched");
        assertThat(pages).isLessThan(6);
        assertThat(cancelled.getInt("leadsNew")).isEqualTo(pages);
        staysTrue(() ->
                assertThat(MetaListingFake.requests(form + "/leads")).hasSize(pages));
        Scenario.given().header("x-api-key", s.apiKey).post("/leads/import/" + jobId + "/cancel").then()
                .statusCode(409).body("message", containsString("cancelled"));
        // Cancelled, the form can be imported again.
        start(s, "{\"providerType\":\"meta_lead_ads\",\"formId\":\"" + form + "\"}").then().statusCode(202);
    }

    @Test
    void jobs_are_listed_newest_first_with_a_cursor_and_another_account_sees_none_of_them() {
        Scenario s = Scenario.withMetaPage();
        List<String> jobs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String form = s.pageId + "0" + i;
            MetaListingFake.of(s).leads(form, 5);
            jobs.add(startMeta(s, form));
        }
        JsonPath first = Scenario.given().header("x-api-key", s.apiKey).queryParam("limit", 2).get("/leads/import")
                .then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items.jobId")).containsExactly(jobs.get(2), jobs.get(1));
        JsonPath second = Scenario.given().header("x-api-key", s.apiKey).queryParam("limit", 2)
                .queryParam("cursor", first.getString("nextCursor")).get("/leads/import").then().statusCode(200)
                .extract().jsonPath();
        assertThat(second.getList("items.jobId")).containsExactly(jobs.get(0));
        assertThat(second.getString("nextCursor")).isNull();

        Scenario other = Scenario.withMetaPage();
        Scenario.given().header("x-api-key", other.apiKey).get("/leads/import/" + jobs.get(0)).then().statusCode(404)
                .body("error", equalTo("not_found"));
        Scenario.given().header("x-api-key", other.apiKey).post("/leads/import/" + jobs.get(0) + "/cancel").then()
                .statusCode(404);
        assertThat(Scenario.given().header("x-api-key", other.apiKey).get("/leads/import").then().statusCode(200)
                .extract().jsonPath().getList("items")).isEmpty();
        Scenario.given().header("x-api-key", s.apiKey).queryParam("cursor", "forged.cursor").get("/leads/import")
                .then().statusCode(400);
    }
}
