package com.leadsync.imports;

import static com.leadsync.imports.ImportTests.awaitDelivered;
import static com.leadsync.imports.ImportTests.awaitStatus;
import static com.leadsync.imports.ImportTests.email;
import static com.leadsync.imports.ImportTests.leadId;
import static com.leadsync.imports.ImportTests.leadgenIds;
import static com.leadsync.imports.ImportTests.listed;
import static com.leadsync.imports.ImportTests.startMeta;
import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.HUBSPOT_UPSERT;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.testing.CrashingProbe;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A crash right after each step of an import page (an Error: nothing cleans up, as when a Lambda instance dies).
 * SQS hands the page's message out again after the visibility timeout, the lease is over by then, and the job goes
 * on from its last recorded page: it completes with exact counts, and each lead is stored and sent to the CRM once.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class ImportCrashRecoveryTest {

    private static final String ANY_JOB = "imp_";

    @BeforeEach
    void fakes() {
        Scenario.stubHubSpotOk();
        Scenario.stubOk("/subscriber/import-crash");
    }

    /** {@code skip}: the occurrences of the step that pass first (pages 0, 1, 2; the last completes the job). */
    @ParameterizedTest(name = "crash after {0} #{1}")
    @CsvSource({"import.leased,1", "walk.fetched,0", "walk.fetched,2", "walk.published,1", "walk.recorded,0",
            "walk.recorded,2", "import.queued,0", "import.queued,1"})
    void a_crash_after_an_import_step_still_completes_it_with_exact_counts_and_each_lead_once(String step, int skip) {
        Scenario s = Scenario.withMetaPage();
        s.addHubSpot();
        s.subscribe("/subscriber/import-crash", "crash-secret");
        String form = s.pageId + "01";
        List<String> ids = leadgenIds(5);
        MetaListingFake.of(s).leads(form, 2, listed(ids, form));
        CrashingProbe.arm(step, ANY_JOB, 1, skip);

        String jobId = startMeta(s, form);

        JsonPath done = awaitStatus(s, jobId, "completed");
        assertThat(CrashingProbe.fired(step, ANY_JOB)).as("the crash was injected").isEqualTo(1);
        assertThat(done.getInt("pagesFetched")).isEqualTo(3);
        assertThat(done.getInt("leadsSeen")).isEqualTo(5);
        assertThat(done.getInt("leadsNew")).isEqualTo(5);
        assertThat(done.getInt("duplicates")).isZero();
        assertThat(done.getInt("errors")).isZero();
        ids.forEach(id -> awaitDelivered(s, leadId(s, id)));
        staysTrue(() -> {
            for (String id : ids) {
                assertThat(posts(HUBSPOT_UPSERT, email(id))).as("upserts of %s", id).hasSize(1);
                assertThat(posts("/subscriber/import-crash", email(id))).as("forwards of %s", id).hasSize(1);
            }
        });
        assertThat(s.listLeads().jsonPath().getList("items")).hasSize(5);
        // At most the page the crash interrupted was listed again.
        int listedPages = MetaListingFake.requests(form + "/leads").size();
        assertThat(listedPages).isBetween(3, 4);
    }

    @Test
    void a_start_that_crashes_after_queueing_the_first_page_leaves_no_job_and_the_form_free() {
        Scenario s = Scenario.withMetaPage();
        String form = s.pageId + "01";
        List<String> ids = leadgenIds(3);
        MetaListingFake.of(s).leads(form, 2, listed(ids, form));
        CrashingProbe.arm("import.first-queued", ANY_JOB, 1);

        ImportTests.start(s, "{\"providerType\":\"meta_lead_ads\",\"formId\":\"" + form + "\"}").then()
                .statusCode(500);

        assertThat(CrashingProbe.fired("import.first-queued", ANY_JOB)).isEqualTo(1);
        assertThat(Scenario.given().header("x-api-key", s.apiKey).get("/leads/import").then().statusCode(200)
                .extract().jsonPath().getList("items")).isEmpty();
        // Its first message finds no job and is dropped; nothing was listed for it.
        staysTrue(() ->
                assertThat(MetaListingFake.requests(form + "/leads")).isEmpty());
        String jobId = startMeta(s, form);
        JsonPath done = awaitStatus(s, jobId, "completed");
        assertThat(done.getInt("leadsNew")).isEqualTo(3);
    }
}
