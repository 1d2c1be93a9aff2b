package com.leadsync.imports;

import static com.leadsync.imports.ImportTests.awaitStatus;
import static com.leadsync.imports.ImportTests.leadgenIds;
import static com.leadsync.imports.ImportTests.listed;
import static com.leadsync.imports.ImportTests.startMeta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.event.EventTypes;
import com.leadsync.testing.EventSubscriber;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Redelivery;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code import.completed} and {@code import.failed} (contract §9): the ended job, once, to those who asked. */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class ImportEventsTest {

    @Test
    void a_completed_import_is_told_once_with_the_job_as_the_api_shows_it() {
        Scenario s = Scenario.withMetaPage();
        EventSubscriber ended = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads", EventTypes.IMPORT_COMPLETED,
                EventTypes.IMPORT_FAILED);
        EventSubscriber failuresOnly = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads", EventTypes.IMPORT_FAILED);
        EventSubscriber otherProvider = EventSubscriber.subscribe(s.apiKey, "linkedin_ads",
                EventTypes.IMPORT_COMPLETED);
        String form = s.pageId + "21";
        List<String> ids = leadgenIds(3);
        MetaListingFake.of(s).leads(form, 2, listed(ids, form));

        String jobId = startMeta(s, form);
        JsonPath done = awaitStatus(s, jobId, "completed");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ended.received()).hasSize(1));
        JsonNode told = ended.received().get(0);
        assertThat(told.path("type").asText()).isEqualTo("import.completed");
        JsonNode job = told.path("data");
        assertThat(job.path("jobId").asText()).isEqualTo(jobId);
        assertThat(job.path("status").asText()).isEqualTo("completed");
        assertThat(job.path("providerType").asText()).isEqualTo("meta_lead_ads");
        assertThat(job.path("formId").asText()).isEqualTo(form);
        assertThat(job.path("leadsSeen").asInt()).isEqualTo(3).isEqualTo(done.getInt("leadsSeen"));
        assertThat(job.path("leadsNew").asInt()).isEqualTo(done.getInt("leadsNew"));
        assertThat(job.path("pagesFetched").asInt()).isEqualTo(done.getInt("pagesFetched"));
        assertThat(job.path("completedAt").asText()).isEqualTo(done.getString("completedAt"));
        Redelivery.staysTrue(() -> {
            assertThat(ended.received()).hasSize(1);
            assertThat(failuresOnly.received()).isEmpty();
            assertThat(otherProvider.received()).isEmpty();
        });
    }

    @Test
    void a_failed_import_is_told_once_with_the_platform_message() {
        Scenario s = Scenario.withMetaPage();
        EventSubscriber failures = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads", EventTypes.IMPORT_FAILED);
        EventSubscriber completions = EventSubscriber.subscribe(s.apiKey, "meta_lead_ads",
                EventTypes.IMPORT_COMPLETED);
        String form = s.pageId + "29";
        ImportTests.stubFormGone(form);

        String jobId = startMeta(s, form);
        awaitStatus(s, jobId, "failed");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(failures.received()).hasSize(1));
        JsonNode job = failures.received().get(0).path("data");
        assertThat(failures.received().get(0).path("type").asText()).isEqualTo("import.failed");
        assertThat(job.path("jobId").asText()).isEqualTo(jobId);
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(job.path("lastError").asText()).contains("does not exist");
        Redelivery.staysTrue(() -> {
            assertThat(failures.received()).hasSize(1);
            assertThat(completions.received()).isEmpty();
        });
    }
}
