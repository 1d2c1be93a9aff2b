package com.leadsync.source;

import com.fasterxml.jackson.databind.JsonNode;

/** A lead as the provider returned it, verbatim; only the provider's own package reads {@code payload}. */
public record ProviderLead(String providerLeadId, JsonNode payload) {
}
