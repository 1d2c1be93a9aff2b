package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.delivery.Attempt;
import com.leadsync.delivery.DeliveryRecord;
import com.leadsync.delivery.DeliveryRepository;
import com.leadsync.delivery.DeliveryStatus;
import com.leadsync.delivery.RetrySweep;
import com.leadsync.testing.DueIndex;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The delivery record's conditional writes, on the real DynamoDB emulator. */
@QuarkusTest
class DeliveryStoreTest {

    @Inject
    DeliveryStore store;
    @Inject
    RetrySweep sweep;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    /** Far past any watchdog or retry time a test uses. */
    private static final Duration HORIZON = Duration.ofDays(30);

    private static final List<Attempt> ONE_TRY = List.of(new Attempt(Instant.now(), "retryable", 503, "HTTP 503"));

    private static String lead() {
        return "ld_test_" + UUID.randomUUID();
    }

    @Test
    void a_redelivered_dispatch_keeps_the_record_and_its_generation() {
        String lead = lead();
        Instant lostMessage = Instant.now().minusSeconds(1);
        assertThat(store.ensure(lead, "dst_a", "acc", "hubspot", lostMessage, null)).isEqualTo(1);
        assertThat(store.newGeneration(lead, "dst_a", "acc", "hubspot", Instant.now(), Instant.now().plusSeconds(900)))
                .map(g -> (int) g.generation()).hasValue(2);
        assertThat(store.ensure(lead, "dst_a", "acc", "hubspot", lostMessage, null)).isEqualTo(2);
    }

