package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.api.ApiTestSupport;
import com.leadsync.delivery.DeliveryEngine.Outcome;
import com.leadsync.delivery.DeliveryEngine.Result;
import com.leadsync.delivery.DeliveryEngine.Work;
import com.leadsync.delivery.Destination.BatchItem;
import com.leadsync.delivery.Destination.BatchOutcome;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.StoredLead;
import com.leadsync.store.DeliveryStore;
import com.leadsync.store.DestinationStore;
import com.leadsync.store.LeadStore;
import com.leadsync.store.SubscriptionStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link DeliveryEngine#deliverAll}: an invocation's deliveries to one target go out in batch requests, each lead's
 * outcome recorded on its own delivery; requests keep the target's pace across instances; a spent daily limit parks
 * the target. Real stores on the emulator, stand-in destinations. (Engine: 2 quick tries, backoff 1 m, 5 m.)
 */
@QuarkusTest
class BatchedDeliveryTest {

    @Inject
    LeadStore leads;
    @Inject
    com.leadsync.event.EventRepository events;
    @Inject
    com.leadsync.event.EventSink eventSink;
    @Inject
    DeliveryStore deliveries;
    @Inject
    DestinationStore destinations;
    @Inject
    SubscriptionStore subscriptions;
    @Inject
    Instance<Destination> all;
    @Inject
    RateGate gate;
    @Inject
    com.leadsync.ops.Metrics metrics;
    @Inject
    DeliveryQueue queue;

    /** A stand-in CRM: answers each request (a list of lead ids) as {@code answer} says. */
    private static final class StandIn implements Destination {
        final List<List<String>> requests = Collections.synchronizedList(new ArrayList<>());
        final int batchSize;
        final Pace pace;
        final Function<List<String>, List<BatchOutcome>> answer;

        StandIn(int batchSize, Pace pace, Function<List<String>, List<BatchOutcome>> answer) {
            this.batchSize = batchSize;
            this.pace = pace;
            this.answer = answer;
        }

        @Override
        public String type() {
            return "http";
        }

        @Override
        public Set<String> secretKeys() {
            return Set.of();
        }

        @Override
        public List<String> validate(DeliveryTarget target) {
            return List.of();
        }

        @Override
        public DeliveryReceipt send(DeliveryTarget target, StoredLead lead, DeliveryContext context)
                throws DeliveryException {
            BatchOutcome o = sendBatch(target, List.of(new BatchItem(lead, context))).get(0);
            if (!o.ok()) {
                throw o.failure();
            }
            return o.receipt();
        }

        @Override
        public int maxBatchSize(DeliveryTarget target) {
            return batchSize;
        }

        @Override
        public List<BatchOutcome> sendBatch(DeliveryTarget target, List<BatchItem> items) throws DeliveryException {
            List<String> ids = items.stream().map(i -> i.lead().leadId()).toList();
            requests.add(ids);
            List<BatchOutcome> out = answer.apply(ids);
            for (BatchOutcome o : out) {
                if (o.failure() != null && o.failure().getMessage().startsWith("whole:")) {
                    throw o.failure();
                }
            }
            return out;
        }

        @Override
        public Pace pace(DeliveryTarget target) {
            return pace;
        }
    }

    private record Setup(String targetId, List<DeliverMessage> messages, List<String> leadIds) {
    }

