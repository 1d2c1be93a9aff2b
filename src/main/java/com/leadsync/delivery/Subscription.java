package com.leadsync.delivery;

import com.leadsync.model.ProviderType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A webhook subscriber: leads of {@code providerType} are forwarded to {@code callbackUrl}, signed when a secret is set. */
public record Subscription(
        String subscriptionId,
        String accountId,
        ProviderType providerType,
        String callbackUrl,
        String eventType,
        String callbackSecret,
        Instant createdAt) {

    public static final String TARGET_TYPE = "webhook";

    public boolean matches(ProviderType leadProvider) {
        return providerType == leadProvider && ("*".equals(eventType) || "leadgen".equals(eventType));
    }

    public DeliveryTarget target() {
        Map<String, String> config = new HashMap<>();
        config.put("callbackUrl", callbackUrl);
        config.put("eventType", eventType);
        config.put("providerType", providerType.wireName());
        if (callbackSecret != null) {
            config.put("callbackSecret", callbackSecret);
        }
        return new DeliveryTarget(subscriptionId, accountId, TARGET_TYPE, "webhook " + callbackUrl, true, config,
                Map.of());
    }

    @Override
    public String toString() {
        return "Subscription[" + subscriptionId + ", account=" + accountId + ", " + callbackUrl + "]";
    }
}
