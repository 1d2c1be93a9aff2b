package com.leadsync.queue;

import com.leadsync.lead.ProviderType;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One lead to ingest, already routed to an account: the body of an ingest-queue message. It carries ids
 * only (no lead data), so a message is small and a redelivery refetches fresh details.
 */
@RegisterForReflection
public record IngestMessage(
        String accountId,
        String connectionId,
        ProviderType providerType,
        String externalId,
        String providerLeadId,
        String formId,
        String adId,
        Instant createdTime,
        String via,
        Instant queuedAt) {
}
