package com.leadsync.chaos;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The two places the chaos run's leads go: a custom HTTP CRM ({@code POST /crm}, the {@code http} destination, one
 * lead per request with {@code Idempotency-Key}) that, while its faults are on, answers 5xx to 20% of sends, 429 to
 * 10% and holds 5% past the sender's timeout (those it does take, as a slow CRM does: the sender cannot know); and a
 * webhook subscriber ({@code POST /subscriber}, Standard Webhooks, the key in {@code webhook-id}) that takes every
 * event. Each counts, per lead, the distinct idempotency keys it took: a retry with the same key is the same send,
 * a second key for a lead is a duplicate.
 */
final class FlakyReceivers implements AutoCloseable {

    static final String CRM = "/crm";
    static final String SUBSCRIBER = "/subscriber";
    private static final String TRANSFORMER = "chaos-flaky";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server;
    private final Duration hang;
    private final Map<String, Target> targets = Map.of(CRM, new Target(), SUBSCRIBER, new Target());
    private volatile boolean faults = true;

    /** {@code hang}: how long a held send waits before its (late) 200, longer than LeadSync's send timeout. */
    FlakyReceivers(Duration hang) {
        this.hang = hang;
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(100)
                .disableRequestJournal().extensions(new Flaky()));
        server.start();
        for (String path : targets.keySet()) {
            server.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                    .withTransformers(TRANSFORMER)));
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** From now on every send is taken at once. */
    void stopFaults() {
        faults = false;
    }

    /** The leads {@code path} took, by provider lead id, each with the idempotency keys it came with. */
    Map<String, Set<String>> taken(String path) {
        return targets.get(path).keysByLead;
    }

    /** Sends answered with {@code status} (0: held past the timeout). */
    long answered(String path, int status) {
        LongAdder n = targets.get(path).byStatus.get(status);
        return n == null ? 0 : n.sum();
    }

    /** Sends that took a lead already taken under another idempotency key. */
    long duplicates(String path) {
        return taken(path).values().stream().mapToLong(keys -> keys.size() - 1).sum();
    }

    @Override
    public void close() {
        server.stop();
    }

    private static final class Target {
        final Map<String, Set<String>> keysByLead = new ConcurrentHashMap<>();
        final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();

        void count(int status) {
            byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        }

        void take(String lead, String key) {
            keysByLead.computeIfAbsent(lead, l -> ConcurrentHashMap.newKeySet()).add(key);
        }
    }

    private final class Flaky implements ResponseDefinitionTransformerV2 {

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String path = request.getUrl();
            Target target = targets.get(path);
            ResponseDefinitionBuilder reply = ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                    .withHeader("content-type", "application/json");
            String lead;
            String key;
            try {
                JsonNode body = JSON.readTree(request.getBodyAsString());
                lead = CRM.equals(path) ? body.path("provider_lead_id").asText(null)
                        : body.path("data").path("providerLeadId").asText(null);
                key = request.getHeader(CRM.equals(path) ? "Idempotency-Key" : "webhook-id");
            } catch (IOException | RuntimeException unreadable) {
                lead = null;
                key = null;
            }
            if (lead == null || key == null) {
                target.count(400);
                return reply.withStatus(400).withBody("{\"error\":\"a lead id and an idempotency key are required\"}")
                        .build();
            }
            double roll = CRM.equals(path) && faults ? ThreadLocalRandom.current().nextDouble() : 1;
            if (roll < 0.20) {
                target.count(503);
                return reply.withStatus(503).withBody("{\"error\":\"service unavailable\"}").build();
            }
            if (roll < 0.30) {
                target.count(429);
                return reply.withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"error\":\"rate limit exceeded\"}").build();
            }
            target.take(lead, key);
            if (roll < 0.35) {
                target.count(0);
                return reply.withStatus(200).withFixedDelay((int) hang.toMillis()).withBody("{\"ok\":true}").build();
            }
            target.count(200);
            return reply.withStatus(200).withBody("{\"ok\":true}").build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return TRANSFORMER;
        }
    }
}
