package com.leadsync.ingest;

import java.time.Duration;
import java.util.List;

/** The ingest queue, as the pipeline needs it (implemented in {@code queue/}). */
public interface IngestQueue {

    /** SQS's longest delivery delay. */
    Duration MAX_DELAY = Duration.ofMinutes(15);

    void publishIngest(List<IngestMessage> messages);

    /** One message, delivered after {@code delay} (at most {@link #MAX_DELAY}). */
    void publishIngest(IngestMessage message, Duration delay);
}
