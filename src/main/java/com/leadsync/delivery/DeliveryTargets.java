package com.leadsync.delivery;

import com.leadsync.event.Event;
import com.leadsync.event.EventTypes;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every kind of place a lead can go, seen as {@link DeliveryTarget}s: the account's CRM destinations and its webhook
 * subscriptions (a {@code webhook} destination kept in a store of its own, behind the contract's
 * {@code /webhooks/*} routes). The engine and the dispatcher ask here and never learn which store a target lives in.
 */
@ApplicationScoped
public class DeliveryTargets {

    private final DestinationRepository destinations;
    private final SubscriptionRepository subscriptions;

    DeliveryTargets(DestinationRepository destinations, SubscriptionRepository subscriptions) {
        this.destinations = destinations;
        this.subscriptions = subscriptions;
    }

    /** The target a delivery record names, disabled or not; empty once it was deleted. */
    public Optional<DeliveryTarget> find(String targetId) {
        if (Subscription.isSubscriptionId(targetId)) {
            return subscriptions.get(targetId).map(Subscription::target);
        }
        return destinations.get(targetId).map(DestinationConfig::target);
    }

    /** Where this lead goes now: the account's enabled destinations and the subscriptions matching its provider. */
    public List<DeliveryTarget> forLead(StoredLead lead) {
        List<DeliveryTarget> targets = new ArrayList<>();
        destinations.listByAccount(lead.accountId()).stream().filter(DestinationConfig::enabled)
                .map(DestinationConfig::target).forEach(targets::add);
        subscriptions.listByAccount(lead.accountId()).stream()
                .filter(s -> s.wants(EventTypes.LEAD_CREATED, lead.providerType()))
                .map(Subscription::target).forEach(targets::add);
        return targets;
    }

    /** Where this event goes: the account's subscriptions that asked for its type and provider. */
    public List<DeliveryTarget> forEvent(Event event) {
        return subscriptions.listByAccount(event.accountId()).stream()
                .filter(s -> s.wants(event.type(), event.providerType()))
                .map(Subscription::target).toList();
    }
}
