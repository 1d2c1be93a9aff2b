package com.leadsync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.api.ApiTestSupport;
import com.leadsync.delivery.DeliverMessage;
import com.leadsync.delivery.DeliveryQueue;
import com.leadsync.delivery.DeliveryStatus;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.local.LocalInfrastructure;
import com.leadsync.model.StoredLead;
import com.leadsync.store.DeliveryStore;
import com.leadsync.store.DestinationStore;
import com.leadsync.store.LeadStore;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mvnw -Pbench verify}: {@code bench.crm-leads} (10,000) stored leads queued for one HubSpot destination and
 * delivered by local mode's queue pumps (the deliver trigger's BatchSize 100 within its 2 s window, 4 pollers: four
 * concurrent "instances"), through the engine's batching and pacing, to a fake HubSpot that enforces 100 requests
 * per rolling 10 s and answers over it with HubSpot's 429 ({@code policyName: TEN_SECONDLY_ROLLING}). Prints one line
 * starting {@code crm:}. Asserts that every lead was delivered; the figures are for reading.
 */
@QuarkusTest
@TestProfile(CrmBenchmark.Profile.class)
class CrmBenchmark {

    static final int PORT = freePort();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "leadsync.local.pumps", "true",
                    "leadsync.local.pollers-per-queue", "4",
                    "leadsync.local.visibility-timeout", "60",
                    "quarkus.rest-client.hubspot.url", "http://127.0.0.1:" + PORT,
                    "quarkus.log.category.\"com.leadsync\".level", "WARN");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LeadStore leads;
    @Inject
    DeliveryStore deliveries;
    @Inject
    DestinationStore destinations;
    @Inject
    DeliveryQueue queue;
    @Inject
    LocalInfrastructure stack;

    @Test
    void ten_thousand_leads_reach_a_rate_limited_hubspot_in_batches_without_a_429() throws Exception {
        int n = Integer.getInteger("bench.crm-leads", 10_000);
        stack.ensure();
        FakeHubSpot hubspot = new FakeHubSpot(100, Duration.ofSeconds(10));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 64);
        server.createContext("/crm/v3/objects/contacts/batch/upsert", hubspot::upsert);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        try {
            String account = "acc_crm_bench_" + UUID.randomUUID();
            String targetId = "dst_" + UUID.randomUUID();
            Instant now = Instant.now();
            destinations.put(new DestinationConfig(targetId, account, "hubspot", "HubSpot", true,
                    Map.of("accessToken", "pat-na1-" + UUID.randomUUID()), Map.of(), now, now));
            List<DeliverMessage> messages = store(n, account, targetId);

            long started = System.nanoTime();
            for (int from = 0; from < messages.size(); from += 500) {
                queue.publishDeliver(messages.subList(from, Math.min(messages.size(), from + 500)));
            }
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> hubspot.written.get() >= n);
            // Written to HubSpot; then recorded (the check reads every delivery, so it adds a little to the time).
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> delivered(messages) == n);
            double seconds = (System.nanoTime() - started) / 1e9;
            long delivered = delivered(messages);
            System.out.printf("crm: %d leads to hubspot: %d requests, %d 429s, %.1f s until all delivered%n", n,
                    hubspot.requests.get(), hubspot.refused.get(), seconds);
            assertThat(delivered).isEqualTo(n);
        } finally {
            server.stop(0);
        }
    }

    private long delivered(List<DeliverMessage> messages) {
        return messages.parallelStream().filter(m -> deliveries.get(m.leadId(), m.targetId()).orElseThrow().status()
                == DeliveryStatus.DELIVERED).count();
    }

    /** Leads stored and their deliveries opened as dispatch does, 8 at a time. */
    private List<DeliverMessage> store(int n, String account, String targetId) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<DeliverMessage>> opened = new ArrayList<>();
        Instant received = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            opened.add(writers.submit(() -> {
                StoredLead lead = ApiTestSupport.storeLead(leads, account, received);
                long generation = deliveries.ensure(lead.leadId(), targetId, account, "hubspot",
                        Instant.now().plus(Duration.ofHours(1)), null);
                return new DeliverMessage(lead.leadId(), targetId, generation, null);
            }));
        }
        List<DeliverMessage> messages = new ArrayList<>();
        for (Future<DeliverMessage> f : opened) {
            messages.add(f.get());
        }
        writers.shutdown();
        return messages;
    }

    /**
     * HubSpot's batch upsert as crm.md §A.1 describes it: at most {@code limit} requests per rolling {@code window}
     * (over it: 429 with the real body and rate-limit headers), else 200 with one result per input.
     */
    static final class FakeHubSpot {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger written = new AtomicInteger();
        private final AtomicInteger ids = new AtomicInteger(1000);
        private final int limit;
        private final Duration window;
        private final Deque<Long> accepted = new ArrayDeque<>();

        FakeHubSpot(int limit, Duration window) {
            this.limit = limit;
            this.window = window;
        }

        void upsert(HttpExchange exchange) throws IOException {
            requests.incrementAndGet();
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            int remaining;
            synchronized (accepted) {
                long now = System.nanoTime();
                while (!accepted.isEmpty() && now - accepted.peekFirst() >= window.toNanos()) {
                    accepted.removeFirst();
                }
                remaining = limit - accepted.size();
                if (remaining > 0) {
                    accepted.addLast(now);
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json;charset=utf-8");
            exchange.getResponseHeaders().add("X-HubSpot-RateLimit-Interval-Milliseconds",
                    Long.toString(window.toMillis()));
            exchange.getResponseHeaders().add("X-HubSpot-RateLimit-Max", Integer.toString(limit));
            exchange.getResponseHeaders().add("X-HubSpot-RateLimit-Remaining",
                    Integer.toString(Math.max(0, remaining - 1)));
            if (remaining <= 0) {
                refused.incrementAndGet();
                answer(exchange, 429, """
                        {"status":"error","message":"You have reached your ten_secondly_rolling limit.",
                         "errorType":"RATE_LIMIT","correlationId":"%s","policyName":"TEN_SECONDLY_ROLLING"}"""
                        .formatted(UUID.randomUUID()));
                return;
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("status", "COMPLETE");
            ArrayNode results = out.putArray("results");
            for (JsonNode input : body.path("inputs")) {
                ObjectNode r = results.addObject();
                String id = Integer.toString(ids.incrementAndGet());
                r.put("id", id);
                r.put("new", true);
                ObjectNode properties = r.putObject("properties");
                input.path("properties").fields().forEachRemaining(e -> properties.set(e.getKey(), e.getValue()));
                properties.put("hs_object_id", id);
                r.put("archived", false);
            }
            out.put("startedAt", Instant.now().toString());
            out.put("completedAt", Instant.now().toString());
            written.addAndGet(body.path("inputs").size());
            answer(exchange, 200, out.toString());
        }

        private static void answer(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
