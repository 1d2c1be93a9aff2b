package com.leadsync.lead;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.leadsync.model.LeadStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import java.time.Instant;

/**
 * A lead item: pipeline state plus, from STORED on, the normalized lead. {@code noticedAt} is the submission time
 * the provider's notice gave (when it gave none, or one out of range: when we first saw the lead), all we know
 * of the lead's time until it is fetched; null only on items written before it existed. {@code firstSeenAt}: when
 * the lead was claimed; {@code arrival}: how the message that stored it came (null until stored, and on items stored
 * before it was kept); {@code dispatchedAt}: when its deliveries were queued (null before); {@code routes}: the keys
 * of the deliveries it was dispatched or pushed to, with their target types (null before, and on items dispatched
 * before they were kept): a delivery's record is written by its first attempt, so these name the ones still to come.
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
        Instant dispatchedAt,
        Map<String, String> routes) {

    public LeadRecord {
        routes = routes == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    }

    public boolean leasedByOther(String owner, long nowMillis) {
        return leaseOwner != null && !leaseOwner.equals(owner) && leaseUntil > nowMillis;
    }
}
