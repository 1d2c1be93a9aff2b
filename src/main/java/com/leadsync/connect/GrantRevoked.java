package com.leadsync.connect;

/** The issuer says the grant is dead for good ({@code invalid_grant}): only a person reconnecting fixes it. */
public class GrantRevoked extends RuntimeException {
    public GrantRevoked(String message) {
        super(message);
    }
}
