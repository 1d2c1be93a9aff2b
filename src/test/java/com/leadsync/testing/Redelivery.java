package com.leadsync.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.awaitility.core.ThrowingRunnable;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * "Nothing more happens": a step repeats only when SQS hands a message out again, one visibility timeout after a
 * worker took it (the leases are shorter, so they are over by then). Holding an assertion for that long plus a margin
 * for the worker's own run shows a stray repeat, and the window follows the profile's timeout instead of a literal.
 */
public final class Redelivery {

    private static final Duration MARGIN = Duration.ofSeconds(1);

    private Redelivery() {
    }

    /** One visibility timeout of the running app's queues, plus the margin. */
    public static Duration window() {
        int visibility = ConfigProvider.getConfig().getValue("leadsync.local.visibility-timeout", Integer.class);
        return Duration.ofSeconds(visibility).plus(MARGIN);
    }

    /** The assertion holds (after first holding) for {@link #window()}. */
    public static void staysTrue(ThrowingRunnable assertion) {
        Duration window = window();
        await().during(window).atMost(window.multipliedBy(2).plusSeconds(5)).untilAsserted(assertion);
    }
}
