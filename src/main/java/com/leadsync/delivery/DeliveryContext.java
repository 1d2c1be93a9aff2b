package com.leadsync.delivery;

/**
 * Facts about the delivery a destination may need: a key that stays the same for every retry of one
 * generation of a (lead, target) pair and changes with each manual push, usable as the receiving side's
 * idempotency key (a receiver that dedupes drops our retries, yet still takes a push).
 */
public record DeliveryContext(String idempotencyKey) {

    public static DeliveryContext of(String leadId, String targetId, long generation) {
        return new DeliveryContext("msg_" + leadId + "_" + targetId + "_" + generation);
    }
}
