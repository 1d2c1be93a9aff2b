package com.leadsync.source;

import com.leadsync.lead.LeadFingerprint;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;
import java.util.Optional;

/**
 * The capability to recognize a lead across channels whose ids for it may differ (a webhook's and an API's): a
 * platform that has such a rule offers it; without one, leads are deduplicated by their provider id only.
 */
public interface LeadFingerprinter {

    ProviderType type();

    /**
     * The fingerprint of {@code lead} (the payload as fetched, pushed or listed) once mapped to {@code mapped}; empty
     * when the lead carries nothing to recognize it by.
     */
    Optional<LeadFingerprint> fingerprint(ProviderLead lead, NormalizedLead mapped);
}
