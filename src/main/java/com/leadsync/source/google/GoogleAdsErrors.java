package com.leadsync.source.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.model.ProviderCallException.Kind;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies a Google Ads REST error (providers.md §2.6):
 * {@code {"error":{"code","message","status","details":[{"@type":"…GoogleAdsFailure","errors":[{"errorCode":
 * {"quotaError":"RESOURCE_EXHAUSTED"},"message","details":{"quotaErrorDetails":{"retryDelay":"30s"}}}],
 * "requestId"}]}}}. The Ads error codes decide first (they are the precise word), then {@code status}, then
 * the HTTP status.
 */
final class GoogleAdsErrors {

    /** Protobuf's JSON Duration: seconds with an optional fraction and an "s" ("40591s", "1.500s"). */
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(\\.\\d{1,9})?s");
    /** A wait the API asks for is honoured, but never beyond a day (the daily quota resets within one). */
    static final Duration MAX_RETRY_DELAY = Duration.ofDays(1);
    private static final int MAX_MESSAGE = 500;

    private GoogleAdsErrors() {
    }

    static GoogleAdsFailure classify(int httpStatus, JsonNode body, String what) {
        JsonNode error = body == null ? null : body.path("error");
        String status = error == null ? "" : error.path("status").asText("");
        Set<String> codes = new LinkedHashSet<>();
        String firstMessage = error == null ? "" : error.path("message").asText("");
        String requestId = null;
        Duration retryDelay = null;
        if (error != null) {
            for (JsonNode detail : error.path("details")) {
                retryDelay = longer(retryDelay, duration(detail.path("retryDelay"))); // google.rpc.RetryInfo
                if (detail.hasNonNull("requestId")) {
                    requestId = detail.path("requestId").asText();
                }
                for (JsonNode e : detail.path("errors")) {
                    e.path("errorCode").properties().forEach(c -> codes.add(c.getKey() + "." + c.getValue().asText()));
                    if (e.hasNonNull("message")) {
                        firstMessage = e.path("message").asText();
                    }
                    retryDelay = longer(retryDelay,
                            duration(e.path("details").path("quotaErrorDetails").path("retryDelay")));
                }
            }
        }
        Kind kind = kind(httpStatus, status, codes);
        String message = "Google Ads API " + httpStatus + (status.isEmpty() ? "" : " " + status) + " during " + what
                + (codes.isEmpty() ? "" : ": " + String.join(", ", codes))
                + (firstMessage.isEmpty() ? "" : " (" + firstMessage + ")")
                + (requestId == null ? "" : " [request " + requestId + "]");
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "…";
        }
        return new GoogleAdsFailure(message, kind, kind == Kind.THROTTLED ? retryDelay : null, codes);
    }

    static Kind kind(int httpStatus, String status, Set<String> codes) {
        if (anyOf(codes, "quotaError.") || "RESOURCE_EXHAUSTED".equals(status) || httpStatus == 429) {
            return Kind.THROTTLED;
        }
        if (anyOf(codes, "internalError.") || httpStatus >= 500
                || Set.of("INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED").contains(status)) {
            return Kind.TRANSIENT;
        }
        if (codes.contains("authenticationError.CUSTOMER_NOT_FOUND") || codes.contains("requestError.RESOURCE_NOT_FOUND")) {
            return Kind.NOT_FOUND;
        }
        // Not an Ads user: a new token for the same Google account would not help.
        if (codes.contains("authenticationError.NOT_ADS_USER")) {
            return Kind.FORBIDDEN;
        }
        if (anyOf(codes, "authenticationError.") || "UNAUTHENTICATED".equals(status) || httpStatus == 401) {
            return Kind.UNAUTHORIZED;
        }
        if (anyOf(codes, "authorizationError.") || "PERMISSION_DENIED".equals(status) || httpStatus == 403) {
            return Kind.FORBIDDEN;
        }
        if ("NOT_FOUND".equals(status) || httpStatus == 404) {
            return Kind.NOT_FOUND;
        }
        return Kind.INVALID;
    }

    private static boolean anyOf(Set<String> codes, String type) {
        return codes.stream().anyMatch(c -> c.startsWith(type));
    }

    static Duration duration(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        Matcher m = DURATION.matcher(node.textValue().trim());
        if (!m.matches()) {
            return null;
        }
        BigDecimal seconds = new BigDecimal(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
        Duration d = Duration.ofNanos(seconds.movePointRight(9).min(BigDecimal.valueOf(MAX_RETRY_DELAY.toNanos()))
                .longValueExact());
        return d.isZero() ? null : d;
    }

    private static Duration longer(Duration a, Duration b) {
        return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
    }
}
