package com.leadsync.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Map;

/** A lead as we keep and show it: the contract fields plus our id, its account and its attribution. */
@RegisterForReflection
public record StoredLead(
        String leadId,
        String accountId,
        ProviderType providerType,
        String providerLeadId,
        String email,
        String firstName,
        String lastName,
        String fullName,
        String phoneNumber,
        String company,
        Map<String, String> rawFieldData,
        Map<String, String> customFields,
        Instant receivedAt,
        String formId,
        String adId,
        String campaignId,
        @JsonProperty("isTest") boolean isTest,
        Instant storedAt) {

    public StoredLead {
        rawFieldData = ordered(rawFieldData);
        customFields = ordered(customFields);
    }

    public static StoredLead of(String leadId, String accountId, NormalizedLead normalized, Instant storedAt) {
        Lead l = normalized.lead();
        return new StoredLead(leadId, accountId, l.providerType(), l.providerLeadId(), l.email(), l.firstName(),
                l.lastName(), l.fullName(), l.phoneNumber(), l.company(), l.rawFieldData(), l.customFields(),
                l.receivedAt(), normalized.formId(), normalized.adId(), normalized.campaignId(), normalized.test(),
                storedAt);
    }

    public Lead lead() {
        return new Lead(providerType, providerLeadId, email, firstName, lastName, fullName, phoneNumber, company,
                rawFieldData, customFields, receivedAt);
    }

    /** Keeps the platform's answer order (for readable output) and makes the map unmodifiable. */
    private static Map<String, String> ordered(Map<String, String> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
    }
}
