package com.leadsync.imports;

import com.leadsync.walk.HandedOff;
import com.leadsync.walk.LostLease;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Import jobs (implemented in {@code store/}). Every change is one conditional write on the job, so two workers, a
 * redelivered message and a cancel cannot both win.
 */
public interface ImportJobRepository {

    record Page(List<ImportJob> items, String nextCursor) {
    }

    /** What a cancel did: ended the job at once, asked its worker to stop before the next page, or nothing. */
    enum CancelOutcome { CANCELLED, REQUESTED, ALREADY_ENDED }

    /**
     * Stores a new queued job, holding its (connection, form) for it.
     *
     * @throws ImportAlreadyRunning when another job of that (connection, form) is queued or running
     */
    void create(ImportJob job);

    Optional<ImportJob> get(String jobId);

    /**
     * An account's jobs, newest first.
     *
     * @throws IllegalArgumentException when {@code cursor} was not made by this listing
     */
    Page list(String accountId, int limit, String cursor);

    /** Records that the message of {@code step} is on the queue (never lowers it). */
    void markQueued(String jobId, int step);

    /**
     * Takes the job for {@code owner} to work on page {@code step}: only while it is queued or running, at that
     * step, and nobody else holds a live lease. Makes it {@code running}.
     */
    boolean takeLease(String jobId, int step, String owner, Instant now, Instant leaseUntil);

    /**
     * Records page {@code step} in one conditional write (only the lease holder, only at that step, so a page is
     * never counted twice): adds its counts ({@code fetched}: a page of leads, not a "nothing yet" answer, counts
     * in {@code pagesFetched}), moves to {@code nextPosition} (null: the import is complete) and frees the lease.
     * Returns the job as it is now.
     *
     * @throws LostLease when {@code owner} no longer holds the job at that step
     */
    ImportJob recordPage(String jobId, int step, String owner, String nextPosition, HandedOff page, boolean fetched,
            Instant now);

    /**
     * Frees the lease and pauses the job until {@code until} (a rate limit, a transient failure), with the reason.
     * Returns the job as it is now.
     *
     * @throws LostLease when {@code owner} no longer holds the job
     */
    ImportJob pause(String jobId, String owner, Instant until, int transientFailures, String reason, Instant now);

    /** Frees the lease after an unexpected error, so the redelivered message can take it at once. */
    void release(String jobId, String owner);

    /**
     * Ends the job {@code status} (failed, cancelled) with {@code error}: as the lease holder {@code owner}, or, with
     * a null owner, only while no worker holds a live lease. False when it was not ended (ended already, or held).
     */
    boolean end(String jobId, String owner, ImportStatus status, String error, Instant now);

    CancelOutcome cancel(String jobId, Instant now);
}
