package com.leadsync.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which lead a submission is, given the submissions registered under its fingerprint. */
class LeadFingerprintTest {

    private static final Instant T = Instant.parse("2026-03-07T14:30:00Z");

    private static LeadFingerprint at(Instant t) {
        return new LeadFingerprint("key", t, Duration.ofMinutes(1));
    }

    private static LeadFingerprint.Registered registered(String leadId, Instant t) {
        return new LeadFingerprint.Registered(leadId, t);
    }

    @Test
    void the_tolerance_includes_both_ends_and_nothing_beyond() {
        LeadFingerprint f = at(T);

        assertThat(f.sameSubmission(T.plusSeconds(60))).isTrue();
        assertThat(f.sameSubmission(T.minusSeconds(60))).isTrue();
        assertThat(f.sameSubmission(T.plusSeconds(60).plusMillis(1))).isFalse();
        assertThat(f.sameSubmission(T.minusSeconds(60).minusMillis(1))).isFalse();
    }

    @Test
    void a_submission_that_matches_none_registered_is_its_own_lead() {
        assertThat(at(T).canonicalLead("ld_new", List.of())).isEqualTo("ld_new");
        assertThat(at(T).canonicalLead("ld_new", List.of(registered("ld_old", T.minus(Duration.ofMinutes(10))))))
                .isEqualTo("ld_new");
    }

    @Test
    void a_submission_within_the_tolerance_of_a_registered_one_is_that_lead() {
        assertThat(at(T).canonicalLead("ld_poll", List.of(registered("ld_webhook", T.plusSeconds(30)))))
                .isEqualTo("ld_webhook");
    }

    @Test
    void of_several_registered_matches_the_first_registered_wins_so_a_later_registration_cannot_change_the_verdict() {
        List<LeadFingerprint.Registered> before = List.of(registered("ld_a", T.minusSeconds(59)));
        List<LeadFingerprint.Registered> after = List.of(registered("ld_a", T.minusSeconds(59)),
                registered("ld_b", T.plusSeconds(2)));

        assertThat(at(T).canonicalLead("ld_c", before)).isEqualTo("ld_a");
        assertThat(at(T).canonicalLead("ld_c", after)).isEqualTo("ld_a");
    }

    @Test
    void a_lead_registered_already_is_itself_on_a_redelivery() {
        List<LeadFingerprint.Registered> registered = List.of(registered("ld_a", T.minusSeconds(90)),
                registered("ld_b", T));

        assertThat(at(T).canonicalLead("ld_b", registered)).isEqualTo("ld_b");
    }

    @Test
    void a_negative_tolerance_is_refused() {
        assertThatThrownBy(() -> new LeadFingerprint("key", T, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
