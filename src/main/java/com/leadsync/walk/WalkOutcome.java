package com.leadsync.walk;

import java.time.Duration;

/**
 * How one invocation's share of a walk ended: the walk is complete; or it must go on from {@code position}, at once
 * (out of time) or after {@code retryAfter} (the platform has nothing yet there, see
 * {@link com.leadsync.source.LeadPage#retryAfter()}).
 */
public sealed interface WalkOutcome {

    int pages();

    int leads();

    record Completed(int pages, int leads) implements WalkOutcome {
    }

    record Paused(String position, int pages, int leads) implements WalkOutcome {
    }

    record Waiting(String position, Duration retryAfter, int pages, int leads) implements WalkOutcome {
    }
}
