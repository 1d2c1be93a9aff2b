package com.leadsync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.model.Connection;
import com.leadsync.ops.LogContext;
import com.leadsync.source.LeadNotice;
import java.time.Instant;

/** The one place an ingest message is made from a routed notice, whichever path found the lead. */
public final class IngestMessages {

    private IngestMessages() {
    }

    /** {@code via} says which path found it (and a new trace id starts there): {@code webhook}, {@code poll}, {@code import}, {@code unrouted}. */
    public static IngestMessage of(Connection c, LeadNotice n, String via, Instant now) {
        return new IngestMessage(c.accountId(), c.connectionId(), n.providerType(), n.externalId(), n.providerLeadId(),
                n.formId(), n.adId(), n.createdTime(), via, now, n.hasPayload() ? n.payload() : null, null, 0,
                LogContext.newTraceId());
    }

    /** A lead that waited for its connection; {@code payload} is its inline payload read back, if it had one. */
    static IngestMessage ofWaiting(Connection c, UnroutedNotice n, JsonNode payload, Instant now) {
        return new IngestMessage(c.accountId(), c.connectionId(), n.providerType(), n.externalId(), n.providerLeadId(),
                n.formId(), n.adId(), n.createdTime(), "unrouted", now, payload, n.payloadRef(), 0,
                n.traceId() != null ? n.traceId() : LogContext.newTraceId());
    }
}
