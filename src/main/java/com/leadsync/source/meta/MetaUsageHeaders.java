package com.leadsync.source.meta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Optional;

/**
 * How long Meta says a throttled caller must wait (providers.md §1.6). Graph sends no {@code Retry-After}; its
 * {@code X-Business-Use-Case-Usage} header holds, per business object id, one entry per rate-limit type, each with
 * {@code estimated_time_to_regain_access} in minutes:
 * {@code {"<business-id>":[{"type":"ads_management","call_count":100,…,"estimated_time_to_regain_access":7}]}}.
 * Which {@code type} lead calls count against is [U], so every entry of every id counts and the longest wait wins.
 * {@code X-App-Usage} and {@code X-Page-Usage} carry percentages only, no time, so they are not read.
 *
 * <p>Read defensively: a header that is missing, not JSON, or not of that shape, and entries whose value is not a
 * non-negative number, are ignored; a wait of 0 (or no entry) is no answer, and one over a day is read as a day.
 */
final class MetaUsageHeaders {

    static final String BUSINESS_USE_CASE = "X-Business-Use-Case-Usage";
    static final String REGAIN_ACCESS = "estimated_time_to_regain_access";

    /** A longer wait than this is not believed: a malformed or misread value must not stop a connection for days. */
    private static final Duration LONGEST = Duration.ofDays(1);

    private MetaUsageHeaders() {
    }

    /** The wait {@code header} (an {@code X-Business-Use-Case-Usage} value, or null) asks for, if it asks for one. */
    static Optional<Duration> regainAccess(ObjectMapper json, String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        JsonNode usage;
        try {
            usage = json.readTree(header);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        double minutes = 0;
        if (usage != null && usage.isObject()) {
            for (JsonNode entries : usage) {
                for (JsonNode entry : entries.isArray() ? entries : json.createArrayNode()) {
                    JsonNode wait = entry.path(REGAIN_ACCESS);
                    if (wait.isNumber() && Double.isFinite(wait.doubleValue()) && wait.doubleValue() > minutes) {
                        minutes = wait.doubleValue();
                    }
                }
            }
        }
        if (minutes <= 0) {
            return Optional.empty();
        }
        double seconds = Math.ceil(minutes * 60);
        return Optional.of(seconds >= LONGEST.toSeconds() ? LONGEST : Duration.ofSeconds((long) seconds));
    }
}
