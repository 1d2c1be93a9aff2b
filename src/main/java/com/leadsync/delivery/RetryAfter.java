package com.leadsync.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a {@code Retry-After} header (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. Returns null when
 * there is nothing usable, so callers fall back to their own backoff; never a negative wait, and never more
 * than {@link #LONGEST}, so a hostile value cannot overflow the caller's time arithmetic.
 */
public final class RetryAfter {

    /** The longest wait a header can ask for; anything beyond it is read as this. */
    public static final Duration LONGEST = Duration.ofDays(365);

    private RetryAfter() {
    }

    public static Duration parse(String header) {
        return parse(header, Clock.systemUTC());
    }

    /** @param clock "now" for HTTP-dates, so tests need not race the wall clock */
    public static Duration parse(String header, Clock clock) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.isEmpty()) {
            return null;
        }
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return capped(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException tooBig) {
                return LONGEST;
            }
        }
        try {
            // RFC_1123 also accepts the IMF-fixdate form HTTP requires senders to use.
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return wait.isNegative() ? Duration.ZERO : capped(wait);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration capped(Duration wait) {
        return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    }
}
