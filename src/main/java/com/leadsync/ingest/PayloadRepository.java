package com.leadsync.ingest;

import java.time.Instant;
import java.util.Optional;

/**
 * Lead payloads kept aside because they are too big to travel in a queue message or wait in a notice item
 * (implemented in {@code store/}). {@code ref} is derived from the content by the caller, so keeping the same
 * payload again writes the same thing.
 */
public interface PayloadRepository {

    /** Keeps the payload's JSON until at least {@code expiresAt}. */
    void put(String ref, byte[] json, Instant expiresAt);

    /**
     * The payload's JSON; empty when nothing is kept under {@code ref}.
     *
     * @throws IllegalStateException when only part of it is left
     */
    Optional<byte[]> get(String ref);

    /** Keeps it until at least {@code expiresAt}; false when nothing is kept under {@code ref} any more. */
    boolean renew(String ref, Instant expiresAt);
}