    private Setup queued(int n) {
        String account = "acc_batch_" + UUID.randomUUID();
        Instant now = Instant.now();
        String targetId = "dst_" + UUID.randomUUID();
        destinations.put(new DestinationConfig(targetId, account, "http", "stand-in", true, Map.of(), Map.of(), now,
                now));
        List<DeliverMessage> messages = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StoredLead lead = ApiTestSupport.storeLead(leads, account, now.truncatedTo(ChronoUnit.SECONDS));
            long generation = deliveries.ensure(lead.leadId(), targetId, account, "http", now.plusSeconds(900), null);
            messages.add(new DeliverMessage(lead.leadId(), targetId, generation, null));
            ids.add(lead.leadId());
        }
        return new Setup(targetId, messages, ids);
    }

    private DeliveryEngine engine(Destination destination) {
        Destinations registry = new Destinations(all) {
            @Override
            public Optional<Destination> find(String type) {
                return Optional.of(destination);
            }
        };
        return new DeliveryEngine(events, eventSink, deliveries, new DeliveryTargets(destinations, subscriptions, new NoRoutes(), leads,
                new AccountTargets(destinations, subscriptions)), registry,
                new PipelineProbe(), metrics,
                Clock.systemUTC(), gate, queue, Duration.ofMinutes(3), Duration.ofSeconds(30), Duration.ofSeconds(20),
                4, Duration.ofMinutes(1), Duration.ofMinutes(15), 2, Duration.ofMillis(10), Duration.ofMillis(50),
                List.of(Duration.ofMinutes(1), Duration.ofMinutes(5)), 10);
    }

    private static List<Work> work(List<DeliverMessage> messages) {
        return messages.stream().map(m -> new Work(m, "w-" + UUID.randomUUID())).toList();
    }

    private DeliveryRecord record(DeliverMessage m) {
        return deliveries.get(m.leadId(), m.targetId()).orElseThrow();
    }

    private static BatchOutcome ok(String id) {
        return BatchOutcome.delivered(new DeliveryReceipt(200, "contact for " + id));
    }

    @Test
    void a_message_carrying_its_lead_is_sent_as_carried_without_reading_the_lead_back() {
        Setup one = queued(0);
        StoredLead carried = DestinationTestLeads.lead(); // never stored: only the message has it
        String leadId = "ld_" + UUID.randomUUID().toString().replace("-", "");
        carried = new StoredLead(leadId, carried.accountId(), carried.providerType(), carried.providerLeadId(),
                carried.email(), carried.firstName(), carried.lastName(), carried.fullName(), carried.phoneNumber(),
                carried.company(), carried.rawFieldData(), carried.customFields(), carried.receivedAt(),
                carried.formId(), carried.adId(), carried.campaignId(), carried.isTest(), carried.storedAt());
        long generation = deliveries.ensure(leadId, one.targetId(), carried.accountId(), "http",
                Instant.now().plusSeconds(900), null);
        StandIn crm = new StandIn(100, Pace.UNLIMITED, ids -> ids.stream().map(BatchedDeliveryTest::ok).toList());
        DeliverMessage message = new DeliverMessage(leadId, one.targetId(), generation, null, carried);

        assertThat(engine(crm).deliverAll(work(List.of(message)))).extracting(Result::outcome)
                .containsExactly(Outcome.DELIVERED);
        assertThat(crm.requests).containsExactly(List.of(leadId));
        assertThat(leads.get(leadId)).as("the lead was never stored").isEmpty();

        // The same message without its lead must read it, and fails (comes back) while it is not stored.
        String other = "ld_" + UUID.randomUUID().toString().replace("-", "");
        long g2 = deliveries.ensure(other, one.targetId(), carried.accountId(), "http", Instant.now().plusSeconds(900),
                null);
        assertThat(engine(crm).deliverAll(work(List.of(new DeliverMessage(other, one.targetId(), g2, null)))))
                .allSatisfy(r -> assertThat(r.failure()).hasMessageContaining("is not stored yet"));
    }

    @Test
    void five_leads_to_one_target_go_out_in_one_request_each_recorded_on_its_own_delivery() {
        Setup s = queued(5);
        StandIn crm = new StandIn(100, Pace.UNLIMITED, ids -> ids.stream().map(BatchedDeliveryTest::ok).toList());

        List<Result> results = engine(crm).deliverAll(work(s.messages()));

        assertThat(results).extracting(Result::outcome).containsOnly(Outcome.DELIVERED);
        assertThat(crm.requests).containsExactly(s.leadIds());
        for (DeliverMessage m : s.messages()) {
            DeliveryRecord r = record(m);
            assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(r.leaseOwner()).isNull();
            assertThat(r.history()).singleElement().satisfies(a -> assertThat(a.detail())
                    .isEqualTo("contact for " + m.leadId()));
        }
    }

    @Test
    void a_half_failed_batch_sends_again_only_its_failed_leads() {
        Setup s = queued(5);
        String flaky = s.leadIds().get(2);
        String refused = s.leadIds().get(4);
        AtomicInteger calls = new AtomicInteger();
        StandIn crm = new StandIn(100, Pace.UNLIMITED, ids -> {
            boolean first = calls.getAndIncrement() == 0;
            return ids.stream().map(id -> id.equals(flaky) && first
                    ? BatchOutcome.failed(DeliveryException.retryable("HTTP 207: item locked", 207, null))
                    : id.equals(refused) ? BatchOutcome.failed(DeliveryException.permanent("VALIDATION_ERROR", 207))
                    : ok(id)).toList();
        });

        List<Result> results = engine(crm).deliverAll(work(s.messages()));

        assertThat(crm.requests).as("the first try for all, the quick retry for the transient failure only")
                .containsExactly(s.leadIds(), List.of(flaky));
        assertThat(results).extracting(Result::outcome).containsExactly(Outcome.DELIVERED, Outcome.DELIVERED,
                Outcome.DELIVERED, Outcome.DELIVERED, Outcome.FAILED);
        assertThat(record(s.messages().get(2)).history()).extracting(Attempt::outcome)
                .containsExactly("retryable", "delivered");
        assertThat(record(s.messages().get(4)).status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(record(s.messages().get(4)).lastError()).contains("VALIDATION_ERROR");
        assertThat(record(s.messages().get(0)).history()).extracting(Attempt::outcome).containsExactly("delivered");
    }

    @Test
    void a_whole_request_failure_is_every_items_try_and_each_is_scheduled_again() {
        Setup s = queued(3);
        StandIn crm = new StandIn(100, Pace.UNLIMITED, ids -> List.of(BatchOutcome.failed(
                DeliveryException.retryable("whole: HTTP 503", 503, null))));

        List<Result> results = engine(crm).deliverAll(work(s.messages()));

        assertThat(crm.requests).hasSize(2);
        assertThat(results).extracting(Result::outcome).containsOnly(Outcome.RETRY_SCHEDULED);
        for (DeliverMessage m : s.messages()) {
            assertThat(record(m).status()).isEqualTo(DeliveryStatus.RETRYING);
            assertThat(record(m).attempts()).isEqualTo(2);
            assertThat(record(m).retryRound()).isEqualTo(1);
        }
    }

    @Test
    void chunks_follow_the_batch_size_and_a_lead_held_elsewhere_is_retried_later_without_holding_up_the_rest() {
        Setup s = queued(5);
        DeliverMessage held = s.messages().get(1);
        long now = System.currentTimeMillis();
        assertThat(deliveries.takeLease(held.leadId(), held.targetId(), held.generation(), "someone-else", now,
                now + 60_000)).isTrue();
        StandIn crm = new StandIn(2, Pace.UNLIMITED, ids -> ids.stream().map(BatchedDeliveryTest::ok).toList());

        List<Result> results = engine(crm).deliverAll(work(s.messages()));

        assertThat(results.get(1).failure()).isInstanceOf(DeliveryEngine.InFlightElsewhere.class);
        assertThat(results).extracting(Result::outcome).containsExactly(Outcome.DELIVERED, null, Outcome.DELIVERED,
                Outcome.DELIVERED, Outcome.DELIVERED);
        List<String> ids = s.leadIds();
        assertThat(crm.requests).containsExactly(List.of(ids.get(0)), List.of(ids.get(2), ids.get(3)),
                List.of(ids.get(4)));
    }

    @Test
    void concurrent_workers_keep_the_targets_rate_limit_and_are_never_refused() throws Exception {
        // 44 requests per rolling 2 s, enforced like a CRM: a request over it is refused with a 429.
        int limit = 44;
        Duration window = Duration.ofSeconds(2);
        Deque<Long> sent = new ArrayDeque<>();
        AtomicInteger refused = new AtomicInteger();
        Setup s = queued(60);
        StandIn crm = new StandIn(1, Pace.of(limit, window), ids -> {
            synchronized (sent) {
                long now = System.nanoTime();
                while (!sent.isEmpty() && now - sent.peekFirst() >= window.toNanos()) {
                    sent.removeFirst();
                }
                if (sent.size() >= limit) {
                    refused.incrementAndGet();
                    return List.of(BatchOutcome.failed(DeliveryException.rateLimited("HTTP 429", 429,
                            Duration.ofSeconds(2))));
                }
                sent.addLast(now);
            }
            return List.of(ok(ids.get(0)));
        });
        // Four instances, each with its own engine, sharing only the rate-limit table.
        ExecutorService workers = Executors.newFixedThreadPool(4);
        List<Future<List<Result>>> running = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            List<DeliverMessage> share = s.messages().subList(w * 15, (w + 1) * 15);
            DeliveryEngine engine = engine(crm);
            running.add(workers.submit(() -> engine.deliverAll(work(share))));
        }
        List<Result> results = new ArrayList<>();
        for (Future<List<Result>> f : running) {
            results.addAll(f.get());
        }
        workers.shutdown();

        assertThat(refused).hasValue(0);
        assertThat(results).extracting(Result::outcome).containsOnly(Outcome.DELIVERED);
        assertThat(crm.requests).hasSize(60);
        for (DeliverMessage m : s.messages()) {
            assertThat(record(m).history()).as("waiting for the pace is no attempt").hasSize(1);
        }
    }

    @Test
    void a_concurrency_cap_holds_across_workers_and_every_slot_is_freed() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Setup s = queued(12);
        StandIn crm = new StandIn(1, new Pace(0, Duration.ZERO, 2, 1), ids -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            // A request that takes a while, so that workers overlap.
            LockSupport.parkNanos(Duration.ofMillis(80).toNanos());
            inFlight.decrementAndGet();
            return List.of(ok(ids.get(0)));
        });
        ExecutorService workers = Executors.newFixedThreadPool(4);
        List<Future<List<Result>>> running = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            List<DeliverMessage> share = s.messages().subList(w * 3, (w + 1) * 3);
            DeliveryEngine engine = engine(crm);
            running.add(workers.submit(() -> engine.deliverAll(work(share))));
        }
        List<Result> results = new ArrayList<>();
        for (Future<List<Result>> f : running) {
            results.addAll(f.get());
        }
        workers.shutdown();

        assertThat(results).extracting(Result::outcome).containsOnly(Outcome.DELIVERED);
        assertThat(most.get()).isBetween(1, 2);
        // Both slots free again: two admissions at once succeed.
        Pace pace = new Pace(0, Duration.ZERO, 2, 1);
        RateGate.Admission a = gate.admit(s.targetId(), pace, 1, Instant.now());
        RateGate.Admission b = gate.admit(s.targetId(), pace, 1, Instant.now());
        assertThat(a.granted()).isTrue();
        assertThat(b.granted()).isTrue();
        assertThat(gate.admit(s.targetId(), pace, 1, Instant.now()).granted()).isFalse();
        gate.release(a);
        gate.release(b);
    }

    @Test
    void a_spent_daily_limit_parks_the_target_and_later_deliveries_wait_without_a_request() {
        Setup first = queued(1);
        // A destination that can be parked declares a limit (as HubSpot does): an unlimited pace has no gate.
        StandIn crm = new StandIn(100, Pace.of(100, Duration.ofSeconds(10)), ids -> List.of(BatchOutcome.failed(
                DeliveryException.destinationRateLimited("HubSpot 429: You have reached your daily limit.", 429,
                        Duration.ofHours(3)))));
        DeliveryEngine engine = engine(crm);

        assertThat(engine.deliverAll(work(first.messages()))).extracting(Result::outcome)
                .containsExactly(Outcome.RETRY_SCHEDULED);
        assertThat(record(first.messages().get(0)).nextAttemptAt()).isAfter(Instant.now().plus(Duration.ofHours(3))
                .minusSeconds(60));

        // Another lead for the same target (same destination id): nothing is sent until the reset.
        String account = "acc_batch_" + UUID.randomUUID();
        StoredLead lead = ApiTestSupport.storeLead(leads, account, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        String targetId = first.targetId();
        long generation = deliveries.ensure(lead.leadId(), targetId, account, "http", Instant.now().plusSeconds(900), null);
        DeliverMessage later = new DeliverMessage(lead.leadId(), targetId, generation, null);

        assertThat(engine.deliverAll(work(List.of(later)))).extracting(Result::outcome)
                .containsExactly(Outcome.RETRY_SCHEDULED);

        assertThat(crm.requests).hasSize(1);
        DeliveryRecord parked = record(later);
        assertThat(parked.status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(parked.history()).as("a park is no attempt").isEmpty();
        assertThat(parked.lastError()).contains("rate limit is spent until");
        assertThat(parked.nextAttemptAt()).isAfter(Instant.now().plus(Duration.ofHours(3)).minusSeconds(60));
    }

    @Test
    void a_pace_window_longer_than_an_invocation_may_wait_parks_the_rest_without_climbing_a_ladder() {
        // One request a day: the first lead takes it, the second would wait for tomorrow's window.
        Setup two = queued(2);
        StandIn crm = new StandIn(1, Pace.of(1, Duration.ofDays(1)), ids -> ids.stream()
                .map(id -> BatchOutcome.delivered(new DeliveryReceipt(200, "ok " + id))).toList());
        DeliveryEngine engine = engine(crm);

        assertThat(engine.deliverAll(work(two.messages()))).extracting(Result::outcome)
                .containsExactly(Outcome.DELIVERED, Outcome.RETRY_SCHEDULED);

        assertThat(crm.requests).hasSize(1);
        DeliveryRecord parked = record(two.messages().get(1));
        assertThat(parked.status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(parked.history()).as("waiting for the pace is no attempt").isEmpty();
        assertThat(parked.rateLimitedRounds()).as("nor a step towards giving up").isZero();
        assertThat(parked.retryRound()).isZero();
        assertThat(parked.nextAttemptAt()).isAfter(Instant.now().plusSeconds(20));
    }

    @Test
    void what_cannot_start_before_the_deadline_is_queued_again_unleased_and_untried() {
        Setup s = queued(2);
        StandIn crm = new StandIn(100, Pace.UNLIMITED, ids -> ids.stream().map(BatchedDeliveryTest::ok).toList());

        // Less than the send reserve (30 s here) left.
        List<Result> results = engine(crm).deliverAll(work(s.messages()), Instant.now().plusSeconds(10));

        assertThat(results).extracting(Result::outcome).containsOnly(Outcome.REQUEUED);
        assertThat(crm.requests).isEmpty();
        for (DeliverMessage m : s.messages()) {
            assertThat(record(m).status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(record(m).leaseOwner()).isNull();
            assertThat(record(m).attempts()).isZero();
        }
    }
}