    @Test
    void a_delivery_keeps_its_leads_trace_through_pushes_and_the_due_index() {
        String lead = lead();
        Instant lostMessage = Instant.now().minusSeconds(1);
        store.ensure(lead, "dst_a", "acc", "hubspot", lostMessage, "4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(store.get(lead, "dst_a").orElseThrow().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(DueIndex.rowsOf(store, lead, Instant.now()).stream().map(DeliveryRepository.Due::traceId)).containsExactly("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(store.newGeneration(lead, "dst_a", "acc", "hubspot", Instant.now(), Instant.now().plusSeconds(900)))
                .hasValue(new DeliveryRepository.Generation(2, "4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    @Test
    void due_rows_spread_over_the_shards_and_the_sweep_finds_every_one() {
        Instant lost = Instant.now().minusSeconds(1);
        List<String> ids = new ArrayList<>();
        java.util.Set<String> shards = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            String lead = lead();
            ids.add(lead);
            store.ensure(lead, "dst_spread", "acc", "http", lost, null);
            shards.add(DeliveryStore.dueShard(lead, "dst_spread"));
        }
        assertThat(shards).as("shards 200 deliveries went to").hasSizeGreaterThan(48);
        assertThat(DeliveryStore.dueShard(ids.get(0), "dst_spread")).as("stable")
                .isEqualTo(DeliveryStore.dueShard(ids.get(0), "dst_spread"));
        assertThat(store.dueShards()).hasSize(DeliveryStore.DUE_SHARDS + 1).containsAll(shards);

        sweep.run();

        for (String lead : ids) {
            DeliveryRecord r = store.get(lead, "dst_spread").orElseThrow();
            assertThat(r.dueAt()).as("re-queued with a new watchdog: " + lead).isGreaterThan(lost.toEpochMilli());
        }
    }

    @Test
    void one_lease_at_a_time_and_none_once_delivered() {
        String lead = lead();
        long now = System.currentTimeMillis();
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900), null);
        assertThat(store.takeLease(lead, "dst_a", 1, "w1", now, now + 60_000)).isTrue();
        assertThat(store.takeLease(lead, "dst_a", 1, "w2", now, now + 60_000)).isFalse();
        store.recordDelivered(lead, "dst_a", "w1", 1, Instant.now(), List.of());
        assertThat(store.takeLease(lead, "dst_a", 1, "w2", now, now + 60_000)).isFalse();
        DeliveryRecord r = store.get(lead, "dst_a").orElseThrow();
        assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(r.leaseOwner()).isNull();
    }

    @Test
    void an_expired_lease_can_be_taken_over() {
        String lead = lead();
        long now = System.currentTimeMillis();
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900), null);
        assertThat(store.takeLease(lead, "dst_a", 1, "crashed", now - 10_000, now - 1)).isTrue();
        assertThat(store.takeLease(lead, "dst_a", 1, "next", now, now + 60_000)).isTrue();
    }

    @Test
    void a_retrying_delivery_is_not_sent_before_its_time() {
        String lead = lead();
        long now = System.currentTimeMillis();
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900), null);
        store.takeLease(lead, "dst_a", 1, "w1", now, now + 60_000);
        Instant next = Instant.ofEpochMilli(now + 60_000);
        store.recordRetrying(lead, "dst_a", "w1", 1, next, "HTTP 503", ONE_TRY);

        assertThat(store.takeLease(lead, "dst_a", 1, "early", now, now + 60_000)).as("before due").isFalse();
        assertThat(store.takeLease(lead, "dst_a", 1, "due", now + 60_001, now + 120_000)).as("once due").isTrue();
    }

    @Test
    void an_older_generation_finishing_late_does_not_overwrite_a_push() {
        String lead = lead();
        long now = System.currentTimeMillis();
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().minusSeconds(1), null);
        // gen 1's sender is slow: its lease ran out, so a push may open gen 2 while it still works.
        assertThat(store.takeLease(lead, "dst_a", 1, "gen1", now - 10_000, now - 1)).isTrue();
        assertThat(store.newGeneration(lead, "dst_a", "acc", "http", Instant.now(), Instant.now().plusSeconds(900)))
                .map(g -> (int) g.generation()).hasValue(2);

        store.recordFailed(lead, "dst_a", "gen1", 1, "HTTP 400", ONE_TRY);

        DeliveryRecord r = store.get(lead, "dst_a").orElseThrow();
        assertThat(r.status()).as("the push's status stands").isEqualTo(DeliveryStatus.PENDING);
        assertThat(r.generation()).isEqualTo(2);
        assertThat(r.leaseOwner()).as("lease released").isNull();
        assertThat(r.attempts()).as("the try is still logged").isEqualTo(1);
        assertThat(store.takeLease(lead, "dst_a", 2, "gen2", now, now + 60_000)).isTrue();
    }

    @Test
    void a_queued_delivery_whose_message_is_lost_comes_due_at_its_watchdog() {
        String lead = lead();
        Instant watchdog = Instant.now().minusSeconds(1);
        store.ensure(lead, "dst_a", "acc", "http", watchdog, null);
        List<DeliveryStore.Due> due = dueFor(lead);
        assertThat(due).singleElement().satisfies(d -> assertThat(d.generation()).isEqualTo(1));

        assertThat(store.markRequeued(due.get(0), Instant.now().plusSeconds(900))).isTrue();
        assertThat(dueFor(lead)).isEmpty();
        assertThat(store.markRequeued(due.get(0), Instant.now().plusSeconds(900))).as("only once").isFalse();
    }

    @Test
    void a_redelivered_dispatch_does_not_put_a_finished_delivery_back_in_the_due_index() {
        String lead = lead();
        long now = System.currentTimeMillis();
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900), null);
        store.ensure(lead, "dst_b", "acc", "http", Instant.now().plusSeconds(900), null);
        store.takeLease(lead, "dst_a", 1, "w1", now, now + 60_000);
        store.recordDelivered(lead, "dst_a", "w1", 1, Instant.now(), ONE_TRY);
        store.takeLease(lead, "dst_b", 1, "w1", now, now + 60_000);
        store.recordFailed(lead, "dst_b", "w1", 1, "HTTP 400", ONE_TRY);

        // The normalize step crashed after dispatching and runs the dispatch again.
        assertThat(store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900), null)).isEqualTo(1);
        assertThat(store.ensure(lead, "dst_b", "acc", "http", Instant.now().plusSeconds(900), null)).isEqualTo(1);

        assertThat(dueFor(lead, Instant.now().plus(HORIZON))).as("finished rows in the due index").isEmpty();
        assertThat(store.get(lead, "dst_a").orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(store.get(lead, "dst_b").orElseThrow().status()).isEqualTo(DeliveryStatus.FAILED);
    }

    @Test
    void the_sweep_takes_a_finished_delivery_it_meets_out_of_the_due_index() {
        String lead = lead();
        long now = System.currentTimeMillis();
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900), null);
        store.takeLease(lead, "dst_a", 1, "w1", now, now + 60_000);
        store.recordDelivered(lead, "dst_a", "w1", 1, Instant.now(), ONE_TRY);
        // As earlier releases left such rows: delivered, yet still in the index with a past due time.
        dynamo.updateItem(b -> b.tableName(tables.of(Schema.DELIVERIES))
                .key(Map.of("leadId", Attr.s(lead), "targetId", Attr.s("dst_a")))
                .updateExpression("SET retryShard = :shard, dueAt = :due")
                .expressionAttributeValues(Attr.values(":shard", Attr.s(DeliveryStore.LEGACY_DUE_SHARD),
                        ":due", Attr.n(now - 1_000))));
        assertThat(dueFor(lead)).hasSize(1);

        sweep.run();

        assertThat(dueFor(lead, Instant.now().plus(HORIZON))).isEmpty();
        DeliveryRecord r = store.get(lead, "dst_a").orElseThrow();
        assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(r.generation()).isEqualTo(1);
    }

    @Test
    void history_keeps_the_newest_tries_up_to_the_limit_and_counts_them_all() {
        String lead = lead();
        long t = System.currentTimeMillis();
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900), null);
        for (int i = 0; i < 60; i++) {
            t += 10;
            assertThat(store.takeLease(lead, "dst_a", 1, "w" + i, t, t + 60_000)).isTrue();
            store.recordRetrying(lead, "dst_a", "w" + i, 1, Instant.ofEpochMilli(t), "HTTP 503",
                    List.of(new Attempt(Instant.now(), "retryable", 503, "try " + i)));
        }
        DeliveryRecord r = store.get(lead, "dst_a").orElseThrow();
        assertThat(r.attempts()).isEqualTo(60);
        assertThat(r.history()).hasSize(50);
        assertThat(r.history().get(0).detail()).isEqualTo("try 10");
        assertThat(r.history().get(49).detail()).isEqualTo("try 59");

        // A late finish of a superseded generation on a full history trims too.
        long late = t + 10;
        assertThat(store.takeLease(lead, "dst_a", 1, "late", late, late + 1)).isTrue();
        assertThat(store.newGeneration(lead, "dst_a", "acc", "http", Instant.ofEpochMilli(late + 2),
                Instant.now().plusSeconds(900))).map(g -> (int) g.generation()).hasValue(2);
        store.recordFailed(lead, "dst_a", "late", 1, "HTTP 400", List.of(new Attempt(Instant.now(), "permanent", 400,
                "try 60")));
        r = store.get(lead, "dst_a").orElseThrow();
        assertThat(r.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(r.leaseOwner()).isNull();
        assertThat(r.attempts()).isEqualTo(61);
        assertThat(r.history()).hasSize(50);
        assertThat(r.history().get(49).detail()).isEqualTo("try 60");
    }

    @Test
    void a_huge_detail_or_error_is_stored_cut_short() {
        String lead = lead();
        long now = System.currentTimeMillis();
        String huge = "x".repeat(100_000);
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900), null);
        store.takeLease(lead, "dst_a", 1, "w1", now, now + 60_000);
        store.recordFailed(lead, "dst_a", "w1", 1, huge, List.of(new Attempt(Instant.now(), "permanent", 400, huge)));
        DeliveryRecord r = store.get(lead, "dst_a").orElseThrow();
        assertThat(r.history()).singleElement().satisfies(a -> assertThat(a.detail()).hasSizeLessThanOrEqualTo(1000));
        assertThat(r.lastError()).hasSizeLessThanOrEqualTo(1000);
    }

    @Test
    void a_push_opens_no_generation_while_a_delivery_is_queued_or_being_sent() {
        String lead = lead();
        Instant now = Instant.now();
        Instant watchdog = now.plusSeconds(900);
        store.ensure(lead, "dst_a", "acc", "http", watchdog, null);
        assertThat(store.newGeneration(lead, "dst_a", "acc", "http", now, watchdog)).as("queued").isEmpty();

        // Past its watchdog the message is presumed lost: not in flight.
        assertThat(store.newGeneration(lead, "dst_a", "acc", "http", watchdog.plusMillis(1), watchdog.plusSeconds(900)))
                .map(g -> (int) g.generation()).hasValue(2);
        assertThat(store.newGeneration(lead, "dst_a", "acc", "http", watchdog.plusMillis(2), watchdog.plusSeconds(900)))
                .as("the push just queued").isEmpty();

        // Retrying and waiting: a push is the way to retry now. Retrying and leased: being sent.
        String other = lead();
        long ms = now.toEpochMilli();
        store.ensure(other, "dst_a", "acc", "http", watchdog, null);
        store.takeLease(other, "dst_a", 1, "w1", ms, ms + 60_000);
        store.recordRetrying(other, "dst_a", "w1", 1, now.plusSeconds(3600), "HTTP 503", ONE_TRY);
        assertThat(store.takeLease(other, "dst_a", 1, "w2", ms + 3_600_001, ms + 3_700_000)).isTrue();
        assertThat(store.newGeneration(other, "dst_a", "acc", "http", now.plusSeconds(3601), watchdog)).isEmpty();
        assertThat(store.newGeneration(other, "dst_a", "acc", "http", now.plusSeconds(3701), watchdog)).as("lease over")
                .map(g -> (int) g.generation()).hasValue(2);

        // No record yet (a target added after the dispatch): nothing in flight.
        assertThat(store.newGeneration(lead(), "dst_new", "acc", "http", now, watchdog)).map(g -> (int) g.generation()).hasValue(1);
    }

    @Test
    void two_concurrent_pushes_open_one_generation() throws Exception {
        String lead = lead();
        Instant now = Instant.now();
        store.ensure(lead, "dst_a", "acc", "http", now.minusSeconds(1), null);
        var pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<DeliveryRepository.Generation>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> store.newGeneration(lead, "dst_a", "acc", "http", now,
                        now.plusSeconds(900))));
            }
            long opened = 0;
            for (var f : results) {
                opened += f.get().isPresent() ? 1 : 0;
            }
            assertThat(opened).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.get(lead, "dst_a").orElseThrow().generation()).isEqualTo(2);
    }

    private List<DeliveryStore.Due> dueFor(String lead) {
        return dueFor(lead, Instant.now());
    }

    private List<DeliveryStore.Due> dueFor(String lead, Instant until) {
        return DueIndex.rowsOf(store, lead, until);
    }
}
