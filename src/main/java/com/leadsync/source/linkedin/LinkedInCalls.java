package com.leadsync.source.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.source.BoundedBody;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One LinkedIn API call: the JSON of a 2xx answer, else a {@link ProviderCallException} classified by
 * providers.md §3.6 from the HTTP status (LinkedIn's {@code serviceErrorCode}/{@code code} values are
 * [U], so they only go into the message).
 */
final class LinkedInCalls {

    /** A LinkedIn error message is a sentence; anything longer is not worth carrying into logs and records. */
    private static final int MAX_MESSAGE = 300;

    private LinkedInCalls() {
    }

    /** An answer over {@code maxBytes} is {@code INVALID} ({@link BoundedBody}). */
    static JsonNode call(ObjectMapper json, long maxBytes, String what, Supplier<Response> request) {
        Response received;
        try {
            received = request.get();
        } catch (WebApplicationException e) {
            received = e.getResponse();
        } catch (ProcessingException e) {
            throw new ProviderCallException("LinkedIn API unreachable during " + what + ": " + e.getMessage(),
                    Kind.TRANSIENT, e);
        }
        try (Response response = received) {
            int status = response.getStatus();
            String text = BoundedBody.text(response, maxBytes, "LinkedIn API " + what);
            JsonNode body = readJson(json, text);
            if (status / 100 == 2) {
                if (body == null || !body.isObject()) {
                    throw new ProviderCallException("LinkedIn API sent unreadable JSON during " + what,
                            Kind.TRANSIENT, null);
                }
                return body;
            }
            throw failure(status, body == null ? json.createObjectNode() : body, what,
                    retryAfter(response.getHeaderString("Retry-After")));
        }
    }

    /** The exception for a non-2xx answer; LinkedIn's error body is {@code {status, serviceErrorCode, code, message}}. */
    static ProviderCallException failure(int status, JsonNode error, String what, Duration retryAfter) {
        StringBuilder message = new StringBuilder("LinkedIn API ").append(status).append(" during ").append(what);
        if (error.hasNonNull("serviceErrorCode")) {
            message.append(": serviceErrorCode ").append(error.path("serviceErrorCode").asText());
        }
        if (error.hasNonNull("code")) {
            message.append(error.hasNonNull("serviceErrorCode") ? " " : ": ").append(error.path("code").asText());
        }
        String text = error.path("message").asText("");
        if (!text.isBlank()) {
            message.append(" - ").append(text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text);
        }
        return new ProviderCallException(message.toString(), kind(status), retryAfter, null);
    }

    /**
     * providers.md §3.6: 401 token, 403 scope/role/product, 404 gone, 429 the daily limits (reset at
     * midnight UTC), 426 a sunset {@code LinkedIn-Version} and 400 a malformed Rest.li request (both ours to
     * fix), 5xx LinkedIn's own trouble.
     */
    static Kind kind(int status) {
        return switch (status) {
            case 401 -> Kind.UNAUTHORIZED;
            case 403 -> Kind.FORBIDDEN;
            case 404 -> Kind.NOT_FOUND;
            case 429 -> Kind.THROTTLED;
            case 408 -> Kind.TRANSIENT;
            default -> status >= 500 ? Kind.TRANSIENT : Kind.INVALID;
        };
    }

    /** LinkedIn documents no Retry-After; honour one in seconds if it ever comes, else leave the wait to the caller. */
    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds > 0 ? Duration.ofSeconds(Math.min(seconds, Duration.ofDays(1).toSeconds())) : null;
        } catch (NumberFormatException notSeconds) {
            return null;
        }
    }

    private static JsonNode readJson(ObjectMapper json, String text) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
