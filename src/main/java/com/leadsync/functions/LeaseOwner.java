package com.leadsync.functions;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.UUID;

/**
 * Names one attempt at one SQS message, for leases. Unique per invocation: SQS may hand two copies of the
 * same message to two workers at once, and they must not both believe they hold the lease.
 */
final class LeaseOwner {
    private LeaseOwner() {
    }

    static String of(SQSEvent.SQSMessage message) {
        return message.getMessageId() + "/" + UUID.randomUUID();
    }
}
