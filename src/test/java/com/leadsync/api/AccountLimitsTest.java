package com.leadsync.api;

import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.account.AccountRepository.Slot;
import com.leadsync.store.AccountStore;
import com.leadsync.store.DestinationStore;
import com.leadsync.store.Schema;
import com.leadsync.store.TableNames;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Amplification caps: an account has at most {@code leadsync.limits.destinations-per-account} destinations and
 * {@code leadsync.limits.subscriptions-per-account} subscriptions (25 each by default), so one lead cannot be
 * fanned out without bound. The cap holds under concurrent creates; a delete gives the slot back; a counter
 * that drifted from the real items (a lost give-back, accounts from before counting) is recounted.
 */
@QuarkusTest
class AccountLimitsTest {

    private static final int LIMIT = 25;

    @Inject
    AccountStore accounts;
    @Inject
    DestinationStore destinations;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    private static int createDestination(String apiKey) {
        return asJson(apiKey, Map.of("type", "http", "name", "CRM", "config",
                Map.of("url", Fakes.baseUrl() + "/limits/" + UUID.randomUUID()))).post("/crm/destinations").statusCode();
    }

    private static int createSubscription(String apiKey) {
        return asJson(apiKey, Map.of("callbackUrl", Fakes.baseUrl() + "/limits/" + UUID.randomUUID()))
                .post("/webhooks/meta_lead_ads/subscribe").statusCode();
    }

    @Test
    void the_destination_beyond_the_limit_is_refused_and_a_delete_frees_a_slot() {
        Scenario s = Scenario.withMetaPage();
        for (int i = 0; i < LIMIT; i++) {
            assertThat(createDestination(s.apiKey)).isEqualTo(201);
        }

        JsonNode error = assertError(asJson(s.apiKey, Map.of("type", "http", "name", "one too many", "config",
                Map.of("url", Fakes.baseUrl() + "/limits/x"))).post("/crm/destinations"), 422, "invalid");

        assertThat(error.get("message").asText()).contains("25");
        List<String> ids = as(s.apiKey).get("/crm/destinations").jsonPath().getList("items.id");
        assertThat(ids).hasSize(LIMIT);
        assertThat(as(s.apiKey).delete("/crm/destinations/" + ids.get(0)).statusCode()).isEqualTo(204);
        assertThat(as(s.apiKey).delete("/crm/destinations/" + ids.get(0)).statusCode()).isEqualTo(404);
        assertThat(createDestination(s.apiKey)).isEqualTo(201);
        assertThat(createDestination(s.apiKey)).isEqualTo(422);
    }

    @Test
    void a_refused_create_takes_no_slot() {
        Scenario s = Scenario.withMetaPage();
        for (int i = 0; i < LIMIT + 5; i++) {
            assertThat(asJson(s.apiKey, Map.of("type", "http", "name", "bad", "config", Map.of("url", "ftp://x")))
                    .post("/crm/destinations").statusCode()).isEqualTo(422);
        }
        assertThat(createDestination(s.apiKey)).isEqualTo(201);
    }

    @Test
    void concurrent_subscription_creates_never_pass_the_limit() throws Exception {
        Scenario s = Scenario.withMetaPage();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int i = 0; i < LIMIT + 10; i++) {
                results.add(pool.submit(() -> createSubscription(s.apiKey)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(c -> c == 201).hasSize(LIMIT);
            assertThat(statuses).filteredOn(c -> c == 422).hasSize(10);
        } finally {
            pool.shutdownNow();
        }
        List<String> ids = as(s.apiKey).get("/webhooks/subscriptions").jsonPath().getList("items.id");
        assertThat(ids).hasSize(LIMIT);

        assertThat(as(s.apiKey).delete("/webhooks/subscriptions/" + ids.get(0)).statusCode()).isEqualTo(204);
        assertThat(createSubscription(s.apiKey)).isEqualTo(201);
        assertThat(createSubscription(s.apiKey)).isEqualTo(422);
    }

    @Test
    void a_leaked_destination_slot_no_longer_blocks_the_last_create() {
        Scenario s = Scenario.withMetaPage();
        for (int i = 0; i < LIMIT - 1; i++) {
            assertThat(createDestination(s.apiKey)).isEqualTo(201);
        }
        // A slot taken by a create that died before writing its item (or a give-back lost after a delete).
        assertThat(accounts.takeSlot(s.accountId, Slot.DESTINATION, LIMIT)).isTrue();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> createDestination(s.apiKey), status -> status == 201);

        assertThat(createDestination(s.apiKey)).isEqualTo(422);
        assertThat(as(s.apiKey).get("/crm/destinations").jsonPath().getList("items.id")).hasSize(LIMIT);
    }

