package com.leadsync.poll;

import com.leadsync.model.ProviderType;
import java.time.Instant;

/**
 * One item of the connections table as the schedule sees it. {@code providerType} is null for items that are
 * not connections (webhook-key pointers) or of a provider this build does not know.
 */
public record PollCandidate(String routeKey, String connectionId, ProviderType providerType, String externalId,
        String status, Instant leaseUntil, Instant deferredUntil) {
}
