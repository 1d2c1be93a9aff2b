package com.leadsync.source.tiktok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.source.BoundedBody;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * One TikTok API call: the {@code data} of an envelope whose {@code code} is 0, else a {@link TikTokCallException}
 * classified by {@link TikTokErrors}. TikTok answers HTTP 200 for its own errors, so a 200 is not a success until
 * the envelope says so.
 */
final class TikTokCalls {

    /** Messages are quoted into errors that reach logs and API answers: keep them short. */
    private static final int MAX_MESSAGE = 300;

    private TikTokCalls() {
    }

    /** An answer over {@code maxBytes} is {@code INVALID} ({@link BoundedBody}). */
    static JsonNode call(ObjectMapper json, long maxBytes, String what, Supplier<Response> request) {
        try (Response response = send(what, request)) {
            return data(json, what, response.getStatus(), text(response, maxBytes, what));
        } catch (ProcessingException e) {
            throw unreachable(what, e); // the body could not be read to the end
        }
    }

    /** The body of {@code response}, at most {@code maxBytes} of it. */
    static String text(Response response, long maxBytes, String what) {
        return BoundedBody.text(response, maxBytes, "TikTok API " + what);
    }

    /** The call's answer whatever its status; the caller closes it. */
    static Response send(String what, Supplier<Response> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            return e.getResponse();
        } catch (ProcessingException e) {
            throw unreachable(what, e);
        }
    }

    /** The {@code data} of an answer with HTTP status {@code status} and body {@code text}. */
    static JsonNode data(ObjectMapper json, String what, int status, String text) {
        JsonNode body = readJson(json, text);
        JsonNode code = body == null ? null : body.get("code");
        int value = code != null && code.canConvertToInt() && code.isIntegralNumber() ? code.intValue() : -1;
        if (status / 100 == 2 && value == TikTokErrors.OK) {
            return body.path("data");
        }
        throw new TikTokCallException(describe(what, status, value, body), TikTokErrors.kind(status, value), value,
                null);
    }

    /** The error an answer that is not a success stands for (a non-2xx status, or a non-zero code). */
    static TikTokCallException error(ObjectMapper json, String what, int status, String text) {
        try {
            data(json, what, status, text);
        } catch (TikTokCallException e) {
            return e;
        }
        return new TikTokCallException("TikTok API HTTP " + status + " during " + what, TikTokErrors.kind(status, -1),
                -1, null);
    }

    static TikTokCallException unreachable(String what, ProcessingException e) {
        return new TikTokCallException("TikTok API unreachable during " + what + ": " + e.getMessage(), Kind.TRANSIENT,
                -1, e);
    }

    private static String describe(String what, int status, int code, JsonNode body) {
        StringBuilder s = new StringBuilder("TikTok API ");
        if (status != 200) {
            s.append("HTTP ").append(status).append(' ');
        }
        s.append(code < 0 ? "without an envelope code" : "code " + code).append(" during ").append(what);
        String message = body == null ? "" : body.path("message").asText("");
        if (!message.isBlank()) {
            s.append(": ").append(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message);
        }
        String requestId = body == null ? "" : body.path("request_id").asText("");
        if (!requestId.isBlank() && requestId.length() <= 64) {
            s.append(" (request_id ").append(requestId).append(')');
        }
        return s.toString();
    }

    private static JsonNode readJson(ObjectMapper json, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
