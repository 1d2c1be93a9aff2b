package com.leadsync.delivery;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Send {@code generation} of lead {@code leadId} to target {@code targetId}: the body of a deliver-queue message. */
@RegisterForReflection
public record DeliverMessage(String leadId, String targetId, long generation) {
}
