package com.leadsync.poll;

import com.leadsync.model.ProviderType;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * The body of a poll-queue message. {@code POLL}: poll that connection (from the schedule or "sync now",
 * {@code requestedAt} is when it was asked); {@code CONTINUE}: go on with walk {@code walkId} of that
 * connection (the previous invocation ran out of time, or the platform asked us to wait); {@code SCAN}: the
 * schedule's scan of the connections goes on after route key {@code scanAfter}.
 */
@RegisterForReflection
public record PollMessage(Kind kind, String connectionId, ProviderType providerType, String externalId,
        Instant requestedAt, String walkId, String scanAfter) {

    public enum Kind { POLL, CONTINUE, SCAN }

    public static PollMessage poll(String connectionId, ProviderType type, String externalId, Instant requestedAt) {
        return new PollMessage(Kind.POLL, connectionId, type, externalId, requestedAt, null, null);
    }

    public static PollMessage proceed(String connectionId, ProviderType type, String externalId, String walkId,
            Instant requestedAt) {
        return new PollMessage(Kind.CONTINUE, connectionId, type, externalId, requestedAt, walkId, null);
    }

    public static PollMessage scan(String after, Instant requestedAt) {
        return new PollMessage(Kind.SCAN, null, null, null, requestedAt, null, after);
    }
}
