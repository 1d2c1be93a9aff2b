package com.leadsync.source.tiktok;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.Lead;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.source.MappingContext;
import com.leadsync.testing.LeadFixtures;
import java.io.IOException;
import java.io.InputStream;
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
 * Each {@code tiktok/leads/X.json} is a webhook entry and each {@code X.csv} a lead download (header and one row, read
 * by the lister's file reader into the row payload); {@code X.expected.json} beside it holds every normalized field
 * plus the account's {@code defaultRegion}. Adding a case is adding two files.
 */
class TikTokLeadMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MappingContext US = new MappingContext("US");

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(TikTokLeadMapperTest.class.getResource("/tiktok/leads").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".csv") || n.endsWith(".json") && !n.endsWith(".expected.json"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @Test
    void there_are_fixtures_of_both_shapes() throws Exception {
        assertThat(fixtures()).hasSizeGreaterThanOrEqualTo(5)
                .anyMatch(n -> n.endsWith(".csv")).anyMatch(n -> n.endsWith(".json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void each_fixture_maps_to_its_expected_lead(String file) throws IOException {
        String name = file.substring(0, file.lastIndexOf('.'));
        JsonNode payload = file.endsWith(".csv") ? firstRow(file) : read(file);
        JsonNode expected = read(name + ".expected.json");

        NormalizedLead actual = TikTokLeadMapper.map(payload, new MappingContext(expected.get("defaultRegion").asText()));

        assertThat(actual).usingRecursiveComparison().isEqualTo(LeadFixtures.expected(ProviderType.TIKTOK_ADS, expected));
    }

    @Test
    void nineteen_digit_ids_sent_as_json_numbers_stay_exact() throws IOException {
        NormalizedLead mapped = TikTokLeadMapper.map(JSON.readTree("""
                {"id":7433000000000000999,"page_id":9223372036854775807,"ad_id":18446744073709551615,
                 "campaign_id":1780000000000001,"create_time":1762179727,"changes":[]}"""), US);
        assertThat(mapped.lead().providerLeadId()).isEqualTo("7433000000000000999");
        assertThat(mapped.formId()).isEqualTo("9223372036854775807");
        assertThat(mapped.adId()).isEqualTo("18446744073709551615");
        assertThat(mapped.campaignId()).isEqualTo("1780000000000001");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"create_time\":1762179727,\"changes\":[]}",
        "{\"id\":\"\",\"create_time\":1762179727}",
        "{\"id\":7.433E18,\"create_time\":1762179727}",
        "{\"id\":\"lead-1\",\"create_time\":1762179727}",
        "{\"id\":\"7433000000000000001\"}",
        "{\"id\":\"7433000000000000001\",\"create_time\":\"yesterday\"}",
        "{\"id\":\"7433000000000000001\",\"create_time\":-5}",
        "{\"id\":\"7433000000000000001\",\"create_time\":99999999999999}",
        "{\"id\":\"7433000000000000001\",\"create_time\":1762179727,\"changes\":{\"field\":\"email\"}}",
        "{\"source\":\"csv\",\"columns\":{\"created_time\":\"2026-03-07 14:30:00\"}}",
        "{\"source\":\"csv\",\"columns\":{\"lead id\":\"7433000000000000001\"}}",
        "{\"source\":\"csv\",\"columns\":{\"lead id\":\"7433000000000000001\",\"created_time\":\"07/03/2026\"}}",
        "{\"source\":\"csv\",\"columns\":[]}",
        "[]",
        "\"7433000000000000001\""})
    void a_lead_without_a_usable_id_or_time_is_malformed(String payload) throws IOException {
        JsonNode lead = JSON.readTree(payload);
        assertThatThrownBy(() -> TikTokLeadMapper.map(lead, US)).isInstanceOf(MalformedPayloadException.class);
    }

    @ParameterizedTest(name = "created_time {0}")
    @ValueSource(strings = {"2025-11-03 14:22:07", "2025-11-03T14:22:07Z", "2025-11-03 16:22:07+02:00",
        "2025-11-03T14:22:07", "1762179727"})
    void lead_file_times_are_read_as_utc(String time) throws IOException {
        JsonNode row = JSON.createObjectNode().put("source", "csv").set("columns", JSON.createObjectNode()
                .put("lead id", "7433000000000000001").put("created_time", time));
        assertThat(TikTokLeadMapper.map(row, US).lead().receivedAt()).isEqualTo(Instant.parse("2025-11-03T14:22:07Z"));
    }

    @Test
    void the_lead_file_metadata_columns_are_not_answers() throws IOException {
        JsonNode row = JSON.readTree("""
                {"source":"csv","region":"eu","columns":{"lead id":"7433000000000000001",
                 "created_time":"2025-11-03 14:22:07","ad_id":"1","ad_name":"Video","adgroup_id":"2",
                 "adgroup_name":"Group","campaign_id":"3","campaign_name":"Campaign","form_id":"4",
                 "form_name":"Form","Email":"a@example.com"}}""");
        Lead lead = TikTokLeadMapper.map(row, US).lead();
        assertThat(lead.rawFieldData()).isEmpty();
        assertThat(lead.customFields()).isEmpty();
        assertThat(lead.email()).isEqualTo("a@example.com");
    }

    /** The payload the lister puts in a notice for the file's first data row. */
    private static JsonNode firstRow(String file) throws IOException {
        try (InputStream in = TikTokLeadMapperTest.class.getResourceAsStream("/tiktok/leads/" + file);
                TikTokLeadFile csv = TikTokLeadFile.open(in, JSON, file, 1024 * 1024)) {
            String[] cells = csv.next();
            assertThat(cells).as("a data row in " + file).isNotNull();
            return csv.payload(JSON, cells, "row");
        }
    }

    private static JsonNode read(String resource) {
        return LeadFixtures.read("/tiktok/leads/" + resource);
    }
}
