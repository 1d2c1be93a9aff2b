package com.leadsync.source.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.crypto.Sha256;
import com.leadsync.lead.LeadFingerprint;
import com.leadsync.model.ProviderType;
import com.leadsync.source.MappingContext;
import com.leadsync.source.ProviderLead;
import com.leadsync.testing.GoogleAdsFake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Google's cross-channel key (providers.md §2.7: gclid + submission time ±1 min + email hash) over both real shapes:
 * the webhook's {@code WebhookLead} and a {@code googleAds:search} row, as the receiver and the lister queue them.
 */
class GoogleLeadFingerprinterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CUSTOMER = "1234567890";
    private static final String CLICK = "EAIaIQobChMIcross0000000000000000000";

    private final GoogleLeadFingerprinter fingerprinter = new GoogleLeadFingerprinter();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<LeadFingerprint> of(JsonNode payload) {
        return fingerprinter.fingerprint(new ProviderLead("ignored", payload),
                GoogleLeadMapper.normalize(payload, new MappingContext("US")));
    }

    private LeadFingerprint webhook(String email, String gclid, String submitTime) {
        return of(json(GoogleAdsFake.webhookLead("gk", "TeSter-webhook-id", email, false, gclid, submitTime)))
                .orElseThrow();
    }

    private LeadFingerprint row(String email, String gclid, String submissionDateTime) {
        return of(json(GoogleAdsFake.leadRow(CUSTOMER, "Cj0-api-id", submissionDateTime, email, gclid))).orElseThrow();
    }

    @Test
    void a_webhook_lead_and_its_search_row_have_one_fingerprint_though_their_ids_differ() {
        LeadFingerprint pushed = webhook("jane.doe@example.com", CLICK, "2026-03-07T14:30:00Z");
        LeadFingerprint listed = row("jane.doe@example.com", CLICK, "2026-03-07 09:30:00-05:00");

        assertThat(listed.key()).isEqualTo(pushed.key());
        assertThat(listed.submittedAt()).isEqualTo(pushed.submittedAt())
                .isEqualTo(Instant.parse("2026-03-07T14:30:00Z"));
        assertThat(pushed.tolerance()).isEqualTo(Duration.ofMinutes(1));
        assertThat(pushed.sameSubmission(listed.submittedAt())).isTrue();
    }

    @Test
    void the_email_is_compared_normalized_whatever_its_case_and_surrounding_whitespace() {
        // Spaces and a JSON-escaped tab around it, as a form may send.
        LeadFingerprint pushed = webhook("  Jane.Doe@Example.COM\\t", CLICK, "2026-03-07T14:30:00Z");
        LeadFingerprint listed = row("jane.doe@example.com", CLICK, "2026-03-07 14:30:00+00:00");

        assertThat(pushed.key()).isEqualTo(listed.key());
    }

    @Test
    void the_key_holds_a_hash_of_the_email_never_the_email() {
        LeadFingerprint fingerprint = webhook("jane.doe@example.com", CLICK, "2026-03-07T14:30:00Z");

        assertThat(fingerprint.key()).doesNotContainIgnoringCase("jane").doesNotContain("example.com")
                .contains(Sha256.hex("jane.doe@example.com"));
    }

    @Test
    void a_minute_apart_either_way_is_the_same_submission_and_a_second_more_is_not() {
        LeadFingerprint pushed = webhook("jane.doe@example.com", CLICK, "2026-03-07T14:30:00Z");

        assertThat(pushed.sameSubmission(row("jane.doe@example.com", CLICK, "2026-03-07 09:31:00-05:00").submittedAt()))
                .isTrue();
        assertThat(pushed.sameSubmission(row("jane.doe@example.com", CLICK, "2026-03-07 15:29:00+01:00").submittedAt()))
                .isTrue();
        assertThat(pushed.sameSubmission(row("jane.doe@example.com", CLICK, "2026-03-07 09:31:01-05:00").submittedAt()))
                .isFalse();
        assertThat(pushed.sameSubmission(row("jane.doe@example.com", CLICK, "2026-03-07 15:28:59+01:00").submittedAt()))
                .isFalse();
    }

    @Test
    void another_click_or_another_email_is_another_key() {
        String key = webhook("jane.doe@example.com", CLICK, "2026-03-07T14:30:00Z").key();

        assertThat(webhook("jane.doe@example.com", CLICK + "x", "2026-03-07T14:30:00Z").key()).isNotEqualTo(key);
        assertThat(webhook("john.doe@example.com", CLICK, "2026-03-07T14:30:00Z").key()).isNotEqualTo(key);
    }

    @Test
    void a_lead_without_a_click_id_and_without_a_usable_email_has_no_fingerprint() {
        ObjectNode noClick = (ObjectNode) json(GoogleAdsFake.webhookLead("gk", "TeSter-1", "not an email", false, CLICK,
                "2026-03-07T14:30:00Z"));
        noClick.remove("gcl_id");
        assertThat(of(noClick)).isEmpty();

        ObjectNode blankClick = (ObjectNode) json(GoogleAdsFake.leadRow(CUSTOMER, "Cj0-1", "2026-03-07 14:30:00Z", " ",
                "  "));
        assertThat(of(blankClick)).isEmpty();
    }

    @Test
    void a_click_id_alone_or_an_email_alone_is_still_a_fingerprint_and_the_two_differ() {
        ObjectNode clickOnly = (ObjectNode) json(GoogleAdsFake.webhookLead("gk", "TeSter-1", "", false, CLICK,
                "2026-03-07T14:30:00Z"));
        ObjectNode emailOnly = (ObjectNode) json(GoogleAdsFake.webhookLead("gk", "TeSter-2", "jane.doe@example.com",
                false, CLICK, "2026-03-07T14:30:00Z"));
        emailOnly.remove("gcl_id");

        assertThat(of(clickOnly)).get().extracting(LeadFingerprint::key)
                .isEqualTo(row("", CLICK, "2026-03-07 14:30:00Z").key());
        assertThat(of(emailOnly)).get().extracting(LeadFingerprint::key).isNotEqualTo(of(clickOnly).get().key())
                .isNotEqualTo(webhook("jane.doe@example.com", CLICK, "2026-03-07T14:30:00Z").key());
    }

    @Test
    void it_is_the_fingerprinter_of_google_ads() {
        assertThat(fingerprinter.type()).isEqualTo(ProviderType.GOOGLE_ADS);
    }
}
