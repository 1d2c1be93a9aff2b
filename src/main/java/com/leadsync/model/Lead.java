package com.leadsync.model;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Map;

/** The normalized lead: exactly the fields of the public contract, whatever the provider. */
@RegisterForReflection
public record Lead(
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
        Instant receivedAt) {

    public Lead {
        rawFieldData = ordered(rawFieldData);
        customFields = ordered(customFields);
    }

    /** Keeps the platform's answer order (for readable output) and makes the map unmodifiable. */
    private static Map<String, String> ordered(Map<String, String> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
    }
}
