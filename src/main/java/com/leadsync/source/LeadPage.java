package com.leadsync.source;

import java.time.Duration;
import java.util.List;

/**
 * One page of a lister: its leads (each with its payload, so they need no fetch) and where the walk goes
 * next; {@code nextPosition} is null when the walk is complete. A page may be empty and still have a next
 * position (a form with no new leads). {@code skipped} counts the entries of the page the lister could not read as a
 * lead (logged by the lister, counted as errors by an import).
 *
 * <p>{@code retryAfter} (null on an ordinary page) says "nothing yet, come back after this": the platform is
 * still preparing what the position names (a download task still running). The walker records the position and
 * ends its invocation there, to go on from it after the delay, rather than ask again at once.
 */
public record LeadPage(List<LeadNotice> leads, String nextPosition, Duration retryAfter, int skipped) {
    public LeadPage {
        leads = List.copyOf(leads);
        if (skipped < 0) {
            throw new IllegalArgumentException("skipped entries cannot be negative: " + skipped);
        }
        if (retryAfter != null && (nextPosition == null || retryAfter.isNegative())) {
            throw new IllegalArgumentException("a page that asks to come back later needs a position to come back"
                    + " to and a delay of zero or more, got " + nextPosition + " after " + retryAfter);
        }
    }

    public LeadPage(List<LeadNotice> leads, String nextPosition, Duration retryAfter) {
        this(leads, nextPosition, retryAfter, 0);
    }

    public LeadPage(List<LeadNotice> leads, String nextPosition) {
        this(leads, nextPosition, null, 0);
    }

    /** The same page, telling that {@code count} of its entries could not be read as leads (and were left out). */
    public LeadPage withSkipped(int count) {
        return new LeadPage(leads, nextPosition, retryAfter, count);
    }

    /** Nothing yet at {@code position}: the walk comes back to it after {@code delay}. */
    public static LeadPage comeBackAfter(String position, Duration delay) {
        return new LeadPage(List.of(), position, delay);
    }

    public boolean last() {
        return nextPosition == null;
    }
}
