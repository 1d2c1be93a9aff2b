package com.leadsync.event;

/**
 * Where the code that sees something happen hands its event: the delivery side sends it to the subscriptions that
 * asked for it. Emitting the same event again (same id) is harmless, so an emitter retried after a crash emits again
 * rather than guess whether its first emit landed.
 */
public interface EventSink {

    /** Stores the event and queues one delivery per subscription that wants it; returns how many were queued. */
    int emit(Event event);
}
