package com.leadsync.source;

/** The body is not what the provider's documented shape says (bad JSON, wrong types). */
public class MalformedPayloadException extends RuntimeException {
    public MalformedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedPayloadException(String message) {
        super(message);
    }
}
