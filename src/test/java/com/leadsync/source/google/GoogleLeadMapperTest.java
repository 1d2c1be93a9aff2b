package com.leadsync.source.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.source.MappingContext;
import com.leadsync.source.ProviderLead;
import com.leadsync.testing.LeadFixtures;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each {@code google/leads/X.json} is a Google lead in one of its two real shapes: a webhook {@code WebhookLead}
 * ({@code webhook-*}) or a {@code googleAds:search} row ({@code api-*}); {@code X.expected.json} beside it holds
 * every normalized field plus the account's {@code defaultRegion}. Adding a case is adding two files.
 */
class GoogleLeadMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MappingContext US = new MappingContext("US");

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(GoogleLeadMapperTest.class.getResource("/google/leads").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.endsWith(".expected.json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @Test
    void there_are_fixtures_of_both_shapes() throws Exception {
        assertThat(fixtures().filter(n -> n.startsWith("webhook-"))).hasSizeGreaterThanOrEqualTo(5);
        assertThat(fixtures().filter(n -> n.startsWith("api-"))).hasSizeGreaterThanOrEqualTo(5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void each_fixture_maps_to_its_expected_lead(String name) throws IOException {
        JsonNode lead = read(name + ".json");
        JsonNode expected = read(name + ".expected.json");

        NormalizedLead actual = new GoogleLeadMapper().map(new ProviderLead("ignored", lead),
                new MappingContext(expected.get("defaultRegion").asText()));

        assertThat(actual).usingRecursiveComparison().isEqualTo(LeadFixtures.expected(ProviderType.GOOGLE_ADS, expected));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "2025-11-03 09:22:07-05:00", "2025-11-03 14:22:07+00:00", "2025-11-03 19:52:07+05:30",
        "2025-11-03T14:22:07Z", "2025-11-03T15:22:07+01:00", "2025-11-03 14:22:07Z"})
    void submission_times_of_both_shapes_are_read_as_utc(String time) throws IOException {
        JsonNode webhook = JSON.readTree("{\"lead_id\":\"L1\",\"lead_submit_time\":\"" + time + "\"}");
        JsonNode row = JSON.readTree("{\"leadFormSubmissionData\":{\"id\":\"L1\",\"submissionDateTime\":\"" + time + "\"}}");
        Instant expected = Instant.parse("2025-11-03T14:22:07Z");
        assertThat(GoogleLeadMapper.normalize(webhook, US).lead().receivedAt()).isEqualTo(expected);
        assertThat(GoogleLeadMapper.normalize(row, US).lead().receivedAt()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"user_column_data\":[],\"lead_submit_time\":\"2025-11-03T14:22:07Z\"}",
        "{\"lead_id\":\"\",\"lead_submit_time\":\"2025-11-03T14:22:07Z\"}",
        "{\"lead_id\":1.5,\"lead_submit_time\":\"2025-11-03T14:22:07Z\"}",
        "{\"lead_id\":\"L1\"}",
        "{\"lead_id\":\"L1\",\"lead_submit_time\":\"2025-11-03 14:22:07\"}",
        "{\"lead_id\":\"L1\",\"lead_submit_time\":\"yesterday\"}",
        "{\"lead_id\":\"L1\",\"lead_submit_time\":1762179727}",
        "{\"lead_id\":\"L1\",\"lead_submit_time\":\"1969-12-31T23:59:59Z\"}",
        "{\"lead_id\":\"L1\",\"lead_submit_time\":\"2025-11-03T14:22:07Z\",\"user_column_data\":{\"column_id\":\"EMAIL\"}}",
        "{\"lead_id\":\"L1\",\"lead_submit_time\":\"2025-11-03T14:22:07Z\",\"user_column_data\":[\"EMAIL\"]}",
        "{\"leadFormSubmissionData\":[]}",
        "{\"leadFormSubmissionData\":{\"submissionDateTime\":\"2025-11-03 09:22:07-05:00\"}}",
        "{\"leadFormSubmissionData\":{\"id\":\"L1\"}}",
        "{\"leadFormSubmissionData\":{\"id\":\"L1\",\"submissionDateTime\":\"2025-11-03 09:22:07-05:00\","
                + "\"leadFormSubmissionFields\":{}}}",
        "{\"results\":[]}",
        "[]",
        "\"TeSter-123\""})
    void leads_without_an_id_or_a_submission_time_with_an_offset_are_malformed(String json) throws IOException {
        JsonNode lead = JSON.readTree(json);
        assertThatThrownBy(() -> GoogleLeadMapper.normalize(lead, US)).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void an_overlong_lead_id_is_malformed_rather_than_a_table_key() throws IOException {
        JsonNode lead = JSON.readTree("{\"lead_id\":\"" + "x".repeat(201) + "\",\"lead_submit_time\":\"2025-11-03T14:22:07Z\"}");
        assertThatThrownBy(() -> GoogleLeadMapper.normalize(lead, US)).isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining("201 characters");
    }

    @Test
    void implausible_attribution_ids_are_dropped_not_refused() throws IOException {
        JsonNode lead = JSON.readTree("""
                {"lead_id":"L1","lead_submit_time":"2025-11-03T14:22:07Z","form_id":"not-a-number",
                 "creative_id":1.25,"campaign_id":"000"}""");
        NormalizedLead mapped = GoogleLeadMapper.normalize(lead, US);
        assertThat(mapped.formId()).isNull();
        assertThat(mapped.adId()).isNull();
        assertThat(mapped.campaignId()).isNull();
    }

    @Test
    void a_search_row_without_an_id_takes_it_from_its_resource_name() throws IOException {
        JsonNode row = JSON.readTree("""
                {"leadFormSubmissionData":{"resourceName":"customers/1234567890/leadFormSubmissionData/Cj0-from-name",
                 "submissionDateTime":"2025-11-03 09:22:07-05:00"}}""");
        assertThat(GoogleLeadMapper.normalize(row, US).lead().providerLeadId()).isEqualTo("Cj0-from-name");
    }

    @Test
    void without_a_country_the_accounts_region_reads_the_phone() throws IOException {
        JsonNode lead = JSON.readTree("""
                {"lead_id":"L1","lead_submit_time":"2025-11-03T14:22:07Z",
                 "user_column_data":[{"column_id":"PHONE_NUMBER","string_value":"020 7946 0958"}]}""");
        assertThat(GoogleLeadMapper.normalize(lead, new MappingContext("GB")).lead().phoneNumber())
                .isEqualTo("+442079460958");
        assertThat(GoogleLeadMapper.normalize(lead, null).lead().phoneNumber()).isEqualTo("02079460958");
    }

    private static JsonNode read(String resource) {
        return LeadFixtures.read("/google/leads/" + resource);
    }
}
