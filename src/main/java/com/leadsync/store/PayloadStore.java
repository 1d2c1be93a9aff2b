package com.leadsync.store;

import com.leadsync.ingest.PayloadRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** Lead payloads too big for SQS, as {@code payload#<ref>} documents of the payload table, with their TTL. */
@ApplicationScoped
public class PayloadStore implements PayloadRepository {

    private static final String PREFIX = "payload#";

    private final PayloadParts parts;

    PayloadStore(PayloadParts parts) {
        this.parts = parts;
    }

    @Override
    public void put(String ref, byte[] json, Instant expiresAt) {
        parts.write(PREFIX + ref, json, expiresAt);
    }

    @Override
    public Optional<byte[]> get(String ref) {
        return parts.read(PREFIX + ref);
    }

    @Override
    public boolean renew(String ref, Instant expiresAt) {
        return parts.renew(PREFIX + ref, expiresAt);
    }
}
