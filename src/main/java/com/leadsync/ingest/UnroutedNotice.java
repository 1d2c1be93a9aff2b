package com.leadsync.ingest;

import com.leadsync.model.ProviderType;
import java.time.Instant;

/**
 * A lead that arrived for a provider account nobody had connected (or whose connection could not fetch it):
 * kept until that account is connected or fixed. {@code payload} is the provider's lead as JSON text when the
 * webhook carried it (Google, TikTok), {@code payloadRef} instead when it was too big to keep in the notice
 * ({@link OversizedPayloads}); both null when the lead is to be fetched. {@code traceId} is the one minted when the
 * lead arrived, carried on once it is queued (null on notices kept before it existed).
 */
public record UnroutedNotice(
        ProviderType providerType,
        String externalId,
        String providerLeadId,
        String formId,
        String adId,
        Instant createdTime,
        Instant receivedAt,
        String payload,
        String payloadRef,
        String traceId) {
}
