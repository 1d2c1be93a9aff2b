package com.leadsync.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Turns what a receiver answered into a {@link DeliveryReceipt} or a classified {@link DeliveryException}
 * (crm.md §A.5, Standard Webhooks): 2xx is delivered; 408, 423, 429, 477 and 5xx are worth retrying (with the
 * server's Retry-After); every other status, 3xx included because redirects are never followed, will not
 * get better by itself and is permanent. Transport failures (refused, reset, timeout, DNS) are retryable.
 */
public final class HttpOutcomes {

    /** How much of a response body goes into an error message and the attempt log. */
    public static final int SNIPPET_CHARS = 300;

    private HttpOutcomes() {
    }

    public static boolean isSuccess(int status) {
        return status >= 200 && status <= 299;
    }

    public static boolean isRetryable(int status) {
        return status == 408  // request timeout: the receiver gave up waiting, nothing wrong with the request
                || status == 423  // HubSpot "Locked": wait and retry
                || status == 429
                || status == 477  // HubSpot "Migration in progress"
                || (status >= 500 && status <= 599);
    }

    /** Receipt for a 2xx, otherwise throws the classified failure. */
    public static DeliveryReceipt receiptOrThrow(OutboundHttp.Response response) throws DeliveryException {
        return receiptOrThrow(response.statusCode(), response::header, response.body());
    }

    /** @param header header lookup by name (case-insensitive as the caller's HTTP stack defines it) */
    public static DeliveryReceipt receiptOrThrow(int status, Function<String, String> header, String body)
            throws DeliveryException {
        if (isSuccess(status)) {
            String snippet = snippet(body);
            return new DeliveryReceipt(status, snippet.isEmpty() ? "HTTP " + status : "HTTP " + status + ": " + snippet);
        }
        throw failure(status, header, describe(status, header, body));
    }

    /** The failure for a non-2xx status, with a message the caller already phrased (e.g. a CRM's own error). */
    public static DeliveryException failure(int status, Function<String, String> header, String message) {
        if (status == 429) {
            return DeliveryException.rateLimited(message, status, RetryAfter.parse(header.apply("Retry-After")));
        }
        if (isRetryable(status)) {
            return DeliveryException.retryable(message, status, RetryAfter.parse(header.apply("Retry-After")));
        }
        return DeliveryException.permanent(message, status);
    }

    /** "HTTP 400: <body snippet>", plus where a redirect pointed, since we deliberately did not follow it. */
    public static String describe(int status, Function<String, String> header, String body) {
        StringBuilder message = new StringBuilder("HTTP ").append(status);
        if (status >= 300 && status <= 399) {
            String location = header.apply("Location");
            message.append(" redirect (not followed)");
            if (location != null && !location.isBlank()) {
                message.append(" to ").append(snippet(location));
            }
        }
        String snippet = snippet(body);
        if (!snippet.isEmpty()) {
            message.append(": ").append(snippet);
        }
        return message.toString();
    }

    /** A send that got no HTTP answer. Always retryable: the receiver may well be back later. */
    public static DeliveryException transportFailure(Throwable error, Duration timeout) {
        String message;
        // Vert.x (under the REST client) and java.util.concurrent have their own timeout types; match by name.
        if (error instanceof HttpTimeoutException || error instanceof SocketTimeoutException
                || error.getClass().getSimpleName().contains("Timeout")) {
            message = "no answer within " + (timeout == null ? "the timeout" : timeout.toMillis() + " ms");
        } else if (error instanceof ConnectException || error instanceof NoRouteToHostException) {
            message = "could not connect: " + describe(error);
        } else if (error instanceof UnknownHostException) {
            message = "host not found: " + error.getMessage();
        } else if (error instanceof InterruptedException || error instanceof InterruptedIOException) {
            message = "send interrupted";
        } else if (error instanceof IOException) {
            message = "network error: " + describe(error);
        } else {
            message = "send failed: " + describe(error);
        }
        return new DeliveryException(DeliveryException.Kind.RETRYABLE, message, null, null, error);
    }

    /** At most {@link #SNIPPET_CHARS} characters, whitespace collapsed so a log line stays one line. */
    public static String snippet(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= SNIPPET_CHARS ? flat : flat.substring(0, SNIPPET_CHARS - 1) + "…";
    }

    private static String describe(Throwable error) {
        // JDK connect failures often carry a null message; the class name is then the useful part.
        String text = error.getMessage();
        return snippet(text == null || text.isBlank() ? error.getClass().getSimpleName() : text);
    }

    /**
     * A CRM's answer body as JSON, or a missing node when it is empty or not JSON: classification rests on the status,
     * so an unreadable body must never hide it.
     */
    public static JsonNode jsonOrMissing(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return json.missingNode();
        }
        try {
            JsonNode tree = json.readTree(body);
            return tree == null ? json.missingNode() : tree;
        } catch (IOException notJson) {
            return json.missingNode();
        }
    }
}
