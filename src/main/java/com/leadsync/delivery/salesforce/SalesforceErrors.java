package com.leadsync.delivery.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.HttpOutcomes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Salesforce's error arrays ({@code [{"message","errorCode","fields"}]}; sObject Collections name the code
 * {@code statusCode}) read and classified (crm.md §A.2, §A.5): {@code UNABLE_TO_LOCK_ROW} and 5xx are retried,
 * {@code REQUEST_LIMIT_EXCEEDED} is a rate limit, 401 / {@code INVALID_SESSION_ID} asks for a refresh, every other
 * refusal is permanent with its code in the message. Salesforce sends no Retry-After, so the waits are ours.
 */
final class SalesforceErrors {

    static final String DUPLICATES_DETECTED = "DUPLICATES_DETECTED";

    /**
     * The 24-hour allocation is used up ({@code TotalRequests Limit exceeded}, or {@code Sforce-Limit-Info} at its
     * limit): it frees up as the rolling day moves on, so trying again within minutes only burns attempts.
     */
    static final Duration DAILY_LIMIT_WAIT = Duration.ofHours(1);
    /** Too many concurrent long-running requests (25 per org): they end within seconds to minutes. */
    static final Duration CONCURRENCY_LIMIT_WAIT = Duration.ofSeconds(30);

    /** One entry of an error array; {@code matchedIds} are the records a duplicate rule matched, if any. */
    record SalesforceError(String code, String message, List<String> fields, List<String> matchedIds) {

        boolean is(String errorCode) {
            return errorCode.equals(code);
        }

        String describe() {
            String text = code.isEmpty() ? message : code + ": " + message;
            return fields.isEmpty() ? text : text + " (fields: " + String.join(", ", fields) + ")";
        }
    }

    private SalesforceErrors() {
    }

    /** The entries of an error array (or of one error object); empty when {@code body} is neither. */
    static List<SalesforceError> read(JsonNode body) {
        List<SalesforceError> out = new ArrayList<>();
        if (body == null) {
            return out;
        }
        if (body.isObject()) {
            addError(out, body);
        } else if (body.isArray()) {
            body.forEach(entry -> {
                if (entry.isObject()) {
                    addError(out, entry);
                }
            });
        }
        return out;
    }

    private static void addError(List<SalesforceError> out, JsonNode e) {
        String code = e.path("errorCode").asText(e.path("statusCode").asText(""));
        String message = e.path("message").asText("");
        if (code.isEmpty() && message.isEmpty()) {
            return;
        }
        List<String> fields = new ArrayList<>();
        e.path("fields").forEach(f -> fields.add(f.asText()));
        List<String> matched = new ArrayList<>();
        for (JsonNode match : e.path("duplicateResult").path("matchResults")) {
            // A rule may match Contacts too; only a Lead can be updated in its place (Lead ids start with 00Q).
            String entity = match.path("entityType").asText("");
            for (JsonNode record : match.path("matchRecords")) {
                String id = record.path("record").path("Id").asText("");
                boolean lead = entity.isEmpty() ? id.startsWith("00Q") : entity.equals("Lead");
                if (lead && !id.isEmpty() && !matched.contains(id)) {
                    matched.add(id);
                }
            }
        }
        out.add(new SalesforceError(code, message, fields, matched));
    }

    /**
     * The failure for a refused call. {@code status} is the HTTP status, or null for one record's result inside an
     * sObject Collections answer (the request as a whole was fine).
     */
    static DeliveryException classify(Integer status, List<SalesforceError> errors, String body,
            Function<String, String> header) {
        String detail = errors.isEmpty() ? HttpOutcomes.snippet(body)
                : HttpOutcomes.snippet(String.join("; ", errors.stream().map(SalesforceError::describe).toList()));
        String message = "Salesforce " + (status == null ? "refused the lead" : status)
                + (detail.isEmpty() ? "" : ": " + detail);
        if (has(errors, "UNABLE_TO_LOCK_ROW")) {
            return DeliveryException.retryable(message, status, null);
        }
        if (has(errors, "REQUEST_LIMIT_EXCEEDED")) {
            // The org's 24 h allocation spent parks the destination (crm.md §A.5); a concurrency limit is this send's.
            return dailyAllocationSpent(errors, header)
                    ? DeliveryException.destinationRateLimited(message, status, DAILY_LIMIT_WAIT)
                    : DeliveryException.rateLimited(message, status, CONCURRENCY_LIMIT_WAIT);
        }
        if (has(errors, "INVALID_SESSION_ID") || (status != null && status == 401)) {
            return DeliveryException.unauthorized(message + " (the access token expired or was revoked)",
                    status == null ? 401 : status);
        }
        if (status == null) {
            return DeliveryException.permanent(message, null);
        }
        return HttpOutcomes.failure(status, header, message);
    }

    private static boolean has(List<SalesforceError> errors, String code) {
        return errors.stream().anyMatch(e -> e.is(code));
    }

    private static boolean dailyAllocationSpent(List<SalesforceError> errors, Function<String, String> header) {
        boolean saysTotal = errors.stream()
                .anyMatch(e -> e.message().toLowerCase(Locale.ROOT).contains("totalrequests"));
        return saysTotal || ApiUsage.parse(header.apply(ApiUsage.HEADER)).map(ApiUsage::spent).orElse(false);
    }
}
