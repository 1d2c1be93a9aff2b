package com.leadsync.walk;

import com.leadsync.model.Connection;
import com.leadsync.source.LeadLister;
import com.leadsync.source.ListRequest;
import java.time.Instant;

/**
 * One invocation's share of a walk: list {@code connection}'s leads with {@code lister} from
 * {@code request.position()} on, record each page in {@code ledger}, and stop at the first page boundary
 * after {@code deadline}. {@code via} names the path on the ingest messages ({@code poll}, {@code import});
 * {@code key} names the walk in logs and probe points.
 */
public record WalkStep(Connection connection, LeadLister lister, ListRequest request, WalkLedger ledger, String via,
        String key, Instant deadline) {
}
