package com.leadsync.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.model.StoredLead;
import java.util.List;
import java.util.Optional;

/**
 * Deliveries a lead is routed to by something the account configured beyond its destinations and subscriptions: its
 * flows (implemented in {@code flow/}). Such a delivery is named by a key of its own ({@link #owns}) and may send a
 * changed copy of the lead ({@link #leadFor}); the engine sends, retries and records it like any other.
 */
public interface RoutedTargets {

    /** One routed delivery: its record key and the type of target it sends to. */
    record Route(String key, String targetType) {
    }

    /**
     * A routed delivery as people read it: the flow, its version and step that asked for it, and where it sends (a
     * destination's id, or a webhook step's url).
     */
    record Described(String flowId, long flowVersion, String step, String destinationId, String url) {

        /** Written into a delivery's JSON (the lead's deliveries, {@code delivery.failed}) over its key. */
        public void writeTo(ObjectNode node) {
            node.put("destinationId", destinationId);
            node.put("flowId", flowId);
            node.put("flowVersion", flowVersion);
            node.put("flowStep", step);
            if (url != null) {
                node.put("url", url);
            }
        }
    }

    /** Whether {@code key} names a routed delivery. */
    boolean owns(String key);

    /**
     * Routes a new lead, once: what routed it before (a redelivered message) is returned as it was; nothing routes it
     * again later. Called before the lead's deliveries are created.
     */
    List<Route> route(StoredLead lead);

    /** What {@link #route} routed the lead to (a manual push sends these again). */
    List<Route> routed(StoredLead lead);

    /**
     * Where the delivery {@code key} sends: a target whose {@code targetId} is what it sends through (a destination's
     * id, for its tokens and rate limit); empty once it cannot be resolved.
     */
    Optional<DeliveryTarget> find(String key);

    /** What the delivery {@code key} is; empty when it is not a routed delivery or cannot be resolved. */
    Optional<Described> describe(String key);

    /** The copy of lead {@code leadId} the delivery {@code key} sends. */
    Optional<StoredLead> leadFor(String leadId, String key);
}
