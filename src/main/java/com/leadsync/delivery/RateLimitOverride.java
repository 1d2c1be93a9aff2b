package com.leadsync.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A destination's optional {@code config.rateLimit} = {@code "<requests>/<duration>"} ({@code 190/10s},
 * {@code 40000/1d}; units ms, s, m, h, d): replaces the requests per window the destination type declares (e.g. a
 * HubSpot portal with a higher tier); concurrency and cost per send stay as declared.
 */
public final class RateLimitOverride {

    public static final String KEY = "rateLimit";

    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*(ms|s|m|h|d)\\s*");

    private RateLimitOverride() {
    }

    /** The pace to keep for {@code target}: its override when it has a valid one, else what its type declares. */
    public static Pace apply(DeliveryTarget target, Pace declared) {
        String value = target.config(KEY);
        if (value == null || value.isBlank()) {
            return declared;
        }
        Matcher m = FORMAT.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches() || !problems(target).isEmpty()) {
            return declared;
        }
        return new Pace(Integer.parseInt(m.group(1)), window(m), declared.concurrent(), declared.requestsPerSend());
    }

    /** What is wrong with {@code config.rateLimit}, as sentences (none when absent). */
    public static List<String> problems(DeliveryTarget target) {
        String value = target.config(KEY);
        if (value == null) {
            return List.of();
        }
        Matcher m = FORMAT.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return List.of("config.rateLimit must look like \"<requests>/<duration>\", e.g. \"190/10s\" "
                    + "(units ms, s, m, h, d)");
        }
        if (Integer.parseInt(m.group(1)) < 1 || window(m).isZero()) {
            return List.of("config.rateLimit needs at least 1 request per a window longer than zero");
        }
        if (window(m).compareTo(Duration.ofDays(1)) > 0) {
            return List.of("config.rateLimit's window may be at most 1d");
        }
        return List.of();
    }

    private static Duration window(Matcher m) {
        long n = Long.parseLong(m.group(2));
        return switch (m.group(3)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
