package com.leadsync.delivery;

import com.leadsync.delivery.Destination.BatchItem;
import com.leadsync.delivery.Destination.BatchOutcome;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.event.Event;
import com.leadsync.event.EventRepository;
import com.leadsync.event.EventSink;
import com.leadsync.event.EventTypes;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.ConditionFailed;
import com.leadsync.model.StoredLead;
import com.leadsync.ops.LogContext;
import com.leadsync.ops.Metrics;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Delivers one (lead, target) pair: at most once per generation, however often its message arrives.
 * Transient failures get a few quick tries (exponential, honouring Retry-After), then a scheduled retry
 * along the backoff ladder (~3 days), then {@code failed}. Rate limits are retried the same way but never use up
 * the ladder. Other failures are {@code failed} at once.
 */
@ApplicationScoped
public class DeliveryEngine {

    private static final Logger LOG = Logger.getLogger(DeliveryEngine.class);

    /** {@code REQUEUED}: not started in this invocation (time or permits ran short); its message is queued again. */
    public enum Outcome { DELIVERED, RETRY_SCHEDULED, FAILED, SKIPPED, REQUEUED }

    /** The longest a rate-limited send waits, whatever the receiver asks: daily limits reset within a day. */
    static final Duration LONGEST_RATE_LIMIT_WAIT = Duration.ofHours(24);

    private final EventRepository events;
    private final EventSink eventSink;
    private final DeliveryRepository deliveries;
    private final DeliveryTargets targets;
    private final Destinations registry;
    private final PipelineProbe probe;
    private final Metrics metrics;
    private final Clock clock;
    private final Duration lease;
    /** When the retry sweep re-queues a delivery whose message was lost (see {@link DeliveryRepository.FirstRecord}). */
    private final Duration watchdog;
    private final int quickTries;
    private final List<Duration> backoff;
    private final int rateLimitedRetries;
    private final Guard quickGuard;
    private final Duration quickInitialDelay;
    private final Duration quickMaxDelay;
    private final RateGate gate;
    private final DeliveryQueue queue;
    private final Duration invocationBudget;
    private final Duration sendReserve;
    private final Duration longestPaceWait;
    private final ExecutorService groups;
    /** The store calls of one chunk's leads (read, lease, record), made side by side rather than one after another. */
    private final ExecutorService itemCalls;

    DeliveryEngine(EventRepository events, EventSink eventSink, DeliveryRepository deliveries,
            DeliveryTargets targets, Destinations registry, PipelineProbe probe, Metrics metrics, Clock clock,
            RateGate gate, DeliveryQueue queue,
            @ConfigProperty(name = "leadsync.delivery.invocation-budget") Duration invocationBudget,
            @ConfigProperty(name = "leadsync.delivery.send-reserve") Duration sendReserve,
            @ConfigProperty(name = "leadsync.delivery.longest-pace-wait") Duration longestPaceWait,
            @ConfigProperty(name = "leadsync.delivery.parallel-targets") int parallelTargets,
            @ConfigProperty(name = "leadsync.pipeline.lease") Duration lease,
            @ConfigProperty(name = "leadsync.delivery.watchdog") Duration watchdog,
            @ConfigProperty(name = "leadsync.delivery.quick-tries") int quickTries,
            @ConfigProperty(name = "leadsync.delivery.quick-initial-delay") Duration quickInitialDelay,
            @ConfigProperty(name = "leadsync.delivery.quick-max-delay") Duration quickMaxDelay,
            @ConfigProperty(name = "leadsync.delivery.backoff") List<Duration> backoff,
            @ConfigProperty(name = "leadsync.delivery.rate-limited-retries") int rateLimitedRetries) {
        this.events = events;
        this.eventSink = eventSink;
        this.deliveries = deliveries;
        this.targets = targets;
        this.registry = registry;
        this.metrics = metrics;
        this.probe = probe;
        this.clock = clock;
        this.lease = lease;
        this.watchdog = watchdog;
        this.quickTries = Math.max(1, quickTries);
        this.backoff = List.copyOf(backoff);
        this.rateLimitedRetries = rateLimitedRetries;
        this.quickInitialDelay = quickInitialDelay;
        this.quickMaxDelay = quickMaxDelay;
        this.gate = gate;
        this.queue = queue;
        this.invocationBudget = invocationBudget;
        this.sendReserve = sendReserve;
        this.longestPaceWait = longestPaceWait;
        this.groups = Executors.newFixedThreadPool(Math.max(1, parallelTargets), r -> {
            Thread t = new Thread(r, "deliver-target");
            t.setDaemon(true);
            return t;
        });
        this.itemCalls = Executors.newFixedThreadPool(Math.max(1, parallelTargets), r -> {
            Thread t = new Thread(r, "deliver-item");
            t.setDaemon(true);
            return t;
        });
        Duration cap = quickMaxDelay;
        this.quickGuard = Guard.create()
                .withRetry().maxRetries(this.quickTries - 1).jitter(0, ChronoUnit.MILLIS)
                .whenException(e -> e instanceof DeliveryException d && !(d instanceof PaceDenied)
                        && !(d instanceof NoMoreTries)
                        && quickRetry(d, cap))
                .withCustomBackoff().strategy(() -> new RetryAfterBackoff(quickInitialDelay, cap)).done()
                .done().build();
    }

