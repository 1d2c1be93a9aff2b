package com.leadsync.store;

import com.leadsync.delivery.Attempt;
import com.leadsync.delivery.DeliveryStatus;
import java.time.Instant;
import java.util.List;

/**
 * One (lead, target) delivery. {@code generation} grows with each manual push; a send happens only for a
 * generation not yet delivered, which is what makes redelivered messages harmless.
 */
public record DeliveryRecord(
        String leadId,
        String targetId,
        String accountId,
        String targetType,
        DeliveryStatus status,
        long attempts,
        String lastError,
        Instant nextAttemptAt,
        Instant deliveredAt,
        long generation,
        long deliveredGeneration,
        long retryRound,
        String leaseOwner,
        long leaseUntil,
        List<Attempt> history) {

    public boolean leasedByOther(String owner, long nowMillis) {
        return leaseOwner != null && !leaseOwner.equals(owner) && leaseUntil > nowMillis;
    }
}
