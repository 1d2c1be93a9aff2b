package com.leadsync.delivery;

import com.leadsync.event.EventTypes;
import com.leadsync.model.ProviderType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A webhook subscriber: events about {@code providerType}'s leads, connections and imports are sent to
 * {@code callbackUrl}, signed when a secret is set. {@code eventTypes}, when given, alone decides which events; without
 * it, {@code eventType} {@code *}/{@code leadgen} means {@code lead.created} only (contract §9). Delivered as a
 * destination of type {@link #TARGET_TYPE} whose config holds these fields under the keys below. A disabled one gets
 * nothing new, and what was queued for it ends as {@code failed} ("destination is disabled"), as for a destination.
 */
public record Subscription(
        String subscriptionId,
        String accountId,
        ProviderType providerType,
        String callbackUrl,
        String eventType,
        String callbackSecret,
        Instant createdAt,
        List<String> eventTypes,
        boolean enabled) {

    public static final String TARGET_TYPE = "webhook";
    public static final String CALLBACK_URL = "callbackUrl";
    public static final String CALLBACK_SECRET = "callbackSecret";
    public static final String EVENT_TYPE = "eventType";
    public static final String PROVIDER_TYPE = "providerType";
    /** The config key of {@code eventTypes}, comma-separated (event type names have no comma). */
    public static final String EVENT_TYPES = "eventTypes";

    // Destination ids start with dst_: the prefix tells the two stores apart (see DeliveryTargets.find).
    private static final String ID_PREFIX = "sub_";

    public Subscription {
        eventTypes = eventTypes == null ? null : List.copyOf(eventTypes);
    }

    /** An enabled subscription. */
    public Subscription(String subscriptionId, String accountId, ProviderType providerType, String callbackUrl,
            String eventType, String callbackSecret, Instant createdAt, List<String> eventTypes) {
        this(subscriptionId, accountId, providerType, callbackUrl, eventType, callbackSecret, createdAt, eventTypes,
                true);
    }

    /** A subscription of the first contract: lead forwards only. */
    public Subscription(String subscriptionId, String accountId, ProviderType providerType, String callbackUrl,
            String eventType, String callbackSecret, Instant createdAt) {
        this(subscriptionId, accountId, providerType, callbackUrl, eventType, callbackSecret, createdAt, null);
    }

    public static String newId() {
        return ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
    }

    public static boolean isSubscriptionId(String targetId) {
        return targetId.startsWith(ID_PREFIX);
    }

    /**
     * Whether events of {@code type} about {@code provider}'s leads, connections or imports come here (never while
     * disabled).
     */
    public boolean wants(String type, ProviderType provider) {
        if (!enabled || providerType != provider) {
            return false;
        }
        if (eventTypes != null) {
            return eventTypes.contains(type);
        }
        return EventTypes.LEAD_CREATED.equals(type) && ("*".equals(eventType) || "leadgen".equals(eventType));
    }

    public DeliveryTarget target() {
        Map<String, String> config = new HashMap<>();
        config.put(CALLBACK_URL, callbackUrl);
        config.put(EVENT_TYPE, eventType);
        config.put(PROVIDER_TYPE, providerType.wireName());
        if (eventTypes != null) {
            config.put(EVENT_TYPES, String.join(",", eventTypes));
        }
        if (callbackSecret != null) {
            config.put(CALLBACK_SECRET, callbackSecret);
        }
        return new DeliveryTarget(subscriptionId, accountId, TARGET_TYPE, "webhook " + callbackUrl, enabled, config,
                Map.of());
    }

    @Override
    public String toString() {
        return "Subscription[" + subscriptionId + ", account=" + accountId + ", " + callbackUrl + "]";
    }
}