    /** One message of an invocation and the lease owner naming this attempt at it. */
    public record Work(DeliverMessage message, String owner) {
    }

    /** What became of one {@link Work}: an outcome, or the exception its SQS record fails with (so it comes back). */
    public record Result(Outcome outcome, RuntimeException failure) {

        static Result of(Outcome outcome) {
            return new Result(outcome, null);
        }

        static Result failed(RuntimeException failure) {
            return new Result(null, failure);
        }
    }

    public Outcome deliver(DeliverMessage message, String owner) {
        Result result = deliverAll(List.of(new Work(message, owner))).get(0);
        if (result.failure() != null) {
            throw result.failure();
        }
        return result.outcome();
    }

    /** {@link #deliverAll(List, Instant)} within this invocation's budget ({@code leadsync.delivery.invocation-budget}). */
    public List<Result> deliverAll(List<Work> work) {
        return deliverAll(work, clock.instant().plus(invocationBudget));
    }

    /**
     * Delivers an invocation's messages; one result per message, in order. They are grouped by target, and the
     * targets served concurrently: a target whose destination writes batches gets chunks of up to its batch size,
     * one request each, every item recorded on its own delivery as a single send is. Each request first takes its
     * permits of the target's {@link Pace}; a chunk that cannot get them, or start at all, before {@code deadline}
     * (less the time a send may take) is queued again, unleased and untried, rather than failed.
     */
    public List<Result> deliverAll(List<Work> work, Instant deadline) {
        Result[] results = new Result[work.size()];
        Item[] loaded = new Item[work.size()];
        atOnce(work.size(), i -> {
            DeliverMessage m = work.get(i).message();
            try {
                loaded[i] = Event.isEventId(m.leadId())
                        ? new Item(i, m, work.get(i).owner(), null, events.get(m.leadId()).orElseThrow(
                                () -> new IllegalStateException("event " + m.leadId() + " is not stored")))
                        : new Item(i, m, work.get(i).owner(), m.lead() != null ? m.lead()
                                : targets.leadFor(m.leadId(), m.targetId()).orElseThrow(
                                        () -> new IllegalStateException("lead " + m.leadId() + " is not stored yet")),
                                null);
            } catch (RuntimeException e) {
                results[i] = Result.failed(e);
            }
        });
        Map<String, List<Item>> byTarget = new LinkedHashMap<>();
        for (Item item : loaded) {
            if (item != null) {
                byTarget.computeIfAbsent(item.message().targetId(), k -> new ArrayList<>()).add(item);
            }
        }
        List<List<Item>> targets = new ArrayList<>(byTarget.values());
        if (targets.size() == 1) {
            deliverTarget(targets.get(0), deadline, results);
        } else {
            List<Future<?>> running = new ArrayList<>();
            targets.forEach(items -> running.add(this.groups.submit(() -> deliverTarget(items, deadline, results))));
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException | InterruptedException e) {
                    // deliverTarget records its own failures; this is only the thread pool's own trouble.
                    LOG.warnf(e, "delivering a group failed");
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                results[i] = Result.failed(new IllegalStateException("delivery of " + work.get(i).message()
                        + " did not finish; retrying later"));
            }
        }
        return Arrays.asList(results);
    }

    /** One message and what it sends: a lead, or ({@code lead} null) an event. */
    private record Item(int index, DeliverMessage message, String owner, StoredLead lead, Event event) {

        DeliveryReceipt sendAlone(Destination destination, DeliveryTarget target, DeliveryContext context)
                throws DeliveryException {
            return event != null ? destination.sendEvent(target, event, context)
                    : destination.send(target, lead, context);
        }
    }

    /** A target as the engine found it: usable, or why not ({@code why}, or an {@code unexpected} error). */
    private record Resolved(DeliveryTarget target, Destination destination, String why, RuntimeException unexpected) {
        boolean usable() {
            return why == null && unexpected == null;
        }
    }

    private void deliverTarget(List<Item> items, Instant deadline, Result[] results) {
        try (LogContext log = LogContext.delivery(null, null, null, null, items.get(0).message().targetId())) {
            deliverChunks(items, deadline, results);
        } catch (RuntimeException e) {
            // A store or queue call failed: whatever has no outcome yet fails its SQS record and comes back (a
            // lease taken meanwhile expires first).
            LOG.warnf(e, "delivery to %s: %d messages left to a later try", items.get(0).message().targetId(),
                    items.stream().filter(i -> results[i.index()] == null).count());
            items.stream().filter(i -> results[i.index()] == null).forEach(i -> results[i.index()] = Result.failed(e));
        }
    }

    private void deliverChunks(List<Item> items, Instant deadline, Result[] results) {
        String targetId = items.get(0).message().targetId();
        Resolved target;
        try {
            target = resolveUsable(targetId);
        } catch (RuntimeException unexpected) {
            target = new Resolved(null, null, null, unexpected);
        }
        if (!target.usable()) {
            for (Item item : items) {
                results[item.index()] = recordUnusable(item, target);
            }
            return;
        }
        DeliveryTarget t = target.target();
        // Events go one per request: batch writes are CRM requests, and CRMs receive leads only.
        int size = items.stream().anyMatch(i -> i.event() != null) ? 1
                : Math.max(1, target.destination().maxBatchSize(t));
        Pace pace = RateLimitOverride.apply(t, target.destination().pace(t));
        for (int from = 0; from < items.size(); from += size) {
            List<Item> chunk = items.subList(from, Math.min(items.size(), from + size));
            List<Item> rest = items.subList(from, items.size());
            // The gate is the target's own (a flow's delivery to a destination shares the destination's limit).
            RateGate.Admission admission = timeLeft(deadline).compareTo(sendReserve) < 0 ? null
                    : admit(t.targetId(), pace, deadline);
            if (admission == null) {
                requeue(rest, results);
                return;
            }
            if (admission.paused()) {
                park(rest, t.type(), admission.retryAt(), results);
                return;
            }
            Result[] skipped = new Result[chunk.size()];
            try {
                atOnce(chunk.size(), k -> skipped[k] = lease(chunk.get(k), t.type()));
            } catch (RuntimeException e) {
                gate.release(admission);
                throw e;
            }
            List<Item> leased = new ArrayList<>();
            for (int k = 0; k < chunk.size(); k++) {
                if (skipped[k] == null) {
                    leased.add(chunk.get(k));
                } else {
                    results[chunk.get(k).index()] = skipped[k];
                }
            }
            if (leased.isEmpty()) {
                gate.release(admission);
            } else if (leased.size() == 1) {
                results[leased.get(0).index()] = sendOne(target, pace, leased.get(0), admission, deadline);
            } else {
                sendBatch(target, pace, leased, admission, deadline, results);
            }
        }
    }

    /**
     * Null when this worker now holds the delivery's lease; else what the message comes to. A delivery's first
     * message creates its record ({@code targetType} null: its target is gone).
     */
    private Result lease(Item item, String targetType) {
        try (LogContext log = logContext(item)) {
            return leaseLogged(item, targetType);
        }
    }

    private Result leaseLogged(Item item, String targetType) {
        DeliverMessage message = item.message();
        long now = clock.millis();
        String accountId = item.lead() != null ? item.lead().accountId() : item.event().accountId();
        if (deliveries.takeLease(message.leadId(), message.targetId(), message.generation(), item.owner(), now,
                now + lease.toMillis(), new DeliveryRepository.FirstRecord(accountId, targetType, message.traceId(),
                        Instant.ofEpochMilli(now).plus(watchdog)))) {
            return null;
        }
        DeliveryRecord current = deliveries.get(message.leadId(), message.targetId()).orElse(null);
        if (current != null && current.leasedByOther(item.owner(), clock.millis())) {
            // Someone is sending right now: come back after the visibility timeout and see how it went
            // (dropping this message could lose a newer generation if theirs is an older one).
            return Result.failed(new InFlightElsewhere(message.leadId() + "/" + message.targetId()));
        }
        LOG.debugf("delivery %s/%s gen %d: already delivered, superseded, or not due yet", message.leadId(),
                message.targetId(), message.generation());
        if (current != null && current.status() == DeliveryStatus.FAILED
                && current.generation() == message.generation()) {
            // Its message came back: the failure may have been recorded by a worker that crashed before telling.
            return announced(item, Result.of(Outcome.SKIPPED));
        }
        return Result.of(Outcome.SKIPPED);
    }

    private Result recordUnusable(Item item, Resolved target) {
        Result skipped = lease(item, target.target() == null ? null : target.target().type());
        if (skipped != null) {
            return skipped;
        }
        DeliverMessage m = item.message();
        return recorded(item, () -> {
            if (target.unexpected() != null) {
                return recordUnexpected(item, target.unexpected());
            }
            deliveries.recordFailed(m.leadId(), m.targetId(), item.owner(), m.generation(), target.why(), List.of());
            metrics.count(Metrics.DELIVERIES_FAILED, 1, Metrics.TARGET_TYPE,
                    target.target() == null ? "deleted" : target.target().type());
            LOG.warnf("%s not delivered to %s, failed: %s", m.leadId(), m.targetId(), target.why());
            return Outcome.FAILED;
        });
    }

    /**
     * Records an outcome. A lost race (a newer generation) skips; any other error while resolving the target,
     * validating its config or recording is still a try on the schedule with the lease freed, so a bug cannot
     * cycle the message through the DLQ and the watchdog forever. Should recording that fail too, the record
     * fails and SQS retries it.
     */
    private Result recorded(Item item, Supplier<Outcome> record) {
        try (LogContext log = logContext(item)) {
            return recordedLogged(item, record);
        }
    }

    /** The ids of the lead (or event) and target an item is about, on every log line while working on it. */
    private static LogContext logContext(Item item) {
        DeliverMessage m = item.message();
        return item.lead() != null
                ? LogContext.delivery(item.lead().accountId(), item.lead().providerType().wireName(), m.leadId(),
                        m.traceId(), m.targetId())
                : LogContext.delivery(item.event().accountId(), item.event().providerType() == null ? null
                        : item.event().providerType().wireName(), null, null, m.targetId());
    }

    private Result recordedLogged(Item item, Supplier<Outcome> record) {
        Result result;
        try {
            try {
                result = Result.of(record.get());
            } catch (ConditionFailed lost) {
                throw lost;
            } catch (RuntimeException unexpected) {
                result = Result.of(recordUnexpected(item, unexpected));
            }
        } catch (ConditionFailed lost) {
            LOG.warn(lost.getMessage());
            return Result.of(Outcome.SKIPPED);
        } catch (RuntimeException e) {
            return Result.failed(e);
        }
        return result.outcome() == Outcome.FAILED ? announced(item, result) : result;
    }

    /**
     * A lead's delivery ended {@code failed}: {@code delivery.failed} goes to the subscriptions that asked (an event's
     * own delivery failing tells no one: that would only feed the same failing subscriber). Should that fail, the
     * message fails and comes back; {@link #lease} then sees the failed generation and tells again (same event id).
     */
    private Result announced(Item item, Result outcome) {
        if (item.lead() == null) {
            return outcome;
        }
        DeliverMessage m = item.message();
        try {
            DeliveryRecord failed = deliveries.get(m.leadId(), m.targetId()).orElseThrow();
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.put("leadId", m.leadId());
            data.put("destinationId", m.targetId());
            targets.describe(m.targetId()).ifPresent(flow -> flow.writeTo(data));
            data.put("lastError", failed.lastError());
            data.put("attempts", failed.attempts());
            eventSink.emit(new Event(Event.idFor(EventTypes.DELIVERY_FAILED, m.leadId() + "/" + m.targetId() + "/"
                    + m.generation()), item.lead().accountId(), EventTypes.DELIVERY_FAILED,
                    item.lead().providerType(), clock.instant(), data));
            return outcome;
        } catch (RuntimeException e) {
            LOG.warnf(e, "delivery %s/%s failed, and telling its subscribers failed too; the message comes back",
                    m.leadId(), m.targetId());
            return Result.failed(e);
        }
    }

    private Outcome recordUnexpected(Item item, RuntimeException unexpected) {
        LOG.warnf(unexpected, "delivery %s/%s: unexpected error", item.message().leadId(), item.message().targetId());
        DeliveryException e = new DeliveryException(DeliveryException.Kind.RETRYABLE,
                "unexpected error while delivering: " + unexpected, null, null, unexpected);
        return recordFailure(item.message(), item.owner(), e, List.of(new Attempt(clock.instant(), "retryable", null,
                e.getMessage())));
    }

    private Resolved resolveUsable(String targetId) {
        Optional<DeliveryTarget> target = targets.find(targetId);
        if (target.isEmpty() || !target.get().enabled()) {
            return new Resolved(null, null, target.isEmpty() ? "destination no longer exists"
                    : "destination is disabled", null);
        }
        DeliveryTarget t = target.get();
        Optional<Destination> destination = registry.find(t.type());
        List<String> problems = registry.problems(t);
        if (!problems.isEmpty()) {
            return new Resolved(t, null, "destination config is not usable: " + String.join("; ", problems), null);
        }
        return new Resolved(t, destination.get(), null, null);
    }

    /** One lead, one {@code send}, with the quick tries of the guard; each try takes its permits first. */
    private Result sendOne(Resolved target, Pace pace, Item item, RateGate.Admission first, Instant deadline) {
        try (LogContext log = logContext(item)) {
            return sendOneLogged(target, pace, item, first, deadline);
        }
    }

    private Result sendOneLogged(Resolved target, Pace pace, Item item, RateGate.Admission first,
            Instant deadline) {
        DeliveryTarget t = target.target();
        DeliverMessage message = item.message();
        List<Attempt> tries = Collections.synchronizedList(new ArrayList<>());
        DeliveryContext context = context(item);
        RateGate.Admission[] admitted = {first};
        DeliveryException[] last = {null};
        return recorded(item, () -> {
            try {
                quickTries(() -> {
                    RateGate.Admission a = admitted[0];
                    if (a == null) {
                        // A quick retry: only with the time a send may take still left, and a permit now; else the
                        // last real failure is what is recorded (and scheduled).
                        if (timeLeft(deadline).compareTo(sendReserve) < 0) {
                            throw new NoMoreTries(last[0]);
                        }
                        try {
                            a = admitForRetry(t.targetId(), pace, deadline);
                        } catch (PaceDenied denied) {
                            throw new NoMoreTries(last[0]);
                        }
                    }
                    admitted[0] = null;
                    DeliveryReceipt r;
                    try {
                        r = item.sendAlone(target.destination(), t, context);
                    } catch (DeliveryException e) {
                        tries.add(attempt(e));
                        pauseIfAsked(t.targetId(), e);
                        last[0] = e;
                        throw e;
                    } catch (RuntimeException bug) {
                        DeliveryException e = unexpected(t, message.leadId(), bug);
                        tries.add(attempt(e));
                        last[0] = e;
                        throw e;
                    } finally {
                        gate.release(a);
                    }
                    tries.add(new Attempt(clock.instant(), "delivered", r.httpStatus(), r.detail()));
                    return r;
                });
                return recordDelivered(item, t.type(), tries);
            } catch (DeliveryException e) {
                return recordFailure(message, item.owner(), e, tries);
            } finally {
                if (admitted[0] != null) {
                    gate.release(admitted[0]);
                }
            }
        });
    }

    private Outcome recordDelivered(Item item, String targetType, List<Attempt> tries) {
        DeliverMessage m = item.message();
        probe.reached("deliver.sent", m.leadId() + "/" + m.targetId());
        deliveries.recordDelivered(m.leadId(), m.targetId(), item.owner(), m.generation(), clock.instant(), tries);
        probe.reached("deliver.recorded", m.leadId() + "/" + m.targetId());
        LOG.infof("%s delivered to %s (generation %d, %d tries)", m.leadId(), m.targetId(), m.generation(),
                tries.size());
        Instant since = item.lead() != null ? item.lead().storedAt() : item.event().occurredAt();
        metrics.emit(Metrics.TARGET_TYPE, targetType, Metrics.Datum.count(Metrics.DELIVERIES_DELIVERED, 1),
                Metrics.Datum.milliseconds(Metrics.DELIVERY_LATENCY, since == null ? 0
                        : Math.max(0, Duration.between(since, clock.instant()).toMillis())));
        return Outcome.DELIVERED;
    }

    /**
     * Several leads in one {@code sendBatch} request. Every item's outcome is an attempt on its own delivery; the
     * items that failed transiently are sent again (as one smaller batch) up to the same quick tries a single send
     * gets; then each is recorded as a single send would be, so a half-failed batch retries only its failed leads.
     */
    private void sendBatch(Resolved target, Pace pace, List<Item> items, RateGate.Admission first, Instant deadline,
            Result[] results) {
        String targetId = target.target().targetId();
        Map<Item, List<Attempt>> tries = new HashMap<>();
        items.forEach(i -> tries.put(i, new ArrayList<>()));
        Map<Item, DeliveryReceipt> sent = new HashMap<>();
        Map<Item, DeliveryException> failed = new HashMap<>();
        RetryAfterBackoff backoff = new RetryAfterBackoff(quickInitialDelay, quickMaxDelay);
        List<Item> remaining = items;
        RateGate.Admission admission = first;
        for (int round = 1; !remaining.isEmpty(); round++) {
            List<BatchOutcome> outcomes;
            try {
                if (admission == null) {
                    admission = admitForRetry(targetId, pace, deadline);
                }
                outcomes = sendOnce(target, remaining);
            } catch (PaceDenied denied) {
                // Only retries ask again, so each of these has a real failure: that one is recorded.
                remaining.forEach(i -> failed.putIfAbsent(i, denied));
                break;
            } finally {
                if (admission != null) {
                    gate.release(admission);
                }
                admission = null;
            }
            List<Item> again = new ArrayList<>();
            DeliveryException longest = null;
            for (int k = 0; k < remaining.size(); k++) {
                Item item = remaining.get(k);
                BatchOutcome o = outcomes.get(k);
                if (o.ok()) {
                    tries.get(item).add(new Attempt(clock.instant(), "delivered", o.receipt().httpStatus(),
                            o.receipt().detail()));
                    sent.put(item, o.receipt());
                    failed.remove(item);
                    continue;
                }
                DeliveryException e = o.failure();
                tries.get(item).add(attempt(e));
                failed.put(item, e);
                pauseIfAsked(targetId, e);
                if (round < quickTries && quickRetry(e, quickMaxDelay)) {
                    again.add(item);
                    if (longest == null || wait(e).compareTo(wait(longest)) > 0) {
                        longest = e;
                    }
                }
            }
            if (again.isEmpty()) {
                break;
            }
            Duration delay = Duration.ofMillis(backoff.nextDelayInMillis(longest));
            if (timeLeft(deadline).minus(delay).compareTo(sendReserve) < 0) {
                break;
            }
            pause(delay);
            remaining = again;
        }
        atOnce(items.size(), k -> {
            Item item = items.get(k);
            results[item.index()] = recorded(item, () -> sent.containsKey(item)
                    ? recordDelivered(item, target.target().type(), tries.get(item))
                    : recordFailure(item.message(), item.owner(), failed.get(item), tries.get(item)));
        });
    }

    /**
     * Runs {@code call} for 0..n-1 side by side and returns once all are done; the first runtime failure is then
     * thrown (as it would have been one after another, but only after the others finished: none is left half done).
     */
    private void atOnce(int n, IntConsumer call) {
        if (n == 1) {
            call.accept(0);
            return;
        }
        List<Future<?>> running = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            running.add(itemCalls.submit(() -> call.accept(k)));
        }
        RuntimeException first = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (first == null) {
                    first = new IllegalStateException("interrupted while delivering", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static Duration wait(DeliveryException e) {
        return e.retryAfter() == null ? Duration.ZERO : e.retryAfter();
    }

    /** One request for {@code items}: a whole-request failure is every item's. */
    private List<BatchOutcome> sendOnce(Resolved target, List<Item> items) {
        DeliveryTarget t = target.target();
        try {
            List<BatchOutcome> out;
            if (items.size() == 1) {
                Item one = items.get(0);
                out = List.of(BatchOutcome.delivered(one.sendAlone(target.destination(), t, context(one))));
            } else {
                out = target.destination().sendBatch(t, items.stream()
                        .map(i -> new BatchItem(i.lead(), context(i))).toList());
            }
            if (out == null || out.size() != items.size() || out.stream().anyMatch(Objects::isNull)) {
                throw new IllegalStateException("sendBatch answered " + (out == null ? "nothing" : out.size()
                        + " outcomes") + " for " + items.size() + " leads");
            }
            return out;
        } catch (DeliveryException e) {
            pauseIfAsked(t.targetId(), e);
            return Collections.nCopies(items.size(), BatchOutcome.failed(e));
        } catch (RuntimeException bug) {
            return Collections.nCopies(items.size(), BatchOutcome.failed(unexpected(t, "a batch", bug)));
        }
    }

    private static DeliveryContext context(Item item) {
        return DeliveryContext.of(item.message().leadId(), item.message().targetId(), item.message().generation());
    }

    /**
     * Not a classified failure: still a try to record and a lease to free, so it is retried on the schedule (and
     * ends failed) instead of cycling through the queue until dead-lettered.
     */
    private DeliveryException unexpected(DeliveryTarget t, String what, RuntimeException bug) {
        LOG.warnf(bug, "delivery %s/%s: unexpected error from the %s destination", what, t.targetId(), t.type());
        return new DeliveryException(DeliveryException.Kind.RETRYABLE,
                "unexpected error in the " + t.type() + " destination: " + bug, null, null, bug);
    }

    private Attempt attempt(DeliveryException e) {
        return new Attempt(clock.instant(), e.rateLimited() ? "rate_limited" : e.retryable() ? "retryable"
                : "permanent", e.httpStatus(), e.getMessage());
    }

    /** A daily limit spent: nobody sends to this destination again before it resets. */
    private void pauseIfAsked(String targetId, DeliveryException e) {
        if (e.destinationPaused() && e.retryAfter() != null) {
            Duration wait = e.retryAfter().compareTo(LONGEST_RATE_LIMIT_WAIT) > 0 ? LONGEST_RATE_LIMIT_WAIT
                    : e.retryAfter();
            gate.pause(targetId, clock.instant().plus(wait));
        }
    }

    /**
     * Permits for one request: waits for the next sub-window while that fits the invocation (and
     * {@code leadsync.delivery.longest-pace-wait}); null when it does not. A paused destination's admission is
     * returned as it is. Waiting is not an attempt: nothing is recorded.
     */
    private RateGate.Admission admit(String targetId, Pace pace, Instant deadline) {
        while (true) {
            Instant now = clock.instant();
            RateGate.Admission a = gate.admit(targetId, pace, pace.requestsPerSend(), now);
            if (a.granted() || a.paused()) {
                return a;
            }
            Duration wait = Duration.between(now, a.retryAt()).plusMillis(ThreadLocalRandom.current().nextLong(25));
            if (wait.compareTo(longestPaceWait) > 0) {
                // Longer than an invocation should sleep: the deliveries wait in the due index until then, instead
                // of going round the queue the whole time.
                return RateGate.Admission.denied(targetId, a.retryAt(), true);
            }
            if (timeLeft(deadline).minus(wait).compareTo(sendReserve) < 0) {
                return null;
            }
            pause(wait);
        }
    }

    /** As {@link #admit}, for a quick retry: one that cannot be admitted is not tried again now. */
    private RateGate.Admission admitForRetry(String targetId, Pace pace, Instant deadline) throws PaceDenied {
        RateGate.Admission a = admit(targetId, pace, deadline);
        if (a == null || a.paused()) {
            throw new PaceDenied(a == null ? null : Duration.between(clock.instant(), a.retryAt()));
        }
        return a;
    }

    /** A quick retry not made (no time or permit left): carries the last real failure, which is recorded. */
    static final class NoMoreTries extends DeliveryException {
        NoMoreTries(DeliveryException last) {
            super(last.kind(), last.getMessage(), last.httpStatus(), last.retryAfter(), last);
        }
    }

    /** No permit of the destination's rate limit for a quick retry within this invocation. Not an attempt. */
    static final class PaceDenied extends DeliveryException {
        PaceDenied(Duration until) {
            super(Kind.RATE_LIMITED, "the destination's rate limit left no room for another try now", null, until,
                    null);
        }
    }

    private void requeue(List<Item> rest, Result[] results) {
        queue.publishDeliver(rest.stream().map(Item::message).toList());
        LOG.infof("delivery to %s: %d messages queued again (no time or permits left in this invocation)",
                rest.get(0).message().targetId(), rest.size());
        rest.forEach(i -> results[i.index()] = Result.of(Outcome.REQUEUED));
    }

    /** The destination is parked (a daily limit): its deliveries wait until then, without an attempt. */
    private void park(List<Item> rest, String targetType, Instant until, Result[] results) {
        for (Item item : rest) {
            Result skipped = lease(item, targetType);
            if (skipped != null) {
                results[item.index()] = skipped;
                continue;
            }
            DeliverMessage m = item.message();
            // Spread over a minute, so the reset is not met by every delivery at once.
            Instant next = until.plusMillis(ThreadLocalRandom.current().nextLong(60_000)).truncatedTo(ChronoUnit.MILLIS);
            results[item.index()] = recorded(item, () -> {
                deliveries.recordDeferred(m.leadId(), m.targetId(), item.owner(), m.generation(), next,
                        "the destination's rate limit is spent until " + until + "; sent again at " + next);
                return Outcome.RETRY_SCHEDULED;
            });
        }
    }

    private Duration timeLeft(Instant deadline) {
        return Duration.between(clock.instant(), deadline);
    }

    private static void pause(Duration d) {
        LockSupport.parkNanos(Math.max(0, d.toNanos()));
    }

    private Outcome recordFailure(DeliverMessage message, String owner, DeliveryException e, List<Attempt> tries) {
        DeliveryRecord current = deliveries.get(message.leadId(), message.targetId()).orElseThrow();
        Outcome outcome = recordFailureOf(current, message, owner, e, tries);
        metrics.count(outcome == Outcome.FAILED ? Metrics.DELIVERIES_FAILED : Metrics.DELIVERIES_RETRYING, 1,
                Metrics.TARGET_TYPE, current.targetType());
        if (outcome == Outcome.FAILED) {
            LOG.warnf("%s not delivered to %s, failed: %s", message.leadId(), message.targetId(), e.getMessage());
        } else {
            LOG.infof("%s not delivered to %s yet, retried later: %s", message.leadId(), message.targetId(),
                    e.getMessage());
        }
        return outcome;
    }

    private Outcome recordFailureOf(DeliveryRecord current, DeliverMessage message, String owner, DeliveryException e,
            List<Attempt> tries) {
        String error = e.getMessage();
        if (!e.retryable()) {
            deliveries.recordFailed(message.leadId(), message.targetId(), owner, message.generation(), error, tries);
            return Outcome.FAILED;
        }
        int round = (int) Math.min(current.retryRound(), backoff.size());
        Duration asked = e.retryAfter();
        if (e.rateLimited()) {
            return rateLimited(message, owner, current, e, tries);
        }
        if (round >= backoff.size()) {
            deliveries.recordFailed(message.leadId(), message.targetId(), owner, message.generation(),
                    "gave up after " + (current.attempts() + tries.size()) + " attempts: " + error, tries);
            return Outcome.FAILED;
        }
        // The schedule would end before a longer wait is over: end it now rather than wait that long.
        Duration horizon = backoff.subList(round, backoff.size()).stream().reduce(Duration.ZERO, Duration::plus);
        if (asked != null && asked.compareTo(horizon) > 0) {
            deliveries.recordFailed(message.leadId(), message.targetId(), owner, message.generation(),
                    "gave up: the receiver asked to wait " + asked.toSeconds() + " s (Retry-After), longer than the "
                            + horizon.toSeconds() + " s left of the retry schedule: " + error, tries);
            return Outcome.FAILED;
        }
        Duration wait = backoff.get(round);
        if (asked != null && asked.compareTo(wait) > 0) {
            wait = asked;
        }
        Instant next = clock.instant().plus(wait).truncatedTo(ChronoUnit.MILLIS);
        deliveries.recordRetrying(message.leadId(), message.targetId(), owner, message.generation(), next, error,
                tries);
        return Outcome.RETRY_SCHEDULED;
    }

    /**
     * Sent too fast (an import's burst, a campaign launch): not the lead's fault, so it does not use up the failure
     * schedule. It climbs a ladder of its own (the same rungs, then the longest again), waiting at least what the CRM
     * asks (at most a day: no rate limit window is longer), plus up to a fifth more at random so that a burst rate-limited together does
     * not come back together. Only a receiver that refuses every try for {@code leadsync.delivery.rate-limited-retries}
     * retries (about twelve days by default) ends it {@code failed}: by then it is not a burst.
     */
    private Outcome rateLimited(DeliverMessage message, String owner, DeliveryRecord current, DeliveryException e,
            List<Attempt> tries) {
        long rounds = current.rateLimitedRounds();
        if (rounds >= rateLimitedRetries) {
            deliveries.recordFailed(message.leadId(), message.targetId(), owner, message.generation(),
                    "gave up: rate limited on every try for " + rounds + " retries: " + e.getMessage(), tries);
            return Outcome.FAILED;
        }
        Duration wait = backoff.get((int) Math.min(rounds, backoff.size() - 1));
        Duration asked = e.retryAfter();
        if (asked != null && asked.compareTo(wait) > 0) {
            wait = asked.compareTo(LONGEST_RATE_LIMIT_WAIT) > 0 ? LONGEST_RATE_LIMIT_WAIT : asked;
        }
        wait = wait.plusMillis(ThreadLocalRandom.current().nextLong(wait.toMillis() / 5 + 1));
        Instant next = clock.instant().plus(wait).truncatedTo(ChronoUnit.MILLIS);
        deliveries.recordRateLimited(message.leadId(), message.targetId(), owner, message.generation(), next,
                "rate limited, sent again at " + next + ": " + e.getMessage(), tries);
        return Outcome.RETRY_SCHEDULED;
    }

    /** Thrown when another worker holds the delivery's lease: the message is retried later, not dropped. */
    public static final class InFlightElsewhere extends RuntimeException {
        InFlightElsewhere(String what) {
            super("delivery " + what + " is being sent by another worker; retrying later");
        }
    }

    private interface Send {
        DeliveryReceipt call() throws DeliveryException;
    }

    /** Quick tries within this invocation: only retryable failures whose Retry-After fits the quick window. */
    private DeliveryReceipt quickTries(Send send) throws DeliveryException {
        try {
            return quickGuard.call(send::call, DeliveryReceipt.class);
        } catch (DeliveryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean quickRetry(DeliveryException d, Duration cap) {
        return d.retryable() && (d.retryAfter() == null || d.retryAfter().compareTo(cap) <= 0);
    }

    /** Doubles from the initial delay up to the cap, but never waits less than the server asked. */
    static final class RetryAfterBackoff implements CustomBackoffStrategy {
        private final Duration max;
        private Duration next;

        RetryAfterBackoff(Duration initial, Duration max) {
            this.next = initial;
            this.max = max;
        }

        @Override
        public long nextDelayInMillis(Throwable cause) {
            Duration delay = next;
            next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
            if (cause instanceof DeliveryException d && d.retryAfter() != null && d.retryAfter().compareTo(delay) > 0) {
                delay = d.retryAfter();
            }
            // Compared before converting: a huge Retry-After must not overflow toMillis().
            return (delay.compareTo(max) > 0 ? max : delay).toMillis();
        }
    }
}