    @Test
    void a_lost_give_back_after_a_subscription_delete_heals() {
        Scenario s = Scenario.withMetaPage();
        for (int i = 0; i < LIMIT; i++) {
            assertThat(createSubscription(s.apiKey)).isEqualTo(201);
        }
        String id = as(s.apiKey).get("/webhooks/subscriptions").jsonPath().getString("items[0].id");
        assertThat(as(s.apiKey).delete("/webhooks/subscriptions/" + id).statusCode()).isEqualTo(204);
        // The delete's give-back failed (throttled, then 500): the item is gone, the counter still says 25.
        assertThat(accounts.takeSlot(s.accountId, Slot.SUBSCRIPTION, LIMIT)).isTrue();
        assertThat(as(s.apiKey).delete("/webhooks/subscriptions/" + id).statusCode()).isEqualTo(404);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> createSubscription(s.apiKey), status -> status == 201);

        assertThat(createSubscription(s.apiKey)).isEqualTo(422);
        assertThat(as(s.apiKey).get("/webhooks/subscriptions").jsonPath().getList("items.id")).hasSize(LIMIT);
    }

    @Test
    void an_account_with_destinations_from_before_counting_cannot_pass_the_limit_even_concurrently()
            throws Exception {
        Scenario s = Scenario.withMetaPage();
        int before = LIMIT - 5;
        for (int i = 0; i < before; i++) {
            assertThat(createDestination(s.apiKey)).isEqualTo(201);
        }
        forgetCounters(s.accountId);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> createDestination(s.apiKey)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(c -> c == 201).hasSize(5);
            assertThat(statuses).filteredOn(c -> c == 422).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
        assertThat(as(s.apiKey).get("/crm/destinations").jsonPath().getList("items.id")).hasSize(LIMIT);
        assertThat(createDestination(s.apiKey)).isEqualTo(422);
    }

    @Test
    void no_recount_runs_while_a_delete_is_under_way() {
        Scenario s = Scenario.withMetaPage();
        for (int i = 0; i < LIMIT; i++) {
            assertThat(createDestination(s.apiKey)).isEqualTo(201);
        }
        String id = as(s.apiKey).get("/crm/destinations").jsonPath().getString("items[0].id");
        await().atMost(Duration.ofSeconds(30)).until(() -> accounts.slotCount(s.accountId, Slot.DESTINATION)
                .orElseThrow().changedAt().isBefore(Instant.now().minusSeconds(3)));

        // A delete between its two writes: the item is gone, its give-back not done yet.
        accounts.touchSlot(s.accountId, Slot.DESTINATION);
        assertThat(destinations.delete(id)).isTrue();
        assertThat(createDestination(s.apiKey)).isEqualTo(422);
        accounts.returnSlot(s.accountId, Slot.DESTINATION);

        assertThat(createDestination(s.apiKey)).isEqualTo(201);
        assertThat(createDestination(s.apiKey)).isEqualTo(422);
        assertThat(as(s.apiKey).get("/crm/destinations").jsonPath().getList("items.id")).hasSize(LIMIT);
    }

    /** The account item as it was before the caps existed: no counters, no trace of any create or delete. */
    private void forgetCounters(String accountId) {
        Map<String, AttributeValue> item = new HashMap<>(dynamo.getItem(b -> b
                .tableName(tables.of(Schema.ACCOUNTS)).key(Map.of("accountId", AttributeValue.fromS(accountId)))
                .consistentRead(true)).item());
        item.keySet().removeIf(name -> !List.of("accountId", "name", "defaultRegion", "createdAt").contains(name));
        dynamo.putItem(b -> b.tableName(tables.of(Schema.ACCOUNTS)).item(item));
    }
}
