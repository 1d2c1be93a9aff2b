package com.leadsync.lead;

import com.leadsync.model.LeadStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import java.time.Instant;

/**
 * A lead item: pipeline state plus, from STORED on, the normalized lead. {@code noticedAt} is the submission time
 * the provider's notice gave (when it gave none, or one out of range: when we first saw the lead), all we know
 * of the lead's time until it is fetched; null only on items written before it existed. {@code firstSeenAt}: when
 * the lead was claimed; {@code arrival}: how the message that stored it came (null until stored, and on items stored
 * before it was kept); {@code dispatchedAt}: when its deliveries were queued (null before).
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
        StoredLead lead,
        Instant firstSeenAt,
        Arrival arrival,
        Instant dispatchedAt) {

    public boolean leasedByOther(String owner, long nowMillis) {
        return leaseOwner != null && !leaseOwner.equals(owner) && leaseUntil > nowMillis;
    }
}
