package com.leadsync.delivery;

import com.leadsync.event.Event;
import com.leadsync.event.EventRepository;
import com.leadsync.event.EventSink;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Events go out as deliveries like lead forwards: one delivery record (named by the event id where a lead's is named
 * by the lead id) and one deliver message per subscription that asked for it, sent, signed and retried by the same
 * engine. The event is stored first, so every message finds what it sends; the first stored copy is the one sent.
 */
@ApplicationScoped
public class EventDeliveries implements EventSink {

    private static final Logger LOG = Logger.getLogger(EventDeliveries.class);

    private final EventRepository events;
    private final DeliveryTargets targets;
    private final Dispatcher dispatcher;

    EventDeliveries(EventRepository events, DeliveryTargets targets, Dispatcher dispatcher) {
        this.events = events;
        this.targets = targets;
        this.dispatcher = dispatcher;
    }

    @Override
    public int emit(Event event) {
        var wanting = targets.forEvent(event);
        if (wanting.isEmpty()) {
            return 0;
        }
        Event stored = events.putIfAbsent(event);
        int queued = dispatcher.dispatch(stored.eventId(), DeliveryTargets.asRoutes(wanting), null);
        LOG.infof("event %s (%s, account %s): %d delivery(ies) queued", stored.eventId(), stored.type(),
                stored.accountId(), queued);
        return queued;
    }
}
