package com.leadsync.walk;

import com.leadsync.connect.Connection;
import com.leadsync.source.LeadLister;
import com.leadsync.source.ListRequest;

/**
 * One invocation's share of a walk: list {@code connection}'s leads with {@code lister} from
 * {@code request.position()} on, record each page in {@code ledger}, and stop at the first page boundary
 * where {@code time} has no room for another page. {@code via} names the path on the ingest messages
 * ({@code poll}, {@code import}); {@code key} names the walk in logs and probe points.
 */
public record WalkStep(Connection connection, LeadLister lister, ListRequest request, WalkLedger ledger, String via,
        String key, TimeBox time) {
}
