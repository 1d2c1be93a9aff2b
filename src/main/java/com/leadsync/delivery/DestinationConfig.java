package com.leadsync.delivery;

import com.leadsync.model.ConnectionStatus;
import java.time.Instant;
import java.util.Map;

/**
 * A CRM destination as the account configured it, with the state of its tokens: {@code tokenVersion} (incremented by
 * every token write: a refresh, or new tokens given by a person), {@code status} ({@code active}, or
 * {@code needs_reauth} with {@code statusReason} once its grant is dead) and when its OAuth access token expires.
 * {@code flowsOnly}: it receives the leads the account's flows send it, not every lead (the contract's
 * {@code "receives": "flows"}). {@code config} holds secrets: see {@link #toString()}.
 */
public record DestinationConfig(
        String destinationId,
        String accountId,
        String type,
        String name,
        boolean enabled,
        Map<String, String> config,
        Map<String, String> fieldMapping,
        Instant createdAt,
        Instant updatedAt,
        long tokenVersion,
        ConnectionStatus status,
        String statusReason,
        Instant tokenExpiresAt,
        boolean flowsOnly) {

    public DestinationConfig {
        config = config == null ? Map.of() : Map.copyOf(config);
        fieldMapping = fieldMapping == null ? Map.of() : Map.copyOf(fieldMapping);
        status = status == null ? ConnectionStatus.ACTIVE : status;
    }

    /** A new destination: active, its tokens version 0, no known expiry. */
    public DestinationConfig(String destinationId, String accountId, String type, String name, boolean enabled,
            Map<String, String> config, Map<String, String> fieldMapping, Instant createdAt, Instant updatedAt) {
        this(destinationId, accountId, type, name, enabled, config, fieldMapping, createdAt, updatedAt, 0,
                ConnectionStatus.ACTIVE, null, null, false);
    }

    public DeliveryTarget target() {
        return new DeliveryTarget(destinationId, accountId, type, name, enabled, config, fieldMapping);
    }

    @Override
    public String toString() {
        return "DestinationConfig[" + destinationId + ", " + type + ", account=" + accountId + ", status="
                + status.wireName() + ", tokenVersion=" + tokenVersion + "]";
    }
}
