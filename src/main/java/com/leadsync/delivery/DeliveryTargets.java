package com.leadsync.delivery;

import com.leadsync.event.Event;
import com.leadsync.lead.LeadRecord;
import com.leadsync.lead.LeadRepository;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every kind of place a lead can go, seen as {@link DeliveryTarget}s: the account's CRM destinations, its webhook
 * subscriptions (a {@code webhook} destination kept in a store of its own, behind the contract's
 * {@code /webhooks/*} routes) and the deliveries its flows route leads to ({@link RoutedTargets}). The engine and the
 * dispatcher ask here and never learn which store a target lives in.
 */
@ApplicationScoped
public class DeliveryTargets {

    private final DestinationRepository destinations;
    private final SubscriptionRepository subscriptions;
    private final RoutedTargets routed;
    private final LeadRepository leads;
    private final AccountTargets accounts;

    DeliveryTargets(DestinationRepository destinations, SubscriptionRepository subscriptions, RoutedTargets routed,
            LeadRepository leads, AccountTargets accounts) {
        this.accounts = accounts;
        this.destinations = destinations;
        this.subscriptions = subscriptions;
        this.routed = routed;
        this.leads = leads;
    }

    /** The target a delivery record names, disabled or not; empty once it was deleted. */
    public Optional<DeliveryTarget> find(String targetId) {
        if (routed.owns(targetId)) {
            return routed.find(targetId);
        }
        if (Subscription.isSubscriptionId(targetId)) {
            return subscriptions.get(targetId).map(Subscription::target);
        }
        return destinations.get(targetId).map(DestinationConfig::target);
    }

    /** What a flow's delivery is (its flow, step and destination); empty for a destination's or subscription's. */
    public Optional<RoutedTargets.Described> describe(String key) {
        return routed.owns(key) ? routed.describe(key) : Optional.empty();
    }

    /** The lead as the delivery {@code key} sends it: the stored lead, or the copy a flow made of it. */
    public Optional<StoredLead> leadFor(String leadId, String key) {
        return !sendsStoredLead(key) ? routed.leadFor(leadId, key) : leads.get(leadId).map(LeadRecord::lead);
    }

    /** Whether the delivery {@code key} sends the stored lead as it is (a flow's delivery may send a changed copy). */
    boolean sendsStoredLead(String key) {
        return !routed.owns(key);
    }

    /**
     * A new lead's deliveries: the account's enabled destinations (but those that receive leads from flows only), the
     * subscriptions matching its provider (both from {@link AccountTargets}' short cache) and what its flows route it
     * to (routed once; see {@link RoutedTargets}).
     */
    List<RoutedTargets.Route> routeNew(StoredLead lead) {
        List<RoutedTargets.Route> routes = new ArrayList<>(accounts.of(lead.accountId()).forLead(lead));
        routes.addAll(routed.route(lead));
        return routes;
    }

    /** A lead's deliveries now, for a push: as {@link #routeNew}, read now, and what its flows routed it to when new. */
    List<RoutedTargets.Route> current(StoredLead lead) {
        List<RoutedTargets.Route> routes = new ArrayList<>(accounts.now(lead.accountId()).forLead(lead));
        routes.addAll(routed.routed(lead));
        return routes;
    }

    static List<RoutedTargets.Route> asRoutes(List<DeliveryTarget> targets) {
        return targets.stream().map(t -> new RoutedTargets.Route(t.targetId(), t.type())).toList();
    }

    /** Where this event goes: the account's subscriptions that asked for its type and provider. */
    public List<DeliveryTarget> forEvent(Event event) {
        return subscriptions.listByAccount(event.accountId()).stream()
                .filter(s -> s.wants(event.type(), event.providerType()))
                .map(Subscription::target).toList();
    }
}
