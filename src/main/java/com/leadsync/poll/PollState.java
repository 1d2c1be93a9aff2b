package com.leadsync.poll;

import java.time.Instant;

/**
 * What the poller keeps on a connection's item: the lease of the worker walking it, the walk in progress
 * (window and position), the watermark (the end of the last window walked to completion, i.e. when that
 * walk started), a deferral after a rate limit, and the last poll's outcome. {@code status} is the
 * connection's own ({@code active|needs_reauth|error}, null for connections from before it existed).
 */
public record PollState(String connectionId, String status, String leaseOwner, Instant leaseUntil, Walk walk,
        Instant watermark, Instant deferredUntil, PollStatus last) {

    public static final String NEEDS_REAUTH = "needs_reauth";

    /** A walk in progress over [{@code since}, {@code until}); {@code position} null before its first page. */
    public record Walk(String id, Instant since, Instant until, String position, long leads) {
    }

    public boolean needsReauth() {
        return NEEDS_REAUTH.equals(status);
    }

    public boolean leasedAt(Instant now) {
        return leaseOwner != null && leaseUntil != null && leaseUntil.isAfter(now);
    }
}
