package com.leadsync.source.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.source.ProviderCallException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Set;
import java.util.function.Supplier;

/** One Graph API call: the JSON of a 2xx answer, else a {@link ProviderCallException} classified by providers.md §1.6. */
final class MetaGraphCalls {

    /** Graph error codes that mean "throttled or a hiccup, try again" (providers.md §1.6). */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(1, 2, 4, 17, 32, 341, 613);

    private MetaGraphCalls() {
    }

    static JsonNode call(ObjectMapper json, String what, Supplier<Response> request) {
        Response received;
        try {
            received = request.get();
        } catch (WebApplicationException e) {
            received = e.getResponse();
        } catch (ProcessingException e) {
            throw new ProviderCallException("Meta Graph API unreachable during " + what + ": " + e.getMessage(), true, e);
        }
        try (Response response = received) {
            int status = response.getStatus();
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode body = readJson(json, text);
            if (status / 100 == 2) {
                if (body == null) {
                    throw new ProviderCallException("Meta Graph API sent unreadable JSON during " + what, true, null);
                }
                return body;
            }
            JsonNode error = body == null ? json.createObjectNode() : body.path("error");
            int code = error.path("code").asInt(-1);
            boolean transientFailure = status >= 500 || status == 429 || TRANSIENT_CODES.contains(code)
                    || (code >= 80000 && code <= 80014) || error.path("is_transient").asBoolean(false);
            throw new ProviderCallException("Meta Graph API " + status + " during " + what + ": code " + code
                    + (error.hasNonNull("error_subcode") ? "/" + error.path("error_subcode").asInt() : "")
                    + " " + error.path("message").asText(""), transientFailure, null);
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
