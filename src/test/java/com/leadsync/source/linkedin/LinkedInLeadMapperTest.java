package com.leadsync.source.linkedin;

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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each {@code linkedin/leads/X.json} is a {@code leadFormResponses} element with its {@code form} (as the
 * fetcher and lister hand it over); {@code X.expected.json} beside it holds every normalized field plus the
 * account's {@code defaultRegion}. Adding a case is adding two files.
 */
class LinkedInLeadMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MappingContext US = new MappingContext("US");
    private static final LinkedInLeadMapper MAPPER = new LinkedInLeadMapper();

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(LinkedInLeadMapperTest.class.getResource("/linkedin/leads").toURI());
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
    void there_is_a_fixture_for_each_documented_case() throws Exception {
        assertThat(fixtures()).contains("docs-example", "multiple-choice", "hidden-fields-and-consents", "test-lead",
                "unknown-predefined-field", "missing-form-content");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void each_fixture_maps_to_its_expected_lead(String name) throws IOException {
        JsonNode lead = read(name + ".json");
        JsonNode expected = read(name + ".expected.json");

        NormalizedLead actual = MAPPER.map(new ProviderLead(lead.path("id").asText(), lead),
                new MappingContext(expected.get("defaultRegion").asText()));

        assertThat(actual).usingRecursiveComparison().isEqualTo(LeadFixtures.expected(ProviderType.LINKEDIN_ADS, expected));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"submittedAt\":1762179727123}",
        "{\"id\":\"  \",\"submittedAt\":1762179727123}",
        "{\"id\":1.5,\"submittedAt\":1762179727123}",
        "{\"id\":\"abc-1\"}",
        "{\"id\":\"abc-1\",\"submittedAt\":null}",
        "{\"id\":\"abc-1\",\"submittedAt\":\"yesterday\"}",
        "{\"id\":\"abc-1\",\"submittedAt\":1.7621797E12}",
        "{\"id\":\"abc-1\",\"submittedAt\":-1}",
        "{\"id\":\"abc-1\",\"submittedAt\":253402300800000}",
        "{\"id\":\"abc-1\",\"submittedAt\":1762179727123,\"formResponse\":{\"answers\":{\"questionId\":1}}}",
        "[]",
        "\"abc-1\""})
    void a_lead_without_a_readable_id_or_submission_time_is_malformed(String json) throws IOException {
        JsonNode lead = JSON.readTree(json);
        assertThatThrownBy(() -> LinkedInLeadMapper.map(lead, US)).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void the_submission_time_may_come_as_digits_and_the_id_as_its_urn() throws IOException {
        NormalizedLead mapped = LinkedInLeadMapper.map(JSON.readTree("""
                {"id":"urn:li:leadGenFormResponse:abc-1","submittedAt":"1762179727123"}"""), US);

        assertThat(mapped.lead().providerLeadId()).isEqualTo("abc-1");
        assertThat(mapped.lead().receivedAt()).isEqualTo(Instant.parse("2025-11-03T14:22:07.123Z"));
        assertThat(mapped.lead().providerType()).isEqualTo(ProviderType.LINKEDIN_ADS);
    }

    @Test
    void odd_question_and_option_ids_are_skipped_not_fatal() throws IOException {
        NormalizedLead mapped = LinkedInLeadMapper.map(JSON.readTree("""
                {"id":"abc-1","submittedAt":1762179727123,
                 "formResponse":{"answers":[
                   {"questionId":1.5,"answerDetails":{"textQuestionAnswer":{"answer":"lost"}}},
                   {"questionId":2,"answerDetails":{"multipleChoiceAnswer":{"options":[{"id":1},7]}}}]},
                 "form":{"content":{"questions":[{"questionId":2,"name":"pick",
                   "questionDetails":{"multipleChoiceQuestionDetails":{"options":[{"id":7,"text":{"localized":{"en_US":"Seven"}}}]}}}]}}}"""),
                US);

        assertThat(mapped.lead().customFields()).containsExactly(Map.entry("pick", "Seven"));
    }

    private static JsonNode read(String resource) {
        return LeadFixtures.read("/linkedin/leads/" + resource);
    }
}
