package com.leadsync.imports;

import java.time.Duration;

/** The import queue (implemented in {@code queue/}). */
public interface ImportQueue {

    /** SQS's longest delivery delay. */
    Duration MAX_DELAY = Duration.ofMinutes(15);

    /** {@code delay}: 0 to {@link #MAX_DELAY}. */
    void publishImport(ImportMessage message, Duration delay);
}
