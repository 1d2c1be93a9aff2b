package com.leadsync.delivery;

/**
 * Facts about the delivery a destination may need: a key that stays the same for every retry of this
 * (lead, target) pair, usable as the receiving side's idempotency key.
 */
public record DeliveryContext(String idempotencyKey) {
}
