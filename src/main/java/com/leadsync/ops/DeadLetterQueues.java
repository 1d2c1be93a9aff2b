package com.leadsync.ops;

import java.util.List;

/**
 * The pipeline's dead-letter queues: how many messages each holds, and moving them back to the queue they came
 * from (a message dead-lettered after its receives ran out is work not done yet: every step it names is safe to do
 * again).
 */
public interface DeadLetterQueues {

    /** The pipeline queues that have a dead-letter queue, as the routes name them. */
    List<String> QUEUES = List.of("ingest", "deliver", "poll", "import");

    /**
     * One dead-letter queue: {@code messages} visible in it, {@code inFlight} received and not yet deleted (a move
     * in progress), and the move task running on it, if any.
     */
    record Depth(String queue, String deadLetterQueue, long messages, long inFlight, MoveTask moveTask) {
    }

    /** A move of messages back to their queue, as SQS reports it ({@code status} RUNNING, COMPLETED, …). */
    record MoveTask(String taskHandle, String status, long moved, long toMove, String failureReason) {
    }

    /** A redrive started: how many messages the dead-letter queue held when it began, and its task. */
    record Redrive(String queue, String deadLetterQueue, long messages, String taskHandle) {
    }

    /** A move of that dead-letter queue is running already: SQS runs one at a time per queue. */
    final class MoveInProgress extends RuntimeException {
        public MoveInProgress(String message) {
            super(message);
        }
    }

    /** The queue service did not answer: nothing was started. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    List<Depth> depths();

    /**
     * Starts moving every message of {@code queue}'s dead-letter queue back to {@code queue}; one with no message
     * starts nothing ({@code taskHandle} null).
     *
     * @throws IllegalArgumentException when {@code queue} is not one of {@link #QUEUES}
     * @throws MoveInProgress when a move of that dead-letter queue is running already
     */
    Redrive redrive(String queue);
}
