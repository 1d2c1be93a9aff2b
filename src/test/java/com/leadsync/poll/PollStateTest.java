package com.leadsync.poll;

import static com.leadsync.poll.PollTests.connectionId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.store.Schema;
import com.leadsync.store.TableNames;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import com.leadsync.walk.LostLease;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The poll state's conditional writes on the connection items (real emulator), and which items the schedule polls. */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class PollStateTest {

    @Inject
    PollStates states;
    @Inject
    PollScheduler scheduler;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    @Test
    void one_worker_holds_the_lease_until_it_runs_out_and_a_worker_that_lost_it_changes_nothing() {
        Scenario s = Scenario.withMetaPage();
        String id = connectionId(s);
        String route = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PollState.Walk walk = new PollState.Walk("walk_a", now.minus(Duration.ofHours(24)), now, null, 0);

        assertThat(states.takeLease(route, id, "a", now, now.plusSeconds(60))).isTrue();
        states.startWalk(route, id, "a", walk);
        assertThat(states.takeLease(route, id, "b", now.plusSeconds(1), now.plusSeconds(61))).isFalse();
        states.recordPage(route, id, "a", "walk_a", "p2", 3, now.plusSeconds(90));
        // Renewed by the page: still a's at the first expiry.
        assertThat(states.takeLease(route, id, "b", now.plusSeconds(61), now.plusSeconds(120))).isFalse();
        assertThat(states.takeLease(route, id, "b", now.plusSeconds(91), now.plusSeconds(150))).isTrue();

        assertThatThrownBy(() -> states.recordPage(route, id, "a", "walk_a", "p3", 5, now.plusSeconds(200)))
                .isInstanceOf(LostLease.class);
        assertThatThrownBy(() -> states.complete(route, id, "a", "walk_a", 5, now, now)).isInstanceOf(LostLease.class);
        states.release(route, id, "a");
        PollState state = states.read(route).orElseThrow();
        assertThat(state.leaseOwner()).isEqualTo("b");
        assertThat(state.walk()).isEqualTo(new PollState.Walk("walk_a", walk.since(), walk.until(), "p2", 3));

        // b goes on from p2 and completes: the watermark is the window's end, every recorded lead counted.
        states.recordPage(route, id, "b", "walk_a", "p3", 2, now.plusSeconds(200));
        states.complete(route, id, "b", "walk_a", 1, walk.until(), now.plusSeconds(95));
        PollState after = states.read(route).orElseThrow();
        assertThat(after.walk()).isNull();
        assertThat(after.leaseOwner()).isNull();
        assertThat(after.watermark()).isEqualTo(walk.until());
        assertThat(after.last()).isEqualTo(new PollStatus(now.plusSeconds(95), "ok", null, 6L));
        assertThat(states.statusByAccount(s.accountId)).containsEntry(id, after.last());
    }

    @Test
    void a_failed_walk_keeps_the_watermark_and_a_deferred_one_its_position() {
        Scenario s = Scenario.withMetaPage();
        String id = connectionId(s);
        String route = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        assertThat(states.takeLease(route, id, "a", now, now.plusSeconds(60))).isTrue();
        states.startWalk(route, id, "a", new PollState.Walk("walk_1", now.minusSeconds(60), now, null, 0));
        states.complete(route, id, "a", "walk_1", 0, now, now);
        assertThat(states.takeLease(route, id, "a", now, now.plusSeconds(60))).isTrue();
        states.startWalk(route, id, "a", new PollState.Walk("walk_2", now.minusSeconds(900), now.plusSeconds(5),
                null, 0));
        states.recordPage(route, id, "a", "walk_2", "p2", 4, now.plusSeconds(60));
        states.defer(route, id, "a", now.plusSeconds(300));
        PollState deferred = states.read(route).orElseThrow();
        assertThat(deferred.leaseOwner()).isNull();
        assertThat(deferred.deferredUntil()).isEqualTo(now.plusSeconds(300));
        assertThat(deferred.walk().position()).isEqualTo("p2");
        assertThat(deferred.last().lastPollStatus()).isEqualTo("ok");

        assertThat(states.takeLease(route, id, "b", now, now.plusSeconds(60))).isTrue();
        states.fail(route, id, "b", "x".repeat(2000), now.plusSeconds(9));
        PollState failed = states.read(route).orElseThrow();
        assertThat(failed.walk()).isNull();
        assertThat(failed.deferredUntil()).isNull();
        assertThat(failed.watermark()).as("unchanged by the failure").isEqualTo(now);
        assertThat(failed.last().lastPollStatus()).isEqualTo("failed");
        assertThat(failed.last().lastPollLeads()).isEqualTo(4);
        assertThat(failed.last().lastPollError()).hasSizeLessThanOrEqualTo(500);
    }

    @Test
    void poll_writes_never_bring_back_a_deleted_connection() {
        Scenario s = Scenario.withMetaPage();
        String id = connectionId(s);
        String route = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);
        Scenario.given().header("x-api-key", s.apiKey).delete("/connections/" + id).then().statusCode(204);

        assertThat(states.takeLease(route, id, "a", Instant.now(), Instant.now().plusSeconds(60))).isFalse();
        assertThatThrownBy(() -> states.fail(route, id, "a", "gone", Instant.now())).isInstanceOf(LostLease.class);
        states.release(route, id, "a");
        assertThat(states.read(route)).isEmpty();
        assertThat(dynamo.getItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                .key(Map.of("routeKey", AttributeValue.fromS(route))).consistentRead(true)).item()).isEmpty();
    }

    @Test
    void the_schedule_polls_connections_that_are_idle_and_not_pointers_waiting_or_deferred() {
        Instant now = Instant.now();
        ProviderType meta = ProviderType.META_LEAD_ADS;
        assertThat(scheduler.due(candidate(meta, null, null, null), now)).isTrue();
        assertThat(scheduler.due(candidate(meta, "active", now.minusSeconds(1), now.minusSeconds(1)), now)).isTrue();
        assertThat(scheduler.due(candidate(null, null, null, null), now)).as("webhook-key pointer").isFalse();
        assertThat(scheduler.due(candidate(meta, "needs_reauth", null, null), now)).isFalse();
        assertThat(scheduler.due(candidate(meta, null, now.plusSeconds(30), null), now)).as("being polled").isFalse();
        assertThat(scheduler.due(candidate(meta, null, null, now.plusSeconds(30)), now)).as("rate limited").isFalse();
    }

    @Test
    void the_scan_pages_through_the_whole_table_and_reads_pointer_items_as_no_connection() {
        Scenario s = Scenario.withMetaPage();
        String pointer = "webhookKey#" + s.pageId;
        dynamo.putItem(b -> b.tableName(tables.of(Schema.CONNECTIONS)).item(Map.of("routeKey",
                AttributeValue.fromS(pointer), "keyOf", AttributeValue.fromS("con_x"), "keyOfRoute",
                AttributeValue.fromS("google_ads#1234567890"))));
        String route = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);
        List<PollCandidate> all = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            PollStates.ScanPage page = states.scan(after, 2);
            all.addAll(page.items());
            after = page.lastKey();
            pages++;
        } while (after != null);
        assertThat(pages).isGreaterThan(1);
        assertThat(all).filteredOn(c -> c.routeKey().equals(route)).singleElement()
                .satisfies(c -> assertThat(c.providerType()).isEqualTo(ProviderType.META_LEAD_ADS))
                .satisfies(c -> assertThat(c.externalId()).isEqualTo(s.pageId));
        assertThat(all).filteredOn(c -> c.routeKey().equals(pointer)).singleElement()
                .satisfies(c -> assertThat(c.providerType()).isNull());
    }

    private static PollCandidate candidate(ProviderType type, String status, Instant leaseUntil, Instant deferredUntil) {
        return new PollCandidate("r", "con_1", type, "123", status, leaseUntil, deferredUntil);
    }
}
