package com.leadsync.store;

import com.leadsync.lead.LeadStatus;
import com.leadsync.lead.ProviderType;
import com.leadsync.lead.StoredLead;
import java.time.Instant;

/**
 * A lead item: pipeline state plus, from STORED on, the normalized lead. {@code noticedAt} is the submission time
 * the provider's notice gave (null if it gave none), all we know of the lead's time until it is fetched.
 */
public record LeadRecord(
        String leadId,
        String accountId,
        ProviderType providerType,
        String providerLeadId,
        LeadStatus status,
        String leaseOwner,
        long leaseUntil,
        long duplicates,
        String lastError,
        Instant noticedAt,
        StoredLead lead) {

    public boolean leasedByOther(String owner, long nowMillis) {
        return leaseOwner != null && !leaseOwner.equals(owner) && leaseUntil > nowMillis;
    }
}
