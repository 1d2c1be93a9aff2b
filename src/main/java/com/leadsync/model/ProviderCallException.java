package com.leadsync.model;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

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
    /** Set as the failure leaves the credentials component; volatile: it may be read on another thread. */
    private volatile Long tokenVersion;

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

    /**
     * Records which stored tokens the failed call used (their {@code tokenVersion}), as the failure passes through
     * the credentials component, so that whoever acts on it can tell whether the tokens have changed since (a
     * parked lead, a connection marked {@code error}). The latest record wins: the component records the tokens of
     * each call when it fails, and the last call made is the one whose failure propagates. Returns this exception,
     * not a copy, so that callers matching the instance or its class keep matching.
     */
    public ProviderCallException recordTokenVersion(long version) {
        this.tokenVersion = version;
        return this;
    }

    /** The stored token version the failed call used; empty when the call did not go through the credentials. */
    public OptionalLong tokenVersion() {
        Long version = tokenVersion;
        return version == null ? OptionalLong.empty() : OptionalLong.of(version);
    }
}
