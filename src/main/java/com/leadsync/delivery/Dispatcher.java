package com.leadsync.delivery;

import com.leadsync.lead.LeadRepository;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hands a stored lead to its deliveries: one deliver message per enabled destination, per matching webhook
 * subscription and per delivery its flows route it to. No record is written here: each delivery's first message
 * creates it when it takes the lease ({@link DeliveryRepository.FirstRecord}), which saves a write per target and
 * lead; until then the lead's own item names its routes, so its views show those deliveries pending.
 */
@ApplicationScoped
public class Dispatcher {

    private final DeliveryTargets targets;
    private final DeliveryRepository deliveries;
    private final DeliveryQueue queue;
    private final Clock clock;
    private final Duration watchdog;
    private final LeadRepository leads;

    Dispatcher(DeliveryTargets targets, DeliveryRepository deliveries, DeliveryQueue queue, LeadRepository leads,
            Clock clock, @ConfigProperty(name = "leadsync.delivery.watchdog") Duration watchdog) {
        this.leads = leads;
        this.clock = clock;
        this.watchdog = watchdog;
        this.targets = targets;
        this.deliveries = deliveries;
        this.queue = queue;
    }

    /** A first delivery's generation: its record is created by the message that sends it. */
    static final long FIRST_GENERATION = 1;

    /**
     * First delivery of a new lead, its flows run on it first; returns where it was sent. Safe to repeat: a
     * delivery already made (or pushed to a newer generation since) skips the repeated message, and flow runs are
     * kept.
     */
    public List<RoutedTargets.Route> dispatch(StoredLead lead, String traceId) {
        List<RoutedTargets.Route> routes = targets.routeNew(lead);
        publish(lead.leadId(), routes, traceId, lead);
        return routes;
    }

    /** First delivery of what {@code itemId} names (an event) to {@code routes}; safe to repeat. */
    int dispatch(String itemId, List<RoutedTargets.Route> routes, String traceId) {
        return publish(itemId, routes, traceId, null);
    }

    /** {@code lead}: the stored lead {@code itemId} is, carried by the messages of the deliveries that send it. */
    private int publish(String itemId, List<RoutedTargets.Route> routes, String traceId, StoredLead lead) {
        List<DeliverMessage> messages = routes.stream().map(r -> new DeliverMessage(itemId, r.key(), FIRST_GENERATION,
                traceId, lead != null && targets.sendsStoredLead(r.key()) ? lead : null)).toList();
        queue.publishDeliver(messages);
        return messages.size();
    }

    /**
     * Pushes the targets whose delivery is missing or not delivered, leaving alone those in flight (a push
     * must not supersede them); returns how many were queued.
     */
    public int pushUndelivered(StoredLead lead) {
        Instant now = clock.instant();
        Map<String, DeliveryRecord> current = new HashMap<>();
        deliveries.listForLead(lead.leadId()).forEach(d -> current.put(d.targetId(), d));
        List<DeliverMessage> messages = new ArrayList<>();
        Map<String, String> opened = new LinkedHashMap<>();
        for (RoutedTargets.Route r : targets.current(lead)) {
            DeliveryRecord d = current.get(r.key());
            if (d != null && (d.status() == DeliveryStatus.DELIVERED || d.inFlight(now.toEpochMilli()))) {
                continue;
            }
            nextGeneration(lead.leadId(), lead.accountId(), r.key(), r.targetType(), now).ifPresent(m -> {
                messages.add(m);
                opened.put(r.key(), r.targetType());
            });
        }
        // Named on the lead before queued: its listing finds every delivery a push opened (each is in the due
        // index, so a crash before the queueing is re-queued by the sweep).
        leads.addRoutes(lead.leadId(), opened);
        queue.publishDeliver(messages);
        return messages.size();
    }

    /** What a manual push did: {@code queued} deliveries, or none because one of the lead's is in flight. */
    public record Push(int queued, boolean inFlight) {
    }

    /**
     * A manual push: a new generation for every current target, delivered or not — unless a delivery of the
     * lead is still in flight, so that repeated pushes cannot pile up sends. (Each target's write checks it
     * again, so a concurrent push cannot slip in between the look and the writes.)
     */
    public Push push(StoredLead lead) {
        Instant now = clock.instant();
        if (deliveries.listForLead(lead.leadId()).stream().anyMatch(d -> d.inFlight(now.toEpochMilli()))) {
            return new Push(0, true);
        }
        List<DeliverMessage> messages = new ArrayList<>();
        Map<String, String> opened = new LinkedHashMap<>();
        boolean inFlight = false;
        for (RoutedTargets.Route r : targets.current(lead)) {
            Optional<DeliverMessage> next = nextGeneration(lead.leadId(), lead.accountId(), r.key(), r.targetType(),
                    now);
            if (next.isEmpty()) {
                // A concurrent push got there first; what this one already opened is still queued below.
                inFlight = true;
                break;
            }
            messages.add(next.get());
            opened.put(r.key(), r.targetType());
        }
        // Named on the lead before queued: its listing finds every delivery a push opened (each is in the due
        // index, so a crash before the queueing is re-queued by the sweep).
        leads.addRoutes(lead.leadId(), opened);
        queue.publishDeliver(messages);
        return new Push(messages.size(), inFlight);
    }

    /**
     * A new generation of the delivery of {@code leadId} to {@code targetId}, as the message that sends it (the caller
     * queues it); empty when a delivery of the pair is in flight, which a new generation must not supersede.
     */
    Optional<DeliverMessage> nextGeneration(String leadId, String accountId, String targetId, String targetType,
            Instant now) {
        return deliveries.newGeneration(leadId, targetId, accountId, targetType, now, watchdogAt(now))
                .map(g -> new DeliverMessage(leadId, targetId, g.generation(), g.traceId()));
    }

    /** When the retry sweep should assume a queued delivery's message was lost and queue it again. */
    private Instant watchdogAt(Instant now) {
        return now.plus(watchdog);
    }
}
