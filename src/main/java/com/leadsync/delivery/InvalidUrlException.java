package com.leadsync.delivery;

/**
 * A callback or CRM URL we will not send to. {@link #unresolved()} marks the one case that may heal by
 * itself (the host did not resolve right now), so a send can be retried rather than given up.
 */
public class InvalidUrlException extends Exception {

    private final boolean unresolved;

    public InvalidUrlException(String message) {
        this(message, false);
    }

    public InvalidUrlException(String message, boolean unresolved) {
        super(message);
        this.unresolved = unresolved;
    }

    public boolean unresolved() {
        return unresolved;
    }
}
