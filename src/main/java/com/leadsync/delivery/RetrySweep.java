package com.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The scheduled retry: re-queues deliveries whose {@code nextAttemptAt} has come, and queued ones whose
 * watchdog expired (their message was lost, e.g. dead-lettered); a finished delivery it meets in the due
 * index is taken out of it. The index is sharded (see {@link DeliveryRepository#dueShards}): shards are swept side
 * by side, each oldest first. Queue first, then move the record's due
 * time to a new watchdog, so a crash in between re-queues once more (and the deliver step drops the
 * duplicate) instead of losing the retry.
 */
@ApplicationScoped
public class RetrySweep {

    private static final int PAGE = 100;
    /** Per shard and run: with 65 shards, up to 65,000 deliveries re-queued a minute. */
    private static final int MAX_PAGES = 10;
    /** Shards swept side by side (each sweep is store and queue calls, waiting on the network). */
    private static final int PARALLEL_SHARDS = 8;
    /** No new page is started after this much of a run: the function's timeout is a minute. */
    private static final Duration RUN_BUDGET = Duration.ofSeconds(40);

    private final DeliveryRepository deliveries;
    private final DeliveryQueue queue;
    private final Clock clock;
    private final Duration watchdog;
    private final ExecutorService shards = Executors.newFixedThreadPool(PARALLEL_SHARDS, r -> {
        Thread t = new Thread(r, "retry-sweep");
        t.setDaemon(true);
        return t;
    });

    RetrySweep(DeliveryRepository deliveries, DeliveryQueue queue, Clock clock,
            @ConfigProperty(name = "leadsync.delivery.watchdog") Duration watchdog) {
        this.watchdog = watchdog;
        this.deliveries = deliveries;
        this.queue = queue;
        this.clock = clock;
    }

    /** Returns how many deliveries were re-queued. A shard whose sweep failed is swept again next run. */
    public int run() {
        Instant now = clock.instant();
        Instant stopAt = now.plus(RUN_BUDGET);
        List<Future<Integer>> running = new ArrayList<>();
        for (String shard : deliveries.dueShards()) {
            running.add(shards.submit(() -> sweep(shard, now, stopAt)));
        }
        int requeued = 0;
        RuntimeException failed = null;
        for (Future<Integer> f : running) {
            try {
                requeued += f.get();
            } catch (ExecutionException e) {
                failed = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = new IllegalStateException("interrupted while sweeping", e);
            }
        }
        if (failed != null) {
            throw failed;
        }
        return requeued;
    }

    private int sweep(String shard, Instant now, Instant stopAt) {
        int requeued = 0;
        DeliveryRepository.Due from = null;
        for (int page = 0; page < MAX_PAGES && clock.instant().isBefore(stopAt); page++) {
            DeliveryRepository.DuePage due = deliveries.due(shard, now, PAGE, from);
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
