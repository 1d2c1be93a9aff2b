package com.leadsync.connect.oauth;

import java.time.Instant;
import java.util.Optional;

/** Pending authorize requests (implemented in {@code store/}). */
public interface OAuthStateRepository {

    void save(PendingState state);

    /**
     * Takes the pending state out in one conditional write, so that of two callbacks carrying one state exactly one
     * gets it; empty when it is unknown, was consumed already or has expired at {@code now}.
     */
    Optional<PendingState> consume(String nonce, Instant now);
}
