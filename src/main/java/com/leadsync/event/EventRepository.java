package com.leadsync.event;

import java.util.Optional;

/** Events kept while their deliveries may still be sent or retried (implemented in {@code store/}). */
public interface EventRepository {

    /** Stores it unless an event with its id is stored; returns the stored one (the first, with its time). */
    Event putIfAbsent(Event event);

    Optional<Event> get(String eventId);
}
