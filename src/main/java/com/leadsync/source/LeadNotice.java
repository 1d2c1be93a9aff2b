package com.leadsync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.model.ProviderType;
import java.time.Instant;

/**
 * One lead as a source first learns of it: enough to route it to a connection and to dedup it, plus the
 * provider's whole lead when the webhook or list page carried it ({@code payload}; then normalize maps it
 * without a fetch). {@code externalId} is the provider-side account the lead belongs to (Meta page id,
 * Google customer id, LinkedIn sponsored account id, TikTok advertiser id).
 */
public record LeadNotice(
        ProviderType providerType,
        String externalId,
        String providerLeadId,
        String formId,
        String adId,
        Instant createdTime,
        JsonNode payload) {

    /** A notice with ids only: the lead is fetched later. */
    public static LeadNotice idsOnly(ProviderType type, String externalId, String providerLeadId, String formId,
            String adId, Instant createdTime) {
        return new LeadNotice(type, externalId, providerLeadId, formId, adId, createdTime, null);
    }

    public boolean hasPayload() {
        return payload != null && !payload.isNull() && !payload.isMissingNode();
    }
}
