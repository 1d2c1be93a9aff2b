package com.leadsync.source;

import com.leadsync.lead.ProviderType;
import java.time.Instant;

/**
 * What a provider's webhook tells us about one lead: enough to route it to a connection and to fetch
 * the details later. {@code externalId} is the provider-side account the lead belongs to (Meta page id).
 */
public record LeadNotice(
        ProviderType providerType,
        String externalId,
        String providerLeadId,
        String formId,
        String adId,
        Instant createdTime) {
}
