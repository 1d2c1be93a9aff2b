package com.leadsync.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.queue.QueuePublisher;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code ./mvnw -Pbench verify}: N signed webhooks (one lead each, two targets: HubSpot and a subscriber)
 * through local mode, then, in the same run and at the pipeline's concurrency, the emulators' raw rates for
 * the I/O one lead needs. Prints one line starting {@code pipeline:}.
 */
@QuarkusTest
@TestProfile(PipelineBenchmark.Profile.class)
class PipelineBenchmark {

    /** Pumps as in local mode: 4 pollers per SQS trigger (8 workers), production timings. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "leadsync.local.pumps", "true",
                    "leadsync.local.pollers-per-queue", "4",
                    "leadsync.local.visibility-timeout", "30",
                    "quarkus.log.category.\"com.leadsync\".level", "WARN",
                    "quarkus.dynamodb.interceptors", CountingInterceptor.class.getName(),
                    "quarkus.sqs.interceptors", CountingInterceptor.class.getName());
        }
    }

    private static final int CONCURRENCY = 8;

    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    @Inject
    DynamoDbClient dynamo;
    @Inject
    SqsClient sqs;
    @Inject
    QueuePublisher queues;

    @Test
    void pipeline_throughput_against_the_emulator_bound() throws Exception {
        int n = Integer.getInteger("bench.leads", 1000);
        Scenario s = Scenario.withMetaPage();
        s.addHubSpot();
        s.subscribe("/bench/subscriber", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        Scenario.stubHubSpotOk();
        Scenario.stubOk("/bench/subscriber");
        Fakes.server().stubFor(get(urlPathMatching("/v25.0/[0-9]+")).willReturn(aResponse()
                .withHeader("content-type", "application/json").withTransformers(Fakes.GRAPH_LEAD_ECHO)));

        // Warm-up: class loading, JIT (the hot paths need a few hundred leads), first SDK calls (over a second cold).
        runLeads(s, 300, "8");

        // The emulators' raw rates, right before and right after the pipeline run (averaged: they drift).
        double putsBefore = rawConditionalPuts(Duration.ofSeconds(4));
        double sqsBefore = rawSqsCycles(Duration.ofSeconds(4));
        CountingInterceptor.reset();

        List<Long> ackNanos = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        runLeads(s, n, "9", ackNanos);
        double seconds = (System.nanoTime() - start) / 1e9;
        double leadsPerSecond = n / seconds;
        Map<String, Long> calls = CountingInterceptor.snapshot();

        long dynamoOps = calls.entrySet().stream().filter(e -> e.getKey().startsWith("DynamoDb:"))
                .mapToLong(Map.Entry::getValue).sum();
        double dynamoPerLead = dynamoOps / (double) n;
        double messagesPerLead = calls.getOrDefault("SQS:messagesSent", 0L) / (double) n;

        double putsPerSecond = (putsBefore + rawConditionalPuts(Duration.ofSeconds(4))) / 2;
        double sqsCyclesPerSecond = (sqsBefore + rawSqsCycles(Duration.ofSeconds(4))) / 2;
        double bound = 1 / (dynamoPerLead / putsPerSecond + messagesPerLead / sqsCyclesPerSecond);

        List<Long> sorted = new ArrayList<>(ackNanos);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "pipeline: %d leads, %.1f leads/s end-to-end (webhook → HubSpot upsert + "
                        + "signed forward), webhook ack p50 %.1f ms p99 %.1f ms; bound %.1f leads/s from the emulators "
                        + "at concurrency %d (mean before/after: %.0f conditional PutItem/s, %.0f SQS send+receive+delete/s; per lead "
                        + "%.1f DynamoDB calls, %.1f SQS messages); ratio %.2f%n",
                n, leadsPerSecond, pct(sorted, 0.50), pct(sorted, 0.99), bound, CONCURRENCY, putsPerSecond,
                sqsCyclesPerSecond, dynamoPerLead, messagesPerLead, leadsPerSecond / bound);
        System.out.println("pipeline calls by operation: " + calls);
    }

    private void runLeads(Scenario s, int count, String idPrefix) throws Exception {
        runLeads(s, count, idPrefix, Collections.synchronizedList(new ArrayList<>()));
    }

    /** Sends {@code count} webhooks from CONCURRENCY threads and waits until every lead reached both targets. */
    private void runLeads(Scenario s, int count, String idPrefix, List<Long> ackNanos) throws Exception {
        // A plain JDK client: light on CPU, so the senders take as little as possible from the pipeline.
        java.net.URI webhookUri = java.net.URI.create(io.quarkus.test.common.http.TestHTTPResourceManager.getUri()
                + "/webhook/meta_lead_ads");
        String run = Long.toString(System.nanoTime() % 1_000_000_000L);
        long before = upserts() + forwards();
        ExecutorService senders = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String leadgenId = idPrefix + run + String.format("%06d", i);
                String body = s.webhookBody(leadgenId);
                sent.add(senders.submit(() -> {
                    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(webhookUri)
                            .header("content-type", "application/json")
                            .header("X-Hub-Signature-256", Scenario.sign(body))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    int status = http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                    ackNanos.add(System.nanoTime() - t0);
                    return status;
                }));
            }
            for (Future<Integer> f : sent) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            senders.shutdown();
        }
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> upserts() + forwards() - before >= 2L * count);
    }

    private static long upserts() {
        return Fakes.count("POST", Scenario.HUBSPOT_UPSERT);
    }

    private static long forwards() {
        return Fakes.count("POST", "/bench/subscriber");    }

    /** Raw conditional PutItem/s (attribute_not_exists on a fresh key) from CONCURRENCY threads. */
    private double rawConditionalPuts(Duration window) throws Exception {
        String table = "bench-raw-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
        return rate(window, () -> {
            dynamo.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS(UUID.randomUUID().toString()),
                            "status", AttributeValue.fromS("RECEIVED")))
                    .conditionExpression("attribute_not_exists(id)"));
            return 1;
        });
    }

    /** Raw SQS send + receive + delete cycles/s from CONCURRENCY threads on a fresh queue. */
    private double rawSqsCycles(Duration window) throws Exception {
        String url = sqs.createQueue(b -> b.queueName("bench-raw-" + UUID.randomUUID())).queueUrl();
        return rate(window, () -> {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"leadId\":\"x\"}"));
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(1))
                    .messages();
            for (Message m : got) {
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
            return got.size();
        });
    }

    private static double rate(Duration window, Callable<Integer> op) throws Exception {
        for (int i = 0; i < 20; i++) {
            op.call();
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    done.addAndGet(op.call());
                }
                return null;
            }));
        }
        await().pollDelay(window).atMost(window.plusSeconds(1)).until(() -> true);
        stop.set(true);
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        return done.get() / ((System.nanoTime() - t0) / 1e9);
    }

    private static double pct(List<Long> sortedNanos, double p) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.min(sortedNanos.size() - 1, Math.ceil(p * sortedNanos.size()) - 1);
        return sortedNanos.get(Math.max(0, i)) / 1e6;
    }
}
