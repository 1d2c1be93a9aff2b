package com.leadsync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.Lead;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platforms' mapper fixtures ({@code src/test/resources/<platform>/leads/*.json} next to
 * {@code *.expected.json}): one reader and one shape of the expected lead for every platform's table test.
 */
public final class LeadFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LeadFixtures() {
    }

    /** A JSON file on the test class path, e.g. {@code /meta/leads/docs-example.json}. */
    public static JsonNode read(String resource) {
        try (InputStream in = LeadFixtures.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lead an {@code *.expected.json} describes, as that platform's mapper should return it. */
    public static NormalizedLead expected(ProviderType type, JsonNode e) {
        Lead lead = new Lead(
                type,
                e.get("providerLeadId").asText(),
                text(e, "email"),
                text(e, "firstName"),
                text(e, "lastName"),
                text(e, "fullName"),
                text(e, "phoneNumber"),
                text(e, "company"),
                map(e.get("rawFieldData")),
                map(e.get("customFields")),
                Instant.parse(e.get("receivedAt").asText()));
        return new NormalizedLead(lead, text(e, "formId"), text(e, "adId"), text(e, "campaignId"),
                e.get("test").asBoolean());
    }

    /** Every expected field must be written out, even when null, so a fixture cannot forget one. */
    private static String text(JsonNode e, String field) {
        assertThat(e.has(field)).as("expected file names " + field).isTrue();
        return e.get(field).isNull() ? null : e.get(field).asText();
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> m = new LinkedHashMap<>();
        node.properties().forEach(f -> m.put(f.getKey(), f.getValue().asText()));
        return m;
    }
}
