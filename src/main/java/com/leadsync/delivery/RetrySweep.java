package com.leadsync.delivery;

import com.leadsync.queue.DeliverMessage;
import com.leadsync.queue.QueuePublisher;
import com.leadsync.store.DeliveryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/**
 * The scheduled retry: re-queues deliveries whose {@code nextAttemptAt} has come. Queue first, then take
 * the record out of the retry index, so a crash in between re-queues once more (and the deliver step
 * drops the duplicate) instead of losing the retry.
 */
@ApplicationScoped
public class RetrySweep {

    private static final int PAGE = 100;
    private static final int MAX_PAGES = 50;

    private final DeliveryStore deliveries;
    private final QueuePublisher queue;
    private final Clock clock;

    RetrySweep(DeliveryStore deliveries, QueuePublisher queue, Clock clock) {
        this.deliveries = deliveries;
        this.queue = queue;
        this.clock = clock;
    }

    /** Returns how many deliveries were re-queued. */
    public int run() {
        int requeued = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            List<DeliveryStore.Due> due = deliveries.due(clock.instant(), PAGE);
            if (due.isEmpty()) {
                break;
            }
            queue.publishDeliver(due.stream().map(d -> new DeliverMessage(d.leadId(), d.targetId(), d.generation()))
                    .toList());
            for (DeliveryStore.Due d : due) {
                if (deliveries.markRequeued(d)) {
                    requeued++;
                }
            }
            if (due.size() < PAGE) {
                break;
            }
        }
        return requeued;
    }
}
