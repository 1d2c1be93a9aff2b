package com.leadsync.model;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider API call failed, classified by what the caller should do about it (providers.md §1.6, §2.6,
 * §3.6, §4.6): try again soon, wait for the provider's quota, refresh the token, or have a person act.
 */
public class ProviderCallException extends RuntimeException {

    public enum Kind {
        /** Network, timeout, 5xx, unreadable answer: try again with backoff. */
        TRANSIENT,
        /** The provider's rate limit or quota: wait ({@link #retryAfter()} when the provider says how long). */
        THROTTLED,
        /** The token was rejected (expired, revoked, invalid): refresh once, then a person must reconnect. */
        UNAUTHORIZED,
        /** The token is valid but lacks a permission or role for this account: a person must act. */
        FORBIDDEN,
        /** The lead, form or account does not exist (or no longer). */
        NOT_FOUND,
        /** The provider refused the request itself (bad parameter, sunset version): a fix in code or config. */
        INVALID
    }

    private final Kind kind;
    private final Duration retryAfter;

    public ProviderCallException(String message, Kind kind, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public ProviderCallException(String message, Kind kind, Throwable cause) {
        this(message, kind, null, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** Worth retrying without anyone acting: a hiccup or a rate limit. */
    public boolean isTransient() {
        return kind == Kind.TRANSIENT || kind == Kind.THROTTLED;
    }

    /** How long the provider asked us to wait, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
