package com.leadsync.source.linkedin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.MalformedPayloadException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lead notification of providers.md §3.2, read defensively ([S/U]: no verbatim example is published). */
class LinkedInWebhookParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CREATED = """
            {"type":"LEAD_ACTION",
             "leadGenFormResponse":"urn:li:leadGenFormResponse:249592fc-d272-44ba-a7db-c2bdce579507-6",
             "leadGenForm":"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:3162,1)",
             "owner":{"sponsoredAccount":"urn:li:sponsoredAccount:508915158"},
             "associatedEntity":{"associatedCreative":"urn:li:sponsoredCreative:123456789"},
             "leadType":"SPONSORED","leadAction":"CREATED","occurredAt":1762179727123}""";

    private static List<LeadNotice> parse(String body) {
        return LinkedInWebhookParser.parse(body.getBytes(StandardCharsets.UTF_8), JSON);
    }

    @Test
    void the_documented_notification_is_one_ids_only_notice_routed_by_sponsored_account() {
        List<LeadNotice> notices = parse(CREATED);

        assertThat(notices).containsExactly(LeadNotice.idsOnly(ProviderType.LINKEDIN_ADS, "508915158",
                "249592fc-d272-44ba-a7db-c2bdce579507-6", "3162", "123456789",
                Instant.ofEpochMilli(1762179727123L)));
        assertThat(notices.get(0).hasPayload()).as("the lead is fetched").isFalse();
    }

    @Test
    void an_array_of_notifications_is_one_notice_each() {
        String other = CREATED.replace("-6\"", "-7\"").replace("508915158", "508915159");

        assertThat(parse("[" + CREATED + "," + other + "]"))
                .extracting(LeadNotice::externalId, LeadNotice::providerLeadId)
                .containsExactly(tuple("508915158", "249592fc-d272-44ba-a7db-c2bdce579507-6"),
                        tuple("508915159", "249592fc-d272-44ba-a7db-c2bdce579507-7"));
        assertThat(parse("[]")).isEmpty();
    }

    @Test
    void a_deleted_lead_creates_nothing() {
        assertThat(parse(CREATED.replace("\"CREATED\"", "\"DELETED\""))).isEmpty();
        // Even one whose ids are gone: there is nothing to fetch.
        assertThat(parse("{\"type\":\"LEAD_ACTION\",\"leadAction\":\"DELETED\"}")).isEmpty();
    }

    @Test
    void other_notification_types_and_organization_leads_are_not_ours() {
        assertThat(parse(CREATED.replace("\"LEAD_ACTION\"", "\"SOMETHING_ELSE\""))).isEmpty();
        assertThat(parse(CREATED.replace("{\"sponsoredAccount\":\"urn:li:sponsoredAccount:508915158\"}",
                "{\"organization\":\"urn:li:organization:2414183\"}"))).isEmpty();
    }

    @Test
    void only_the_ids_are_needed_and_odd_hints_are_dropped() {
        List<LeadNotice> minimal = parse("""
                {"leadGenFormResponse":"urn:li:leadGenFormResponse:abc-1",
                 "owner":{"sponsoredAccount":"urn:li:sponsoredAccount:42"}}""");
        List<LeadNotice> oddHints = parse("""
                {"leadGenFormResponse":"urn:li:leadGenFormResponse:abc-1",
                 "owner":{"sponsoredAccount":"urn:li:sponsoredAccount:42"},
                 "leadGenForm":"urn:li:leadGenForm:3162","associatedEntity":{"associatedCreative":"creative 9"},
                 "occurredAt":"yesterday"}""");

        LeadNotice expected = LeadNotice.idsOnly(ProviderType.LINKEDIN_ADS, "42", "abc-1", null, null, null);
        assertThat(minimal).containsExactly(expected);
        assertThat(oddHints).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "",
        "not json",
        "{\"leadGenFormResponse\":\"urn:li:leadGenFormResponse:abc-1\"", // truncated
        "{} {}", // trailing data
        "\"urn:li:leadGenFormResponse:abc-1\"",
        "[1]",
        "{\"leadGenFormResponse\":\"urn:li:leadGenFormResponse:abc-1\"}", // no owner
        "{\"leadGenFormResponse\":\"urn:li:leadGenFormResponse:abc-1\",\"owner\":\"urn:li:sponsoredAccount:42\"}",
        "{\"owner\":{\"sponsoredAccount\":\"urn:li:sponsoredAccount:42\"}}", // no lead id
        "{\"leadGenFormResponse\":\"249592fc-d272\",\"owner\":{\"sponsoredAccount\":\"urn:li:sponsoredAccount:42\"}}",
        "{\"leadGenFormResponse\":\"urn:li:leadGenFormResponse:a b\",\"owner\":{\"sponsoredAccount\":\"urn:li:sponsoredAccount:42\"}}",
        "{\"leadGenFormResponse\":\"urn:li:leadGenFormResponse:abc-1\",\"owner\":{\"sponsoredAccount\":\"urn:li:sponsoredAccount:acme\"}}",
        "{\"leadGenFormResponse\":\"urn:li:leadGenFormResponse:abc-1\",\"owner\":{\"sponsoredAccount\":\"42\"}}",
        "{\"leadGenFormResponse\":\"urn:li:leadGenFormResponse:abc-1\",\"owner\":{\"sponsoredAccount\":42}}",
        "{\"leadGenFormResponse\":7,\"owner\":{\"sponsoredAccount\":\"urn:li:sponsoredAccount:42\"}}",
        "{\"type\":5,\"leadGenFormResponse\":\"urn:li:leadGenFormResponse:abc-1\",\"owner\":{\"sponsoredAccount\":\"urn:li:sponsoredAccount:42\"}}",
    })
    void a_malformed_body_is_refused_whole(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void an_implausibly_long_id_is_malformed_not_a_table_key() {
        String huge = CREATED.replace("249592fc-d272-44ba-a7db-c2bdce579507-6", "a".repeat(3_000));
        String hugeAccount = CREATED.replace("508915158", "1".repeat(3_000));

        assertThatThrownBy(() -> parse(huge)).isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining("3027 characters"); // the URN, never echoed whole
        assertThatThrownBy(() -> parse(hugeAccount)).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void a_broken_notification_in_an_array_is_skipped_and_the_others_are_kept() {
        String other = CREATED.replace("-6\"", "-7\"").replace("508915158", "508915159");

        assertThat(parse("[" + CREATED + ",{\"owner\":{}},7," + other + "]"))
                .extracting(LeadNotice::providerLeadId)
                .containsExactly("249592fc-d272-44ba-a7db-c2bdce579507-6", "249592fc-d272-44ba-a7db-c2bdce579507-7");
    }

    @Test
    void an_array_whose_every_notification_is_broken_is_malformed_naming_the_first() {
        assertThatThrownBy(() -> parse("[{\"owner\":{}},7]"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("notification[0]");
    }
}
