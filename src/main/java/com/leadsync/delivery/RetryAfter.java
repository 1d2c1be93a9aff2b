package com.leadsync.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a {@code Retry-After} header (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. Returns null when
 * there is nothing usable, so callers fall back to their own backoff; never a negative wait.
 */
public final class RetryAfter {

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
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException tooBig) {
                return null;
            }
        }
        try {
            // RFC_1123 also accepts the IMF-fixdate form HTTP requires senders to use.
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
