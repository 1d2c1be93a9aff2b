package com.leadsync.poll;

import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.walk.LostLease;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The poll state on each connection's item (connections table, key {@code routeKey}). Every write is
 * conditional on the item still being that connection, and every write of a walk on this worker holding its
 * lease ({@link LostLease} otherwise), so a deleted or reconnected connection, or a worker that lost its lease,
 * changes nothing.
 */
public interface PollStates {

    /** The connection itself (tokens included), for the lister. */
    Optional<Connection> connection(ProviderType type, String externalId);

    /** Strongly consistent; empty when the item is gone. */
    Optional<PollState> read(String routeKey);

    /** The last poll's outcome of each of the account's connections, by connection id. */
    Map<String, PollStatus> statusByAccount(String accountId);

    /** Takes the lease when it is free or has run out; false when another worker holds it. */
    boolean takeLease(String routeKey, String connectionId, String owner, Instant now, Instant until);

    /** Starts {@code walk} (with no position and no leads) where none is in progress. */
    void startWalk(String routeKey, String connectionId, String owner, PollState.Walk walk);

    /**
     * A page of walk {@code walkId} is queued: its next position and leads, and the lease renewed to {@code until};
     * the walk's transient failures and rate-limit deferrals in a row are over.
     */
    void recordPage(String routeKey, String connectionId, String owner, String walkId, String nextPosition,
            int leads, Instant leaseUntil);

    /**
     * The last page of walk {@code walkId} is queued: the walk ends {@code ok} with the watermark set to
     * {@code watermark} (the walk's {@code until}), and the lease is released, in one write.
     */
    void complete(String routeKey, String connectionId, String owner, String walkId, int leads, Instant watermark,
            Instant now);

    /** The walk ends {@code failed} with {@code error} (the watermark stays), and the lease is released. */
    void fail(String routeKey, String connectionId, String owner, String error, Instant now);

    /**
     * The walk waits until {@code until} (a rate limit, or nothing yet at the platform): position and transient
     * failures kept, lease released, last outcome unchanged.
     */
    void defer(String routeKey, String connectionId, String owner, Instant until);

    /**
     * The walk waits until {@code until} after its {@code failures}-th transient failure in a row: like
     * {@link #defer}, with that count kept on the walk.
     */
    void retryLater(String routeKey, String connectionId, String owner, Instant until, int failures);

    /**
     * The walk waits until {@code until} for a rate limit, its {@code throttles}-th deferral in a row: like
     * {@link #defer}, with that count kept on the walk.
     */
    void throttle(String routeKey, String connectionId, String owner, Instant until, int throttles);

    /**
     * Marks the connection {@code error} with {@code reason}: a poll failed for a reason a person must look at that
     * is not a dead grant (a permission removed, the account gone, a request the platform refuses). Only while its
     * stored tokens are still version {@code tokenVersion} (those that failed) and it is not {@code needs_reauth}: a
     * newer status (new tokens, a dead grant found meanwhile) is never overwritten. False when nothing was written.
     */
    boolean markError(String routeKey, String connectionId, long tokenVersion, String reason);

    /** A poll of a connection marked {@code error} completed: it is {@code active} again, its reason gone. */
    void clearError(String routeKey, String connectionId);

    /** Releases the lease, keeping the walk; a no-op if this worker no longer holds it. */
    void release(String routeKey, String connectionId, String owner);

    /** One page of the table for the schedule, after route key {@code after} (null: from the start). */
    ScanPage scan(String after, int limit);

    /** {@code lastKey} null: the scan is complete. */
    record ScanPage(List<PollCandidate> items, String lastKey) {
    }
}
