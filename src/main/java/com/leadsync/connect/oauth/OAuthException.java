package com.leadsync.connect.oauth;

/**
 * Why a connect could not be completed, in a sentence the person who clicked "Connect" can act on (it is shown on
 * the callback's page; never put a token or secret in it).
 */
public final class OAuthException extends RuntimeException {

    public enum Kind {
        /** The request or the grant is not acceptable (bad state, denied consent, refused code): 400. */
        REFUSED,
        /** The platform could not be asked or answered with an error of its own: 502, try again. */
        UNAVAILABLE,
        /** This deployment has no app registered for the platform (client id or secret not set): 503. */
        NOT_CONFIGURED
    }

    private final Kind kind;

    private OAuthException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public static OAuthException refused(String message) {
        return new OAuthException(Kind.REFUSED, message, null);
    }

    public static OAuthException unavailable(String message, Throwable cause) {
        return new OAuthException(Kind.UNAVAILABLE, message, cause);
    }

    public static OAuthException notConfigured(String message) {
        return new OAuthException(Kind.NOT_CONFIGURED, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
