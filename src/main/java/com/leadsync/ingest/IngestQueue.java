package com.leadsync.ingest;

import java.util.List;

/** The ingest queue, as the pipeline needs it (implemented in {@code queue/}). */
public interface IngestQueue {

    void publishIngest(List<IngestMessage> messages);
}
