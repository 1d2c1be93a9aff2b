package com.leadsync.lead;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What recognizes one submission when the channels that report it give it different ids (Google's webhook
 * {@code lead_id} and API {@code id} may differ, providers.md §2.7): a {@code key} (no raw personal data in it: the
 * store hashes it again, scoped to the account and provider) and the submission time, within {@code tolerance}.
 */
public record LeadFingerprint(String key, Instant submittedAt, Duration tolerance) {

    public LeadFingerprint {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(submittedAt, "submittedAt");
        if (tolerance == null || tolerance.isNegative()) {
            throw new IllegalArgumentException("a fingerprint's tolerance is a duration of zero or more");
        }
    }

    /** A submission registered under a fingerprint: the lead it became, and when it was submitted. */
    public record Registered(String leadId, Instant submittedAt) {
    }

    /** Within the tolerance of this submission's time, both ends included. */
    public boolean sameSubmission(Instant other) {
        return Duration.between(submittedAt, other).abs().compareTo(tolerance) <= 0;
    }

    /**
     * The lead that {@code leadId}'s submission is, given those registered under this key so far, in registration
     * order: {@code leadId} itself when it is registered already (a redelivery) or matches none of them; else the
     * first registered within the tolerance. Registrations only ever append, so a redelivery reaches the same
     * answer however many have been registered since.
     */
    public String canonicalLead(String leadId, List<Registered> registered) {
        if (registered.stream().anyMatch(r -> r.leadId().equals(leadId))) {
            return leadId;
        }
        return registered.stream().filter(r -> sameSubmission(r.submittedAt())).map(Registered::leadId).findFirst()
                .orElse(leadId);
    }
}
