package com.leadsync.delivery;

import java.time.Duration;

/**
 * A failed send, already classified: {@link Kind#RETRYABLE} (network, timeout, 5xx, HubSpot 423/477),
 * {@link Kind#RATE_LIMITED} (429, a CRM's rate-limit error: retryable, and never the lead's fault) or
 * {@link Kind#PERMANENT} (other 4xx, bad config) or {@link Kind#UNAUTHORIZED} (the CRM rejected the access token: the
 * credentials component refreshes it once and sends again; if that fails too it is permanent). {@code retryAfter} carries the server's {@code Retry-After} (or
 * the CRM's documented wait) when there is one.
 */
public class DeliveryException extends Exception {

    public enum Kind { RETRYABLE, RATE_LIMITED, PERMANENT, UNAUTHORIZED }

    private final Kind kind;
    private final Integer httpStatus;
    private final Duration retryAfter;
    private final boolean destinationPaused;

    public DeliveryException(Kind kind, String message, Integer httpStatus, Duration retryAfter, Throwable cause) {
        this(kind, message, httpStatus, retryAfter, cause, false);
    }

    private DeliveryException(Kind kind, String message, Integer httpStatus, Duration retryAfter, Throwable cause,
            boolean destinationPaused) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
        this.destinationPaused = destinationPaused;
    }

    public static DeliveryException retryable(String message, Integer httpStatus, Duration retryAfter) {
        return new DeliveryException(Kind.RETRYABLE, message, httpStatus, retryAfter, null);
    }

    /** Sent too fast: retried for as long as it takes, the CRM's wait honoured. */
    public static DeliveryException rateLimited(String message, Integer httpStatus, Duration retryAfter) {
        return new DeliveryException(Kind.RATE_LIMITED, message, httpStatus, retryAfter, null);
    }

    /**
     * The destination's whole budget is spent until {@code retryAfter} (a daily limit): the engine parks the
     * destination, so no instance sends to it before then.
     */
    public static DeliveryException destinationRateLimited(String message, Integer httpStatus, Duration retryAfter) {
        return new DeliveryException(Kind.RATE_LIMITED, message, httpStatus, retryAfter, null, true);
    }

    public static DeliveryException permanent(String message, Integer httpStatus) {
        return new DeliveryException(Kind.PERMANENT, message, httpStatus, null, null);
    }

    /** The access token was rejected (401, {@code INVALID_SESSION_ID}, {@code INVALID_TOKEN}): refresh once, then give up. */
    public static DeliveryException unauthorized(String message, Integer httpStatus) {
        return new DeliveryException(Kind.UNAUTHORIZED, message, httpStatus, null, null);
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind == Kind.RETRYABLE || kind == Kind.RATE_LIMITED;
    }

    public boolean rateLimited() {
        return kind == Kind.RATE_LIMITED;
    }

    public Integer httpStatus() {
        return httpStatus;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** See {@link #destinationRateLimited}. */
    public boolean destinationPaused() {
        return destinationPaused;
    }
}
