package com.leadsync.walk;

import com.leadsync.model.Connection;
import com.leadsync.source.LeadLister;
import com.leadsync.source.ListRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * One invocation's share of a walk: list {@code connection}'s leads with {@code lister} from
 * {@code request.position()} on, give each page's leads to {@code handOff}, record the page in {@code ledger}, and stop at the first page boundary
 * where {@code time} has no room for another page. {@code via} names the path on the ingest messages
 * ({@code poll}, {@code import}); {@code key} names the walk in logs and probe points.
 */
public record WalkStep(Connection connection, LeadLister lister, ListRequest request, WalkLedger ledger,
        LeadHandOff handOff, String via, String key, TimeBox time) {

    /**
     * How long one invocation may walk: it starts no page after {@code deadline} (its time box), and none that
     * might not be over before {@code end} (when the function is stopped): a page is started only while at least
     * {@code longestPage} (the longest one page step can take, every timeout of its calls included) is left.
     */
    public record TimeBox(Instant deadline, Instant end, Duration longestPage) {

        /** An invocation started at {@code started}, walking for {@code timeBox}, stopped after {@code timeout}. */
        public static TimeBox of(Instant started, Duration timeBox, Duration timeout, Duration longestPage) {
            return new TimeBox(started.plus(timeBox), started.plus(timeout), longestPage);
        }

        /** Whether a page started at {@code now} is within the time box and over before the invocation is stopped. */
        public boolean roomForAnotherPage(Instant now) {
            return now.isBefore(deadline) && !now.plus(longestPage).isAfter(end);
        }

        /** Exactly one page per invocation (an import: one message, one page). */
        public static TimeBox onePage(Instant started, Duration longestPage) {
            return new TimeBox(started, started.plus(longestPage), longestPage);
        }
    }
}
