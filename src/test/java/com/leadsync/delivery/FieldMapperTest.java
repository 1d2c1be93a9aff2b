package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.leadsync.model.StoredLead;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldMapperTest {

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("email", "email");
        m.put("firstName", "first_name");
        m.put("lastName", "last_name");
        m.put("company", "company");
        return m;
    }

    private final FieldMapper mapper = new FieldMapper(DEFAULTS);

    @Test
    void defaultMappingOnly() {
        assertThat(mapper.map(DestinationTestLeads.lead(), Map.of())).containsExactly(
                entry("email", "ana@example.com"),
                entry("first_name", "Ana"),
                entry("last_name", "García López"),
                entry("company", "Acme Corp"));
    }

    @Test
    void targetsAreTheDefaultsOverlaidByTheMappingWithoutDroppedOnes() {
        assertThat(mapper.targets(Map.of("customFields.budget", " budget ", "company", "", "email", "work_email")))
                .containsExactlyInAnyOrder("work_email", "first_name", "last_name", "budget");
        assertThat(mapper.targets(null)).containsExactly("email", "first_name", "last_name", "company");
    }

    @Test
    void nullValuesAreOmitted() {
        StoredLead lead = DestinationTestLeads.withoutEmail(); // no email, no company, no adId
        assertThat(mapper.map(lead, Map.of("adId", "ad", "customFields.nope", "x")))
                .containsOnlyKeys("first_name", "last_name");
    }

    @Test
    void fieldMappingReplacesTheDefaultForTheSameSource() {
        Map<String, String> out = mapper.map(DestinationTestLeads.lead(), Map.of("firstName", "given_name"));
        assertThat(out).containsEntry("given_name", "Ana").doesNotContainKey("first_name");
    }

    @Test
    void blankTargetDropsADefault() {
        assertThat(mapper.map(DestinationTestLeads.lead(), Map.of("company", ""))).doesNotContainKey("company");
    }

    @Test
    void userEntryWinsOverDefaultOnTheSameCrmField() {
        Map<String, String> out = mapper.map(DestinationTestLeads.lead(), Map.of("fullName", "first_name"));
        assertThat(out).containsEntry("first_name", "Ana García López");
    }

    @Test
    void customAndRawFieldsAndEveryLeadField() {
        Map<String, String> mapping = new LinkedHashMap<>();
        mapping.put("customFields.budget", "budget__c");
        mapping.put("rawFieldData.city", "city");
        mapping.put("fullName", "name");
        mapping.put("phoneNumber", "phone");
        mapping.put("providerType", "source");
        mapping.put("providerLeadId", "source_id");
        mapping.put("leadId", "leadsync_id");
        mapping.put("formId", "form");
        mapping.put("adId", "ad");
        mapping.put("campaignId", "campaign");
        mapping.put("receivedAt", "submitted_at");
        Map<String, String> out = mapper.map(DestinationTestLeads.lead(), mapping);
        assertThat(out).contains(
                entry("budget__c", "5000"),
                entry("city", "Madrid"),
                entry("name", "Ana García López"),
                entry("phone", "+14155550123"),
                entry("source", "meta_lead_ads"),
                entry("source_id", "1234567890"),
                entry("leadsync_id", "ld_0123456789abcdef0123456789abcdef"),
                entry("form", "form_9"),
                entry("ad", "ad_7"),
                entry("campaign", "camp_5"),
                entry("submitted_at", "2026-03-07T14:30:00Z"));
        assertThat(FieldMapper.validate(mapping)).isEmpty();
    }

    @Test
    void validateReportsUnknownSources() {
        assertThat(FieldMapper.validate(Map.of("emial", "email"))).singleElement()
                .asString().contains("'emial'").contains("customFields.<name>");
        assertThat(FieldMapper.validate(Map.of("customFields.", "x"))).hasSize(1);
        assertThat(FieldMapper.validate(Map.of("rawFieldData.", "x"))).hasSize(1);
        assertThat(FieldMapper.validate(Map.of("customFields.q1", "x", "rawFieldData.city", "y"))).isEmpty();
        assertThat(FieldMapper.validate(null)).isEmpty();
    }

    @Test
    void validateReportsTwoSourcesOnOneField() {
        assertThat(FieldMapper.validate(Map.of("fullName", "name", "company", "name"))).singleElement()
                .asString().contains("both map to 'name'");
    }

    @Test
    void badDefaultsAreAProgrammingError() {
        assertThatThrownBy(() -> new FieldMapper(Map.of("mail", "email")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
