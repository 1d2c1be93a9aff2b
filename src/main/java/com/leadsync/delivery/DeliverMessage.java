package com.leadsync.delivery;

import com.leadsync.model.StoredLead;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Send {@code generation} of lead {@code leadId} to target {@code targetId}: the body of a deliver-queue message.
 * {@code traceId}: the lead's (see {@link com.leadsync.ops.LogContext}); null for an event, and in messages from
 * before it was carried.
 *
 * <p>{@code lead}: the stored lead itself, when the message carries it (the first dispatch of a lead to a destination
 * or subscription, if it fits one SQS billing chunk): the deliver step then does not read it back. A stored lead never
 * changes, so the copy is the lead. Null when the deliver step reads it: an event, a flow's copy, a push, a retry.
 */
@RegisterForReflection
public record DeliverMessage(String leadId, String targetId, long generation, String traceId, StoredLead lead) {

    public DeliverMessage {
        if (lead != null && !lead.leadId().equals(leadId)) {
            throw new IllegalArgumentException("a deliver message for " + leadId + " carries lead " + lead.leadId());
        }
    }

    public DeliverMessage(String leadId, String targetId, long generation, String traceId) {
        this(leadId, targetId, generation, traceId, null);
    }

    /** The same message, reading its lead back from the store (for a lead too big to travel). */
    public DeliverMessage withoutLead() {
        return lead == null ? this : new DeliverMessage(leadId, targetId, generation, traceId);
    }

    /** Without the lead's content: messages appear in logs and exceptions. */
    @Override
    public String toString() {
        return "DeliverMessage[" + leadId + " → " + targetId + ", generation " + generation
                + (lead != null ? ", lead carried" : "") + "]";
    }
}
