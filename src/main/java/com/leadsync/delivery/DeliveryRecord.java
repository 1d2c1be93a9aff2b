package com.leadsync.delivery;

import java.time.Instant;
import java.util.List;

/**
 * One (lead, target) delivery. {@code generation} grows with each manual push; a send happens only for a
 * generation not yet delivered, which is what makes redelivered messages harmless. {@code dueAt} (epoch ms, 0
 * when not in the due index): the next retry or the watchdog time. {@code retryRound}: rungs of the backoff
 * schedule used by failures; {@code rateLimitedRounds}: retries after a rate limit, on a ladder of their own.
 * {@code traceId}: the delivered lead's (null for events and records from before it was kept).
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
        long rateLimitedRounds,
        String leaseOwner,
        long leaseUntil,
        long dueAt,
        List<Attempt> history,
        String traceId) {

    public boolean leasedByOther(String owner, long nowMillis) {
        return leaseOwner != null && !leaseOwner.equals(owner) && leaseUntil > nowMillis;
    }

    /**
     * Queued and not yet finished (pending before its watchdog time: past it, its message is presumed lost),
     * or being sent (a live lease). A push must not supersede such a delivery. {@code DeliveryRepository.newGeneration}
     * checks the same in its conditional write.
     */
    public boolean inFlight(long nowMillis) {
        return (status == DeliveryStatus.PENDING && dueAt > nowMillis) || (leaseOwner != null && leaseUntil >= nowMillis);
    }
}
