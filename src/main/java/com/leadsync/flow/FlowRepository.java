package com.leadsync.flow;

import java.util.List;
import java.util.Optional;

/**
 * Flows and every version of each (implemented in {@code store/}). A version, once written, never changes and
 * outlives the flow's deletion: deliveries of leads it routed still resolve through it.
 */
public interface FlowRepository {

    /** Thrown when the flow changed (or went) since the version an update started from. */
    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** Writes version 1 of a new flow. */
    void create(Flow flow);

    /** Writes {@code next} (version n+1) over version n; {@link Conflict} when the current version is not n. */
    void update(Flow next);

    /** The current version; empty once deleted. */
    Optional<Flow> get(String flowId);

    /** That version, deleted flow or not. */
    Optional<Flow> version(String flowId, long version);

    /** The account's flows (current versions), in creation order. */
    List<Flow> listByAccount(String accountId);

    int countByAccount(String accountId);

    /** True when this call removed it. Its versions stay. */
    boolean delete(String flowId);
}
