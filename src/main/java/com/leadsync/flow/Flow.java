package com.leadsync.flow;

import java.time.Instant;
import java.util.List;

/**
 * A customer's flow (contract §8): run on every new lead of its account that its {@link Trigger} matches. Every
 * write makes a new {@code version}, kept for good: a lead's flow deliveries name the version that routed it, so an
 * edit (or a delete) never changes where an already routed lead goes, and never re-runs it.
 */
public record Flow(
        String flowId,
        String accountId,
        String name,
        boolean enabled,
        Trigger trigger,
        List<Step> steps,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    static final String ID_PREFIX = "flw_";

    public Flow {
        trigger = trigger == null ? Trigger.ANY : trigger;
        steps = List.copyOf(steps);
    }

    public static String newId() {
        return ID_PREFIX + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    /** This flow as the next version: same id, account and creation time. */
    public Flow next(String name, boolean enabled, Trigger trigger, List<Step> steps, Instant at) {
        return new Flow(flowId, accountId, name, enabled, trigger, steps, version + 1, createdAt, at);
    }
}
