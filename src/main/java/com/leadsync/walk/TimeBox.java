package com.leadsync.walk;

import java.time.Duration;
import java.time.Instant;

/**
 * How long one invocation may walk: it starts no page after {@code deadline} (its time box), and none that might
 * not be over before {@code end} (when the function is stopped): a page is started only while at least
 * {@code longestPage} (the longest one page step can take, every timeout of its calls included) is left.
 */
public record TimeBox(Instant deadline, Instant end, Duration longestPage) {

    /** An invocation that started at {@code started}, may walk for {@code timeBox} and is stopped after {@code timeout}. */
    public static TimeBox of(Instant started, Duration timeBox, Duration timeout, Duration longestPage) {
        return new TimeBox(started.plus(timeBox), started.plus(timeout), longestPage);
    }

    /** Whether a page started at {@code now} is within the time box and over before the invocation is stopped. */
    public boolean roomForAnotherPage(Instant now) {
        return now.isBefore(deadline) && !now.plus(longestPage).isAfter(end);
    }
}
