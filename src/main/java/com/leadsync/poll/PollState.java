package com.leadsync.poll;

import com.leadsync.model.ConnectionStatus;
import java.time.Instant;

/**
 * What the poller keeps on a connection's item: the lease of the worker walking it, the walk in progress
 * (window and position), the watermark (the end of the last window walked to completion, i.e. when that
 * walk started), a deferral (a rate limit, a transient failure, a platform that has nothing yet), the transient
 * failures and the rate-limit deferrals ({@code throttles}) in a row of the walk in progress, and the last poll's
 * outcome. {@code status} is the connection's own
 * ({@link ConnectionStatus}'s wire name, null for connections from before it existed), {@code tokenVersion} the
 * version of its stored tokens (0 for connections from before versions).
 */
public record PollState(String connectionId, String status, long tokenVersion, String leaseOwner, Instant leaseUntil,
        Walk walk, Instant watermark, Instant deferredUntil, int transientFailures, int throttles, PollStatus last) {

    /** A walk in progress over [{@code since}, {@code until}); {@code position} null before its first page. */
    public record Walk(String id, Instant since, Instant until, String position, long leads) {
    }

    public boolean needsReauth() {
        return ConnectionStatus.NEEDS_REAUTH.wireName().equals(status);
    }

    /** Marked {@code error} by a failed poll (see {@link PollStates#markError}). */
    public boolean inError() {
        return ConnectionStatus.ERROR.wireName().equals(status);
    }

    public boolean leasedAt(Instant now) {
        return leaseOwner != null && leaseUntil != null && leaseUntil.isAfter(now);
    }
}
