package com.leadsync.source;

/**
 * A provider API call failed. {@code transient} failures (throttling, 5xx, network) are worth retrying;
 * the others (expired token, missing permission, unknown lead) need a person to act.
 */
public class ProviderCallException extends RuntimeException {
    private final boolean transientFailure;

    public ProviderCallException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
