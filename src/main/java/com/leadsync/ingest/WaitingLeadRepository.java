package com.leadsync.ingest;

import java.time.Instant;
import java.util.List;

/**
 * Leads waiting for their connection (not connected yet, or parked), per route, with a TTL
 * (implemented in {@code store/}).
 */
public interface WaitingLeadRepository {

    record Waiting(List<UnroutedNotice> notices, boolean more) {
    }

    /** Keeps the notices (one per lead) and counts them on the route's counter. */
    void record(String routeKey, List<UnroutedNotice> notices, Instant expiresAt);

    /** Events counted for that route since its counter was created (what an operator sees). */
    long events(String routeKey);

    /** Up to {@code limit} notices waiting on that route; {@code more} when there may be others. */
    Waiting waiting(String routeKey, int limit);

    /** How many notices wait on that route. */
    long waiting(String routeKey);

    void remove(String routeKey, List<UnroutedNotice> notices);
}
