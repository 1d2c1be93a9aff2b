package com.leadsync.walk;

/** How one invocation's share of a walk ended: the walk is complete, or it must go on from {@code position}. */
public sealed interface WalkOutcome {

    int pages();

    int leads();

    record Completed(int pages, int leads) implements WalkOutcome {
    }

    record Paused(String position, int pages, int leads) implements WalkOutcome {
    }
}
