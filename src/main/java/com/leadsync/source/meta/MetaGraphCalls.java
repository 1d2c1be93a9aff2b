package com.leadsync.source.meta;

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
import java.util.Set;
import java.util.function.Supplier;

/**
 * One Graph API call: the JSON of a 2xx answer, else a {@link ProviderCallException} classified by providers.md §1.6,
 * a rate limit with the wait Meta's usage header asks for ({@link MetaUsageHeaders}).
 */
final class MetaGraphCalls {

    /** Graph error codes that mean "throttled: wait" (providers.md §1.6; 341 is the application limit). */
    private static final Set<Integer> THROTTLING_CODES = Set.of(4, 17, 32, 341, 613);

    private MetaGraphCalls() {
    }

    static JsonNode call(ObjectMapper json, long maxBytes, String what, Supplier<Response> request) {
        return call(json, maxBytes, what, Kind.NOT_FOUND, request);
    }

    /**
     * {@code unreadable} is what code 100 with subcode 33 ("does not exist, cannot be loaded due to missing
     * permissions") means for the object asked for: a form may really be gone ({@code NOT_FOUND}), while a lead
     * whose id Meta itself just sent is one the token may not read ({@code FORBIDDEN}: a person must act). An answer
     * over {@code maxBytes} is {@code INVALID} ({@link BoundedBody}).
     */
    static JsonNode call(ObjectMapper json, long maxBytes, String what, Kind unreadable, Supplier<Response> request) {
        Response received;
        try {
            received = request.get();
        } catch (WebApplicationException e) {
            received = e.getResponse();
        } catch (ProcessingException e) {
            throw new ProviderCallException("Meta Graph API unreachable during " + what + ": " + e.getMessage(),
                    Kind.TRANSIENT, e);
        }
        try (Response response = received) {
            int status = response.getStatus();
            String text = BoundedBody.text(response, maxBytes, "Meta Graph API " + what);
            JsonNode body = readJson(json, text);
            if (status / 100 == 2) {
                if (body == null) {
                    throw new ProviderCallException("Meta Graph API sent unreadable JSON during " + what, Kind.TRANSIENT,
                            null);
                }
                return body;
            }
            JsonNode error = body == null ? json.createObjectNode() : body.path("error");
            int code = error.path("code").asInt(-1);
            Kind kind = kind(status, code, error, unreadable);
            // Throttled: wait as long as Meta estimates (its headers, not its body, say how long).
            Duration retryAfter = kind != Kind.THROTTLED ? null : MetaUsageHeaders.regainAccess(json,
                    response.getHeaderString(MetaUsageHeaders.BUSINESS_USE_CASE)).orElse(null);
            throw new ProviderCallException("Meta Graph API " + status + " during " + what + ": code " + code
                    + (error.hasNonNull("error_subcode") ? "/" + error.path("error_subcode").asInt() : "")
                    + " " + error.path("message").asText(""), kind, retryAfter, null);
        }
    }

    /** providers.md §1.6: throttling codes, token codes (190, 102), permission codes (10, 200–299), 100/33. */
    static Kind kind(int status, int code, JsonNode error, Kind unreadable) {
        if (THROTTLING_CODES.contains(code) || (code >= 80000 && code <= 80014) || status == 429) {
            return Kind.THROTTLED;
        }
        if (status >= 500 || code == 1 || code == 2 || error.path("is_transient").asBoolean(false)) {
            return Kind.TRANSIENT;
        }
        if (code == 190 || code == 102 || status == 401) {
            return Kind.UNAUTHORIZED;
        }
        if (code == 10 || (code >= 200 && code <= 299) || status == 403) {
            return Kind.FORBIDDEN;
        }
        if (code == 100 && error.path("error_subcode").asInt() == 33) {
            return unreadable;
        }
        if (status == 404) {
            return Kind.NOT_FOUND;
        }
        return Kind.INVALID;
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
