package com.leadsync.functions;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.delivery.DeliverMessage;
import com.leadsync.delivery.DeliveryEngine;
import com.leadsync.delivery.DeliveryEngine.Result;
import com.leadsync.delivery.DeliveryEngine.Work;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Lambda {@code deliver}: the records of one SQS event delivered as one batch, failures reported per record.
 *
 * <p>Funqy calls this once per record of the event and only then subscribes to the returned Unis together (its
 * {@code EventProcessor}: {@code records.stream().map(invoke).toList()}, then {@code Uni.combine().all()}). So each
 * call only registers its record with this thread's collector; the first subscription hands everything collected so
 * far to {@link DeliveryEngine#deliverAll} and completes every record's Uni with its own outcome. Should Funqy ever
 * subscribe to each Uni as soon as it is returned, every flush finds just its own record: one at a time, still
 * correct.
 */
public class DeliverFunction {

    @Inject
    DeliveryEngine engine;
    @Inject
    ObjectMapper json;

    /** The records registered on this thread and not yet flushed: the current invocation's. */
    private static final ThreadLocal<Collector> COLLECTOR = ThreadLocal.withInitial(Collector::new);

    @Funq("deliver")
    public Uni<Void> deliver(SQSEvent.SQSMessage message) {
        DeliverMessage body;
        try {
            body = json.readValue(message.getBody(), DeliverMessage.class);
        } catch (IOException e) {
            return Uni.createFrom().failure(new UncheckedIOException(e));
        }
        Collector collector = COLLECTOR.get();
        CompletableFuture<Void> done = collector.add(new Work(body, LeaseOwner.of(message)));
        return Uni.createFrom().deferred(() -> {
            collector.flush(engine);
            return Uni.createFrom().completionStage(done);
        });
    }

    private static final class Collector {
        private final List<Work> work = new ArrayList<>();
        private final List<CompletableFuture<Void>> outcomes = new ArrayList<>();

        synchronized CompletableFuture<Void> add(Work w) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            work.add(w);
            outcomes.add(f);
            return f;
        }

        /** Delivers what was collected, if another subscription has not already. */
        void flush(DeliveryEngine engine) {
            List<Work> batch;
            List<CompletableFuture<Void>> futures;
            synchronized (this) {
                if (work.isEmpty()) {
                    return;
                }
                batch = List.copyOf(work);
                futures = List.copyOf(outcomes);
                work.clear();
                outcomes.clear();
            }
            List<Result> results;
            try {
                results = engine.deliverAll(batch);
            } catch (RuntimeException | Error e) {
                // Every record fails and comes back; leases taken meanwhile expire first.
                futures.forEach(f -> f.completeExceptionally(e));
                return;
            }
            for (int i = 0; i < futures.size(); i++) {
                Result r = results.get(i);
                if (r.failure() != null) {
                    futures.get(i).completeExceptionally(r.failure());
                } else {
                    futures.get(i).complete(null);
                }
            }
        }
    }
}
