package com.leadsync.lead;

import java.time.Instant;

/**
 * The instants we accept from callers and providers: from 1970 to the end of year 9999. Inside this range every
 * instant prints with a four-digit year, so the store's fixed-width time keys sort in time order; an instant outside
 * it ({@code +10000-01-01T00:00:00Z}, a negative year) would sort before every key and is a typo or an attack anyway.
 */
public final class InstantRange {

    public static final Instant MIN = Instant.EPOCH;
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private InstantRange() {
    }

    public static boolean contains(Instant t) {
        return !t.isBefore(MIN) && !t.isAfter(MAX);
    }

    /** The range as a sentence, for error messages. */
    public static String describe() {
        return "between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";
    }
}
