package com.leadsync.store;

import com.leadsync.lead.LeadStatus;
import com.leadsync.lead.StoredLead;

/** A lead item: pipeline state plus, from STORED on, the normalized lead. */
public record LeadRecord(
        String leadId,
        String accountId,
        LeadStatus status,
        String leaseOwner,
        long leaseUntil,
        long duplicates,
        String lastError,
        StoredLead lead) {

    public boolean leasedByOther(String owner, long nowMillis) {
        return leaseOwner != null && !leaseOwner.equals(owner) && leaseUntil > nowMillis;
    }
}
