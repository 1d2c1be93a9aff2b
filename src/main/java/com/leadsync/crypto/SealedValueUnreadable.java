package com.leadsync.crypto;

/** A sealed value that does not open; the message names where it is stored, never what it holds. */
public class SealedValueUnreadable extends RuntimeException {

    public SealedValueUnreadable(String message) {
        super(message);
    }

    public SealedValueUnreadable(String message, Throwable cause) {
        super(message, cause);
    }
}
