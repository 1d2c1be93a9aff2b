package com.leadsync.delivery;

import com.leadsync.model.ProviderType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A webhook subscriber: leads of {@code providerType} are forwarded to {@code callbackUrl}, signed when a secret is set.
 * Delivered as a destination of type {@link #TARGET_TYPE} whose config holds these fields under the keys below.
 */
public record Subscription(
        String subscriptionId,
        String accountId,
        ProviderType providerType,
        String callbackUrl,
        String eventType,
        String callbackSecret,
        Instant createdAt) {

    public static final String TARGET_TYPE = "webhook";
    public static final String CALLBACK_URL = "callbackUrl";
    public static final String CALLBACK_SECRET = "callbackSecret";
    public static final String EVENT_TYPE = "eventType";
    public static final String PROVIDER_TYPE = "providerType";

    // Destination ids start with dst_: the prefix tells the two stores apart (see DeliveryTargets.find).
    private static final String ID_PREFIX = "sub_";

    public static String newId() {
        return ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
    }

    public static boolean isSubscriptionId(String targetId) {
        return targetId.startsWith(ID_PREFIX);
    }

    public boolean matches(ProviderType leadProvider) {
        return providerType == leadProvider && ("*".equals(eventType) || "leadgen".equals(eventType));
    }

    public DeliveryTarget target() {
        Map<String, String> config = new HashMap<>();
        config.put(CALLBACK_URL, callbackUrl);
        config.put(EVENT_TYPE, eventType);
        config.put(PROVIDER_TYPE, providerType.wireName());
        if (callbackSecret != null) {
            config.put(CALLBACK_SECRET, callbackSecret);
        }
        return new DeliveryTarget(subscriptionId, accountId, TARGET_TYPE, "webhook " + callbackUrl, true, config,
                Map.of());
    }

    @Override
    public String toString() {
        return "Subscription[" + subscriptionId + ", account=" + accountId + ", " + callbackUrl + "]";
    }
}
