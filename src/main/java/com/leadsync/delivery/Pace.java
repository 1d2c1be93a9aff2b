package com.leadsync.delivery;

import java.time.Duration;

/**
 * A destination's rate limit as the engine keeps it: at most {@code requests} per {@code window} and at most
 * {@code concurrent} requests at once (0: no cap), across every function instance; {@code requestsPerSend} is what
 * one {@code send} or {@code sendBatch} may cost (a Pipedrive delivery makes several calls).
 */
public record Pace(int requests, Duration window, int concurrent, int requestsPerSend) {

    public static final Pace UNLIMITED = new Pace(0, Duration.ZERO, 0, 1);

    public Pace {
        if (requests < 0 || concurrent < 0 || requestsPerSend < 1) {
            throw new IllegalArgumentException("bad pace " + requests + "/" + window + ", " + concurrent);
        }
    }

    public static Pace of(int requests, Duration window) {
        return new Pace(requests, window, 0, 1);
    }

    public Pace withConcurrency(int concurrent) {
        return new Pace(requests, window, concurrent, requestsPerSend);
    }

    public Pace withRequestsPerSend(int n) {
        return new Pace(requests, window, concurrent, n);
    }

    /**
     * Whether the engine keeps anything for it. An unlimited pace is admitted without a look at the gate, so a pause
     * cannot hold it: a destination that can be parked ({@link DeliveryException#destinationRateLimited}) declares a
     * limit.
     */
    public boolean limited() {
        return requests > 0 || concurrent > 0;
    }
}
