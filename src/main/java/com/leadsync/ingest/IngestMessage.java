package com.leadsync.ingest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One lead to ingest, already routed to an account: the body of an ingest-queue message. {@code payload} is
 * the provider's whole lead when the webhook or the list page carried it (normalize then maps it without a
 * fetch); {@code payloadRef} instead when that payload was too big for the queue and is kept aside
 * ({@link OversizedPayloads}); both null: normalize fetches the lead by its ids. {@code deferrals}: how many times a
 * rate-limited fetch has put this lead back on the queue (0 in messages from before it was counted).
 * {@code traceId}: minted where the lead was received (webhook, poll or import) and carried on by every message and
 * log line about it ({@link com.leadsync.ops.LogContext}); null only in messages from before it existed.
 */
@RegisterForReflection
public record IngestMessage(
        String accountId,
        String connectionId,
        ProviderType providerType,
        String externalId,
        String providerLeadId,
        String formId,
        String adId,
        Instant createdTime,
        String via,
        Instant queuedAt,
        JsonNode payload,
        String payloadRef,
        int deferrals,
        String traceId) {

    public IngestMessage {
        // Jackson reads "payload": null as a NullNode: no payload is null, whatever the route it took.
        payload = payload == null || payload.isNull() || payload.isMissingNode() ? null : payload;
        payloadRef = payloadRef == null || payloadRef.isBlank() ? null : payloadRef;
        if (payload != null && payloadRef != null) {
            throw new IllegalArgumentException("lead " + providerLeadId + ": a message carries its payload or a"
                    + " reference to it, not both");
        }
    }

    /** Our id of the lead this message is about. */
    @JsonIgnore
    public String leadId() {
        return new LeadIdentity(accountId, providerType, providerLeadId).leadId();
    }

    /** This message with its payload replaced by the reference of where it is kept. */
    public IngestMessage withPayloadRef(String ref) {
        return new IngestMessage(accountId, connectionId, providerType, externalId, providerLeadId, formId, adId,
                createdTime, via, queuedAt, null, ref, deferrals, traceId);
    }

    /** This message once more deferred. */
    public IngestMessage deferredAgain() {
        return new IngestMessage(accountId, connectionId, providerType, externalId, providerLeadId, formId, adId,
                createdTime, via, queuedAt, payload, payloadRef, deferrals + 1, traceId);
    }
}
