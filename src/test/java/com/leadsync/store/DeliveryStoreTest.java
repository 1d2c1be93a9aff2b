package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.delivery.Attempt;
import com.leadsync.delivery.DeliveryStatus;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The delivery record's conditional writes, on the real DynamoDB emulator. */
@QuarkusTest
class DeliveryStoreTest {

    @Inject
    DeliveryStore store;

    private static final List<Attempt> ONE_TRY = List.of(new Attempt(Instant.now(), "retryable", 503, "HTTP 503"));

    private static String lead() {
        return "ld_test_" + UUID.randomUUID();
    }

    @Test
    void a_redelivered_dispatch_keeps_the_record_and_its_generation() {
        String lead = lead();
        Instant watchdog = Instant.now().plusSeconds(900);
        assertThat(store.ensure(lead, "dst_a", "acc", "hubspot", watchdog)).isEqualTo(1);
        assertThat(store.newGeneration(lead, "dst_a", "acc", "hubspot", watchdog)).isEqualTo(2);
        assertThat(store.ensure(lead, "dst_a", "acc", "hubspot", watchdog)).isEqualTo(2);
    }

    @Test
    void one_lease_at_a_time_and_none_once_delivered() {
        String lead = lead();
        long now = System.currentTimeMillis();
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900));
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
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900));
        assertThat(store.takeLease(lead, "dst_a", 1, "crashed", now - 10_000, now - 1)).isTrue();
        assertThat(store.takeLease(lead, "dst_a", 1, "next", now, now + 60_000)).isTrue();
    }

    @Test
    void a_retrying_delivery_is_not_sent_before_its_time() {
        String lead = lead();
        long now = System.currentTimeMillis();
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900));
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
        store.ensure(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900));
        assertThat(store.takeLease(lead, "dst_a", 1, "gen1", now, now + 60_000)).isTrue();
        store.newGeneration(lead, "dst_a", "acc", "http", Instant.now().plusSeconds(900));

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
        store.ensure(lead, "dst_a", "acc", "http", watchdog);
        List<DeliveryStore.Due> due = dueFor(lead);
        assertThat(due).singleElement().satisfies(d -> assertThat(d.generation()).isEqualTo(1));

        assertThat(store.markRequeued(due.get(0), Instant.now().plusSeconds(900))).isTrue();
        assertThat(dueFor(lead)).isEmpty();
        assertThat(store.markRequeued(due.get(0), Instant.now().plusSeconds(900))).as("only once").isFalse();
    }

    private List<DeliveryStore.Due> dueFor(String lead) {
        List<DeliveryStore.Due> all = new java.util.ArrayList<>();
        var page = store.due(Instant.now(), 100, null);
        while (true) {
            page.items().stream().filter(d -> d.leadId().equals(lead)).forEach(all::add);
            if (page.next() == null) {
                return all;
            }
            page = store.due(Instant.now(), 100, page.next());
        }
    }
}
