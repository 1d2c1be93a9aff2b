package com.leadsync.delivery;

import com.leadsync.event.Event;
import com.leadsync.event.EventTypes;
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

    DeliveryTargets(DestinationRepository destinations, SubscriptionRepository subscriptions, RoutedTargets routed,
            LeadRepository leads) {
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
        return routed.owns(key) ? routed.leadFor(leadId, key) : leads.get(leadId).map(LeadRecord::lead);
    }

    /**
     * Where this lead goes now: the account's enabled destinations (but those that receive leads from flows only) and
     * the subscriptions matching its provider.
     */
    public List<DeliveryTarget> forLead(StoredLead lead) {
        List<DeliveryTarget> targets = new ArrayList<>();
        destinations.listByAccount(lead.accountId()).stream().filter(d -> d.enabled() && !d.flowsOnly())
                .map(DestinationConfig::target).forEach(targets::add);
        subscriptions.listByAccount(lead.accountId()).stream()
                .filter(s -> s.wants(EventTypes.LEAD_CREATED, lead.providerType()))
                .map(Subscription::target).forEach(targets::add);
        return targets;
    }

    /** A new lead's deliveries: {@link #forLead} and what its flows route it to (routed once; see {@link RoutedTargets}). */
    List<RoutedTargets.Route> routeNew(StoredLead lead) {
        List<RoutedTargets.Route> routes = new ArrayList<>(asRoutes(forLead(lead)));
        routes.addAll(routed.route(lead));
        return routes;
    }

    /** A lead's deliveries now, for a push: {@link #forLead} and what its flows routed it to when it was new. */
    List<RoutedTargets.Route> current(StoredLead lead) {
        List<RoutedTargets.Route> routes = new ArrayList<>(asRoutes(forLead(lead)));
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
