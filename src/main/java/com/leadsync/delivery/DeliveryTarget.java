package com.leadsync.delivery;

import com.leadsync.model.TokenHolder;
import java.util.Map;

/**
 * Where one delivery goes: a CRM destination or a webhook subscription, seen the same way by the
 * delivery engine. {@code config} includes secrets, so {@link #toString()} leaves it out.
 */
public record DeliveryTarget(
        String targetId,
        String accountId,
        String type,
        String name,
        boolean enabled,
        Map<String, String> config,
        Map<String, String> fieldMapping) implements TokenHolder {

    public DeliveryTarget {
        config = config == null ? Map.of() : Map.copyOf(config);
        fieldMapping = fieldMapping == null ? Map.of() : Map.copyOf(fieldMapping);
    }

    public String config(String key) {
        return config.get(key);
    }

    @Override
    public String holderName() {
        return "destination " + targetId;
    }

    @Override
    public String issuer() {
        return type;
    }

    @Override
    public String toString() {
        return "DeliveryTarget[" + targetId + ", " + type + ", account=" + accountId + "]";
    }
}
