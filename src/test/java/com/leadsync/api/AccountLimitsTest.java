package com.leadsync.api;

import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Amplification caps: an account has at most {@code leadsync.limits.destinations-per-account} destinations and
 * {@code leadsync.limits.subscriptions-per-account} subscriptions (25 each by default), so one lead cannot be
 * fanned out without bound. The cap holds under concurrent creates; a delete gives the slot back.
 */
@QuarkusTest
class AccountLimitsTest {

    private static final int LIMIT = 25;

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
}
