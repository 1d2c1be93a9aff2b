package com.leadsync.delivery;

import com.leadsync.model.StoredLead;
import java.util.List;
import java.util.Set;

/**
 * The extension point for a place leads are delivered to (HubSpot, a custom HTTP CRM, a webhook
 * subscriber...). One implementation per package under {@code delivery/}; the engine around it owns
 * retries, backoff, dedup and the attempt log, so an implementation does one send and classifies it.
 */
public interface Destination {

    /** The {@code type} value of destinations it serves ("hubspot", "http", "webhook"). */
    String type();

    /** Config keys holding secrets: accepted on write, never returned or logged. */
    Set<String> secretKeys();

    /** Problems with a destination's config, as human sentences; empty when it is usable. */
    List<String> validate(DeliveryTarget target);

    /** Sends one lead once; throws a classified {@link DeliveryException} on failure. */
    DeliveryReceipt send(DeliveryTarget target, StoredLead lead, DeliveryContext context) throws DeliveryException;
}
