package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped samples of {@code infra/events/} hang together: each sample webhook names a lead its platform's fake
 * serves (so webhook and sync in the demo are one lead), and every sample lead was submitted within the day before
 * {@code leadsync.local.samples-written-at}, so that the first poll (24 h back) finds them all.
 */
class LocalSamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EVENTS = Path.of("infra/events");
    private static final Instant WRITTEN_AT = Instant.parse("2026-03-07T15:00:00Z");

    @Test
    void the_meta_webhook_names_a_sample_lead_of_a_sample_form() throws IOException {
        JsonNode value = read("meta-leadgen-webhook.json").path("entry").get(0).path("changes").get(0).path("value");
        JsonNode lead = read("graph/" + value.path("leadgen_id").asText() + ".json");

        assertThat(lead.path("form_id").asText()).isEqualTo(value.path("form_id").asText());
        assertThat(EVENTS.resolve("graph/forms/" + value.path("form_id").asText() + ".json")).isRegularFile();
    }

    @Test
    void the_google_webhook_names_a_sample_row_and_carries_a_webhook_key_of_sixteen_characters_or_more()
            throws IOException {
        JsonNode webhook = read("google-ads-webhook.json");
        String leadId = webhook.path("lead_id").asText();

        assertThat(read("google-ads/" + leadId + ".json").path("leadFormSubmissionData").path("id").asText())
                .isEqualTo(leadId);
        assertThat(webhook.path("google_key").asText()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(webhook.path("lead_submit_time").asText()).endsWith("Z");
    }

    @Test
    void the_linkedin_notification_names_a_sample_response_of_the_sample_form() throws IOException {
        JsonNode notification = read("linkedin-lead-notification.json");
        String id = notification.path("leadGenFormResponse").asText().replace("urn:li:leadGenFormResponse:", "");
        JsonNode response = read("linkedin/responses/" + id + ".json");

        assertThat(response.path("versionedLeadGenFormUrn").asText()).isEqualTo(notification.path("leadGenForm").asText());
        assertThat(read("linkedin/forms/3162.json").path("id").asInt()).isEqualTo(3162);
        assertThat(notification.path("owner").path("sponsoredAccount").asText())
                .isEqualTo(response.path("owner").path("sponsoredAccount").asText());
    }

    @Test
    void the_tiktok_webhook_names_a_lead_of_the_sample_files_which_have_a_bom_a_quoted_comma_and_an_eu_lead()
            throws IOException {
        JsonNode entry = read("tiktok-lead-webhook.json").path("entry").get(0);
        byte[] file = Files.readAllBytes(EVENTS.resolve("tiktok/leads/" + entry.path("page_id").asText() + ".csv"));
        String text = new String(file, 3, file.length - 3, StandardCharsets.UTF_8);

        assertThat(new String(file, 0, 3, StandardCharsets.ISO_8859_1)).isEqualTo("\u00EF\u00BB\u00BF");
        assertThat(text).startsWith(String.join(",", LocalTikTokFake.METADATA_COLUMNS) + ",")
                .contains("\n" + entry.path("id").asText() + ",").contains(",\"Acme, Inc.\",");
        assertThat(EVENTS.resolve("tiktok/leads/" + entry.path("page_id").asText() + ".eu.csv")).isRegularFile();
        assertThat(EVENTS.resolve("tiktok/forms/" + entry.path("page_id").asText() + ".json")).isRegularFile();
    }

    @Test
    void every_sample_lead_was_submitted_in_the_day_before_the_samples_were_written() throws IOException {
        List<Instant> times = new ArrayList<>();
        for (ObjectNode lead : SampleFiles.all(JSON, EVENTS.resolve("graph"))) {
            times.add(LocalMetaGraphFake.GRAPH_TIME.parse(lead.path("created_time").asText(), Instant::from));
        }
        for (ObjectNode row : SampleFiles.all(JSON, EVENTS.resolve("google-ads"))) {
            times.add(OffsetDateTime.parse(row.path("leadFormSubmissionData").path("submissionDateTime").asText(),
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssXXX")).toInstant());
        }
        for (ObjectNode response : SampleFiles.all(JSON, EVENTS.resolve("linkedin/responses"))) {
            times.add(Instant.ofEpochMilli(response.path("submittedAt").asLong()));
        }
        CsvMapper csv = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();
        try (Stream<Path> files = Files.list(EVENTS.resolve("tiktok/leads"))) {
            for (Path file : files.toList()) {
                String text = Files.readString(file).replace("\uFEFF", "");
                List<String[]> rows = csv.readerFor(String[].class).<String[]>readValues(text).readAll();
                for (String[] row : rows.subList(1, rows.size())) {
                    times.add(LocalDateTime.parse(row[1], DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                            .toInstant(ZoneOffset.UTC));
                }
            }
        }
        assertThat(times).hasSizeGreaterThanOrEqualTo(13)
                .allMatch(t -> t.isBefore(WRITTEN_AT) && t.isAfter(WRITTEN_AT.minus(Duration.ofHours(24))));
    }

    @Test
    void the_bulk_import_demo_form_generates_leads_the_first_poll_does_not_reach_and_meta_still_keeps()
            throws IOException {
        GeneratedLeadForm demo = GeneratedLeadForm.of((ObjectNode) read("graph/forms/987654321099001.json"))
                .orElseThrow();

        assertThat(demo.count()).isEqualTo(10_000);
        // Shown moved to less than an hour later than written relative to start (SampleClock): the newest lead is
        // then over a day older than the first poll's 24 h (+ 15 min overlap) reach, so only an import finds them.
        assertThat(demo.createdTime(0)).isBefore(WRITTEN_AT.minus(Duration.ofHours(26)));
        assertThat(demo.createdTime(demo.count() - 1)).as("Meta keeps leads about 90 days")
                .isAfter(WRITTEN_AT.minus(Duration.ofDays(85)));
    }

    private static JsonNode read(String name) throws IOException {
        return JSON.readTree(EVENTS.resolve(name).toFile());
    }
}
