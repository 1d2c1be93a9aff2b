package com.leadsync.store;

import com.leadsync.lead.ProviderType;
import java.time.Instant;

/** A lead that arrived for a provider account nobody had connected: kept until that account is connected. */
public record UnroutedNotice(
        ProviderType providerType,
        String externalId,
        String providerLeadId,
        String formId,
        String adId,
        Instant createdTime,
        Instant receivedAt) {
}
