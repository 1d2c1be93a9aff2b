package com.leadsync.poll;

import java.time.Instant;

/**
 * The last poll's outcome as the API shows it (contract §5): when it ended, {@code ok|failed}, the error of a
 * failed one, and how many leads it saw. All null before the first poll ends.
 */
public record PollStatus(Instant lastPolledAt, String lastPollStatus, String lastPollError, Long lastPollLeads) {

    public static final PollStatus NEVER = new PollStatus(null, null, null, null);

    public static final String OK = "ok";
    public static final String FAILED = "failed";
}
