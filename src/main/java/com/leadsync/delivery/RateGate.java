package com.leadsync.delivery;

import java.time.Instant;

/**
 * A destination's rate limit kept across every function instance (implemented in {@code store/}): permits of its
 * {@link Pace} taken before each send, concurrency slots held during one, and a pause when the CRM says its budget
 * is spent for longer than a window (a daily limit), so that nobody sends to it until then.
 */
public interface RateGate {

    /**
     * Takes {@code permits} of the target's budget (and a concurrency slot when the pace caps them). When it is
     * denied, {@link Admission#retryAt} says when asking again may succeed; {@link Admission#paused} that the
     * destination is parked until then.
     */
    Admission admit(String targetId, Pace pace, int permits, Instant now);

    /** Frees the concurrency slot an admission holds (nothing to do without one). */
    void release(Admission admission);

    /** Parks the target: every admission is denied until {@code until}. */
    void pause(String targetId, Instant until);

    /** {@code slot}: the concurrency slot held (null when none), released after the send. */
    record Admission(boolean granted, Instant retryAt, boolean paused, String targetId, String slot) {

        public static Admission granted(String targetId, String slot) {
            return new Admission(true, null, false, targetId, slot);
        }

        public static Admission denied(String targetId, Instant retryAt, boolean paused) {
            return new Admission(false, retryAt, paused, targetId, null);
        }
    }
}
