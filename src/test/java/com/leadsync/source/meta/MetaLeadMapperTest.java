package com.leadsync.source.meta;

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
 * Each {@code meta/leads/X.json} is a Graph API lead; {@code X.expected.json} beside it holds every normalized field
 * plus the account's {@code defaultRegion}. Adding a case is adding two files.
 */
class MetaLeadMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MappingContext US = new MappingContext("US");

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(MetaLeadMapperTest.class.getResource("/meta/leads").toURI());
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
    void thereAreEnoughFixtures() throws Exception {
        assertThat(fixtures()).hasSizeGreaterThanOrEqualTo(7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void mapsFixture(String name) throws IOException {
        JsonNode lead = read(name + ".json");
        JsonNode expected = read(name + ".expected.json");

        NormalizedLead actual = MetaLeadMapper.map(lead, new MappingContext(expected.get("defaultRegion").asText()));

        assertThat(actual).usingRecursiveComparison().isEqualTo(LeadFixtures.expected(ProviderType.META_LEAD_ADS, expected));
    }

    @ParameterizedTest(name = "created_time {0}")
    @ValueSource(strings = {
        "\"2025-11-03T14:22:07+0000\"", "\"2025-11-03T16:22:07+0200\"", "\"2025-11-03T14:22:07+00:00\"",
        "\"2025-11-03T09:22:07-05:00\"", "\"2025-11-03T14:22:07Z\"", "1762179727"})
    void createdTimeFormats(String createdTime) throws IOException {
        JsonNode lead = JSON.readTree("{\"id\":\"1\",\"created_time\":" + createdTime + ",\"field_data\":[]}");
        assertThat(MetaLeadMapper.map(lead, US).lead().receivedAt()).isEqualTo(Instant.parse("2025-11-03T14:22:07Z"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"id\":\"1\",\"field_data\":[]}",
        "{\"id\":\"1\",\"created_time\":null}",
        "{\"id\":\"1\",\"created_time\":\"\"}",
        "{\"id\":\"1\",\"created_time\":\"yesterday\"}",
        "{\"id\":\"1\",\"created_time\":\"2025-11-03 14:22:07\"}",
        "{\"created_time\":\"2025-11-03T14:22:07+0000\"}",
        "{\"id\":\"1\",\"created_time\":\"2025-11-03T14:22:07+0000\",\"field_data\":{\"name\":\"email\"}}",
        "[]",
        "\"1234567890123456\""})
    void malformedLeads(String json) throws IOException {
        JsonNode lead = JSON.readTree(json);
        assertThatThrownBy(() -> MetaLeadMapper.map(lead, US)).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void numericIdsStayExact() throws IOException {
        JsonNode lead = JSON.readTree("""
                {"id":12345678901234567,"created_time":"2025-11-03T14:22:07+0000","ad_id":120210000000000002,
                 "form_id":987654321098765,"campaign_id":120210000000000000,"field_data":[]}""");
        NormalizedLead mapped = MetaLeadMapper.map(lead, US);
        assertThat(mapped.lead().providerLeadId()).isEqualTo("12345678901234567");
        assertThat(mapped.adId()).isEqualTo("120210000000000002");
        assertThat(mapped.formId()).isEqualTo("987654321098765");
        assertThat(mapped.campaignId()).isEqualTo("120210000000000000");
    }

    @Test
    void missingAdIdAloneIsNotATestLead() {
        NormalizedLead mapped = MetaLeadMapper.map(leadWith("""
                [{"name":"email","values":["someone@example.com"]}]"""), US);
        assertThat(mapped.adId()).isNull();
        assertThat(mapped.test()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "[{\"name\":\"email\",\"values\":[\"TEST@fb.com\"]}]",
        "[{\"name\":\"work_email\",\"values\":[\"test@meta.com\"]}]",
        "[{\"name\":\"city\",\"values\":[\"<Test Lead: dummy data for city>\"]}]",
        "[{\"name\":\"budget?\",\"values\":[\"real\",\" <test lead: dummy data for budget?>\"]}]"})
    void testLeadMarkers(String fieldData) {
        assertThat(MetaLeadMapper.map(leadWith(fieldData), US).test()).isTrue();
    }

    @Test
    void countryAnswerBeatsTheAccountRegion() {
        NormalizedLead gb = MetaLeadMapper.map(leadWith("""
                [{"name":"phone_number","values":["020 7946 0958"]},{"name":"country","values":["United Kingdom"]}]"""),
                US);
        NormalizedLead unknownCountry = MetaLeadMapper.map(leadWith("""
                [{"name":"phone_number","values":["(415) 555-0123"]},{"name":"country","values":["Atlantis"]}]"""),
                US);
        NormalizedLead noContext = MetaLeadMapper.map(leadWith("""
                [{"name":"phone_number","values":["020 7946 0958"]}]"""), null);
        assertThat(gb.lead().phoneNumber()).isEqualTo("+442079460958");
        assertThat(unknownCountry.lead().phoneNumber()).isEqualTo("+14155550123");
        assertThat(noContext.lead().phoneNumber()).isEqualTo("02079460958");
    }

    private static JsonNode leadWith(String fieldData) {
        try {
            return JSON.readTree("{\"id\":\"42\",\"created_time\":\"2025-11-03T14:22:07+0000\",\"field_data\":"
                    + fieldData + "}");
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode read(String resource) {
        return LeadFixtures.read("/meta/leads/" + resource);
    }
}
