package com.leadsync.delivery;

import com.leadsync.delivery.forward.Subscription;
import com.leadsync.lead.StoredLead;
import com.leadsync.queue.DeliverMessage;
import com.leadsync.queue.QueuePublisher;
import com.leadsync.store.DeliveryStore;
import com.leadsync.store.DestinationStore;
import com.leadsync.store.SubscriptionStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands a stored lead to its deliveries: one record and one deliver message per enabled destination and
 * per matching webhook subscription. Records first, so a message never points at nothing.
 */
@ApplicationScoped
public class Dispatcher {

    private final DestinationStore destinations;
    private final SubscriptionStore subscriptions;
    private final DeliveryStore deliveries;
    private final QueuePublisher queue;
    private final java.time.Clock clock;
    private final java.time.Duration watchdog;

    Dispatcher(DestinationStore destinations, SubscriptionStore subscriptions, DeliveryStore deliveries,
            QueuePublisher queue, java.time.Clock clock,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "leadsync.delivery.watchdog")
            java.time.Duration watchdog) {
        this.clock = clock;
        this.watchdog = watchdog;
        this.destinations = destinations;
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.queue = queue;
    }

    /** The targets a lead goes to now. */
    public List<DeliveryTarget> targetsFor(StoredLead lead) {
        List<DeliveryTarget> targets = new ArrayList<>();
        destinations.listByAccount(lead.accountId()).stream().filter(DestinationConfig::enabled)
                .map(DestinationConfig::target).forEach(targets::add);
        subscriptions.listByAccount(lead.accountId()).stream().filter(s -> s.matches(lead.providerType()))
                .map(Subscription::target).forEach(targets::add);
        return targets;
    }

    /** First delivery of a lead; safe to repeat (existing records and generations are kept). */
    public int dispatch(StoredLead lead) {
        List<DeliverMessage> messages = new ArrayList<>();
        for (DeliveryTarget t : targetsFor(lead)) {
            long generation = deliveries.ensure(lead.leadId(), t.targetId(), lead.accountId(), t.type(), watchdogAt());
            messages.add(new DeliverMessage(lead.leadId(), t.targetId(), generation));
        }
        queue.publishDeliver(messages);
        return messages.size();
    }

    /** Pushes the targets whose delivery is missing or not delivered; returns how many were queued. */
    public int pushUndelivered(StoredLead lead) {
        java.util.Map<String, DeliveryStatus> status = new java.util.HashMap<>();
        deliveries.listForLead(lead.leadId()).forEach(d -> status.put(d.targetId(), d.status()));
        List<DeliverMessage> messages = new ArrayList<>();
        for (DeliveryTarget t : targetsFor(lead)) {
            if (status.get(t.targetId()) != DeliveryStatus.DELIVERED) {
                long generation = deliveries.newGeneration(lead.leadId(), t.targetId(), lead.accountId(), t.type(), watchdogAt());
                messages.add(new DeliverMessage(lead.leadId(), t.targetId(), generation));
            }
        }
        queue.publishDeliver(messages);
        return messages.size();
    }

    /** A manual push: a new generation for every current target, delivered or not. */
    public int push(StoredLead lead) {
        List<DeliverMessage> messages = new ArrayList<>();
        for (DeliveryTarget t : targetsFor(lead)) {
            long generation = deliveries.newGeneration(lead.leadId(), t.targetId(), lead.accountId(), t.type(), watchdogAt());
            messages.add(new DeliverMessage(lead.leadId(), t.targetId(), generation));
        }
        queue.publishDeliver(messages);
        return messages.size();
    }

    /** When the retry sweep should assume a queued delivery's message was lost and queue it again. */
    private java.time.Instant watchdogAt() {
        return clock.instant().plus(watchdog);
    }
}
