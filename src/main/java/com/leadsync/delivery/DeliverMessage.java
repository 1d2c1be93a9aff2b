package com.leadsync.delivery;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Send {@code generation} of lead {@code leadId} to target {@code targetId}: the body of a deliver-queue message.
 * {@code traceId}: the lead's (see {@link com.leadsync.ops.LogContext}); null for an event, and in messages from
 * before it was carried.
 */
@RegisterForReflection
public record DeliverMessage(String leadId, String targetId, long generation, String traceId) {
}
