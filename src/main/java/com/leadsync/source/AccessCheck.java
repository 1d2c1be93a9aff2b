package com.leadsync.source;

/** What a provider answered when asked, with a connection's token, for the account the connection names. */
public sealed interface AccessCheck {

    /** The token reaches that account. */
    record Reached() implements AccessCheck {
    }

    /** The provider answered, and the token does not reach it (invalid token, unknown or foreign account). */
    record NotReached(String reason) implements AccessCheck {
    }

    /** The provider could not be asked now (network, 5xx, throttling): nothing is known. */
    record Unavailable(String reason) implements AccessCheck {
    }
}
