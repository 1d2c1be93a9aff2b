package com.leadsync.source.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.crypto.Sha256;
import com.leadsync.lead.LeadFingerprint;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadFingerprinter;
import com.leadsync.source.ProviderLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Google's cross-channel dedup key (providers.md §2.7): whether the webhook's {@code lead_id} equals the API's
 * {@code lead_form_submission_data.id} is [U], so a lead is also recognized by its click ({@code gcl_id} /
 * {@code gclid}), a hash of its normalized email and its submission time ({@code lead_submit_time} /
 * {@code submissionDateTime}, both as UTC) within one minute.
 */
@ApplicationScoped
public class GoogleLeadFingerprinter implements LeadFingerprinter {

    /** providers.md §2.7: "submission time (±1 min)". */
    static final Duration TOLERANCE = Duration.ofMinutes(1);

    @Override
    public ProviderType type() {
        return ProviderType.GOOGLE_ADS;
    }

    /** Empty when the lead has neither a click id nor a usable email: then nothing but its id says which it is. */
    @Override
    public Optional<LeadFingerprint> fingerprint(ProviderLead lead, NormalizedLead mapped) {
        String gclid = gclid(lead.payload());
        String email = mapped.lead().email(); // normalized by the mapper: trimmed, lower case, valid
        if (gclid == null && email == null) {
            return Optional.empty();
        }
        String key = "gclid=" + (gclid == null ? "" : gclid)
                + "\nemail-sha256=" + (email == null ? "" : Sha256.hex(email));
        return Optional.of(new LeadFingerprint(key, mapped.lead().receivedAt(), TOLERANCE));
    }

    /** The webhook's {@code gcl_id}, or a search row's {@code leadFormSubmissionData.gclid}; null when blank. */
    private static String gclid(JsonNode payload) {
        JsonNode node = payload.has("leadFormSubmissionData") ? payload.path("leadFormSubmissionData").get("gclid")
                : payload.get("gcl_id");
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            return null;
        }
        return node.textValue().strip();
    }
}
