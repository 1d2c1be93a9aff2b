package com.leadsync.ingest;

import java.time.Duration;
import java.util.List;

/**
 * The ingest queue, as the pipeline needs it (implemented in {@code queue/}). It takes messages whatever the size of
 * their payloads: each passes {@link OversizedPayloads#forQueue} on the way, so one too big travels by reference.
 */
public interface IngestQueue {

    /** SQS's longest delivery delay. */
    Duration MAX_DELAY = Duration.ofMinutes(15);

    void publishIngest(List<IngestMessage> messages);

    /** One message, delivered after {@code delay} (at most {@link #MAX_DELAY}). */
    void publishIngest(IngestMessage message, Duration delay);
}
