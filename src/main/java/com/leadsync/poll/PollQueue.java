package com.leadsync.poll;

import com.leadsync.ingest.IngestQueue;
import java.time.Duration;
import java.util.List;

/** The poll queue, as polling needs it (implemented in {@code queue/}). */
public interface PollQueue {

    /** SQS's longest delivery delay. */
    Duration MAX_DELAY = IngestQueue.MAX_DELAY;

    void publishPoll(List<PollMessage> messages);

    /** One poll message, delivered after {@code delay} (at most {@link #MAX_DELAY}). */
    void publishPoll(PollMessage message, Duration delay);
}
