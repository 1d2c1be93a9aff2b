package com.leadsync.walk;

import java.time.Duration;

/** The SQS message delay a walk waits with: whole seconds, rounded up so it never comes back early, 1 s to 15 min. */
public final class QueueDelay {

    /** SQS's longest message delay; a longer wait takes several hops. */
    public static final Duration MAX = Duration.ofMinutes(15);
    private static final Duration MIN = Duration.ofSeconds(1);

    private QueueDelay() {
    }

    public static Duration of(Duration wanted) {
        long seconds = wanted.getSeconds() + (wanted.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(MIN.getSeconds(), Math.min(MAX.getSeconds(), seconds)));
    }
}
