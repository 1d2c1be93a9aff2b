package com.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The scheduled retry: re-queues deliveries whose {@code nextAttemptAt} has come, and queued ones whose
 * watchdog expired (their message was lost, e.g. dead-lettered); a finished delivery it meets in the due
 * index is taken out of it. Queue first, then move the record's due
 * time to a new watchdog, so a crash in between re-queues once more (and the deliver step drops the
 * duplicate) instead of losing the retry.
 */
@ApplicationScoped
public class RetrySweep {

    private static final int PAGE = 100;
    private static final int MAX_PAGES = 50;

    private final DeliveryRepository deliveries;
    private final DeliveryQueue queue;
    private final Clock clock;

    private final Duration watchdog;

    RetrySweep(DeliveryRepository deliveries, DeliveryQueue queue, Clock clock,
            @ConfigProperty(name = "leadsync.delivery.watchdog") Duration watchdog) {
        this.watchdog = watchdog;
        this.deliveries = deliveries;
        this.queue = queue;
        this.clock = clock;
    }

    /** Returns how many deliveries were re-queued. */
    public int run() {
        int requeued = 0;
        Instant now = clock.instant();
        DeliveryRepository.Due from = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            DeliveryRepository.DuePage due = deliveries.due(now, PAGE, from);
            List<DeliveryRepository.Due> live = due.items().stream().filter(d -> !d.finished()).toList();
            if (!live.isEmpty()) {
                queue.publishDeliver(live.stream()
                        .map(d -> new DeliverMessage(d.leadId(), d.targetId(), d.generation(), d.traceId())).toList());
                Instant watchdogAt = clock.instant().plus(watchdog);
                for (DeliveryRepository.Due d : live) {
                    if (deliveries.markRequeued(d, watchdogAt)) {
                        requeued++;
                    } else {
                        // The index lags the table: it may have finished meanwhile.
                        deliveries.dropFinishedFromDue(d);
                    }
                }
            }
            // A finished row left in the index would be met on every run and crowd out real retries.
            due.items().stream().filter(DeliveryRepository.Due::finished).forEach(deliveries::dropFinishedFromDue);
            from = due.next();
            if (from == null) {
                break;
            }
        }
        return requeued;
    }
}
