package com.leadsync.delivery;

import java.time.Instant;
import java.util.Map;

/** A CRM destination as the account configured it. {@code config} holds secrets: see {@link #toString()}. */
public record DestinationConfig(
        String destinationId,
        String accountId,
        String type,
        String name,
        boolean enabled,
        Map<String, String> config,
        Map<String, String> fieldMapping,
        Instant createdAt,
        Instant updatedAt) {

    public DestinationConfig {
        config = config == null ? Map.of() : Map.copyOf(config);
        fieldMapping = fieldMapping == null ? Map.of() : Map.copyOf(fieldMapping);
    }

    public DeliveryTarget target() {
        return new DeliveryTarget(destinationId, accountId, type, name, enabled, config, fieldMapping);
    }

    @Override
    public String toString() {
        return "DestinationConfig[" + destinationId + ", " + type + ", account=" + accountId + "]";
    }
}
