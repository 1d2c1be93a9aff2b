package com.leadsync.imports;

import com.leadsync.model.ProviderType;
import java.time.Instant;

/**
 * One bulk import of a connection's leads of one form, submitted in [{@code since}, {@code until}), and how far it
 * got. {@code counts} are exact: each page is counted in the same conditional write that records it.
 * {@code walk} is the worker's bookkeeping: the step (page) the walk is at and where it goes on from.
 */
public record ImportJob(
        String jobId,
        String accountId,
        String connectionId,
        ProviderType providerType,
        String formId,
        Instant since,
        Instant until,
        ImportStatus status,
        Counts counts,
        Walk walk,
        Instant createdAt,
        Instant startedAt,
        Instant updatedAt,
        Instant completedAt,
        String lastError) {

    /**
     * {@code leadsSeen} = {@code leadsNew} (created by this import) + {@code duplicates} (known already);
     * {@code errors}: entries of a page that could not be read as a lead.
     */
    public record Counts(long pagesFetched, long leadsSeen, long leadsNew, long duplicates, long errors) {
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0);
    }

    /**
     * {@code step}: the pages recorded so far (the next message is for this step); {@code queuedStep}: the highest
     * step whose message is known to be on the queue; {@code position}: the lister's position to go on from;
     * {@code pausedUntil}: a rate limit or a transient failure wait; {@code transientFailures}: in a row;
     * {@code cancelRequested}: the worker stops before the next page; {@code leaseUntil}: a worker is on it.
     */
    public record Walk(int step, int queuedStep, String position, Instant pausedUntil, int transientFailures,
            boolean cancelRequested, String leaseOwner, Instant leaseUntil) {
        /** A new job, its first page already queued. */
        public static Walk start() {
            return new Walk(0, 0, null, null, 0, false, null, null);
        }
    }

    /** The key of the one import a (connection, form) may have running at a time. */
    public String lockKey() {
        return connectionId + "#" + formId;
    }
}
