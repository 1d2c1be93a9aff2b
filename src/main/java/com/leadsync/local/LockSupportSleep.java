package com.leadsync.local;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** A pause for local-mode polling loops that cannot block on an event (a port opening, a poll interval). */
final class LockSupportSleep {
    private LockSupportSleep() {
    }

    static void pause(Duration d) {
        LockSupport.parkNanos(d.toNanos());
    }
}
