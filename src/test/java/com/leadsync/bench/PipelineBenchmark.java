package com.leadsync.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.local.LocalInfrastructure;
import com.leadsync.local.LocalStacks;
import com.leadsync.local.StackTemplate;
import com.leadsync.queue.QueuePublisher;
import com.leadsync.testing.CapturedMetrics;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code ./mvnw -Pbench verify}: N signed webhooks (one lead each, two targets: HubSpot and a subscriber) through
 * local mode, every DynamoDB and SQS call they cause recorded; then that trace replayed, with no pipeline logic,
 * against copies of the tables (as they were when the run started) and fresh queues on the same emulators, by as
 * many threads as the pipeline made the calls from (see {@link ReplayPlan} for the order kept). Prints one line
 * starting {@code pipeline:}. It asserts that the run and the replay did the same work, nothing about speed.
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
                    // INFO is what the prod profile logs (LogBytes counts it for the cost line); the console
                    // shows only warnings.
                    "quarkus.log.category.\"com.leadsync\".level", "INFO",
                    "quarkus.log.console.level", "WARN",
                    // As in production: an account's flows are read once per 30 s per instance, not every second.
                    "quarkus.cache.caffeine.\"account-flows\".expire-after-write", "30s",
                    "quarkus.dynamodb.interceptors", CallRecorder.class.getName(),
                    "quarkus.sqs.interceptors", CallRecorder.class.getName());
        }
    }

    private static final int SENDERS = 8;
    private static final int FLOWS = 5;
    private static final String SUBSCRIBER = "/bench/subscriber";

    /** A plain JDK client: light on CPU, so the senders take as little as possible from the pipeline. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Watches the queues without being recorded (not one of the application's clients). */
    private SqsClient monitor;

    @Inject
    DynamoDbClient dynamo;
    @Inject
    SqsClient sqs;
    @Inject
    QueuePublisher queues;
    @Inject
    LocalInfrastructure stack;
    @ConfigProperty(name = "leadsync.local.visibility-timeout")
    Optional<Integer> visibilityTimeout;
    @ConfigProperty(name = "quarkus.cache.caffeine.\"account-flows\".expire-after-write")
    Duration flowsCacheExpiry;
    @ConfigProperty(name = "quarkus.sqs.endpoint-override")
    URI sqsEndpoint;

    /** One recorded run: its trace, its timings (System.nanoTime) and the log and metric bytes it wrote. */
    private record Run(int leads, List<CallRecorder.Call> trace, long startNanos, long arrivedNanos,
            List<Long> ackNanos, long logBytes) {
    }

    @Inject
    CapturedMetrics metrics;

    private LogBytes logBytes;

    @BeforeEach
    void countLogs() {
        logBytes = LogBytes.attach();
    }

    @AfterEach
    void stopCountingLogs() {
        logBytes.close();
    }

    @BeforeEach
    void openMonitor() {
        monitor = SqsClient.builder().endpointOverride(sqsEndpoint).region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    @AfterEach
    void closeMonitor() {
        monitor.close();
    }

    @Test
    void pipeline_throughput_against_a_replay_of_its_emulator_calls() throws Exception {
        int n = Integer.getInteger("bench.leads", 1000);
        int warmup = Integer.getInteger("bench.warmup", 300);
        Scenario s = twoTargetScenario();

        // Warm-up, pipeline and replay alike: class loading, JIT (the hot paths need a few hundred leads), the first
        // SDK calls (over a second cold). The warm-up's own replay is checked but not reported.
        Replay warmReplay = copyOfStack("bench-replay-warmup");
        Run warm = record(s, warmup, "8");
        replayAndCheck(warm, plan(warm), warmReplay);

        Measured plain = measure(s, n, "9", "bench-replay");
        report("pipeline:", n, plain);
        CostModel.Estimate cost = cost(plain.run());
        System.out.println(cost.line());
        System.out.println(cost.breakdown());

        // The same again with five enabled flows on the account, each running on every lead.
        for (int i = 1; i <= FLOWS; i++) {
            createFlow(s, i);
        }
        // Until the normalize function's cache of the account's (so far no) flows expires, as in production.
        Thread.sleep(flowsCacheExpiry.toMillis() + 1000);
        record(s, Math.max(50, warmup / 3), "6");
        Measured withFlows = measure(s, n, "7", "bench-replay-flows");
        assertThat(putsTo(withFlows.run(), "FlowRunsTable")).as("one run recorded per lead and flow")
                .isEqualTo((long) n * FLOWS);
        report("pipeline (" + FLOWS + " active flows per account):", n, withFlows);
        System.out.println(cost(withFlows.run()).line().replace("cost:", "cost (" + FLOWS + " active flows):"));
    }

    /**
     * The {@code load:} line: the pipeline's capacity measured (a burst of webhooks, first sent to last delivered),
     * then webhooks sent at twice that rate for {@code bench.load-seconds}, on a schedule that does not wait for
     * answers (as Meta's senders do not); every ack timed, every non-200 counted, the queues' backlog sampled, and
     * the time until the last lead reached both targets.
     */
    @Test
    void webhooks_at_twice_the_measured_capacity_are_acked_fast_and_the_backlog_drains() throws Exception {
        int probe = Integer.getInteger("bench.load-probe", 1500);
        int seconds = Integer.getInteger("bench.load-seconds", 60);
        Scenario s = twoTargetScenario();
        String batch = Long.toString(System.nanoTime() % 1_000_000_000L);
        Run warm = record(s, 300, "4" + batch);
        Run burst = record(s, probe, "5" + batch);
        double capacity = probe / ((burst.arrivedNanos() - burst.startNanos()) / 1e9);
        double rate = 2 * capacity;
        int count = (int) Math.round(rate * seconds);

        awaitIdle();
        long upsertsBefore = upserts();
        long forwardsBefore = forwards();
        URI webhookUri = URI.create(TestHTTPResourceManager.getUri() + "/webhook/meta_lead_ads");
        List<Long> acks = Collections.synchronizedList(new ArrayList<>());
        LongAdder rejected = new LongAdder();
        AtomicLong latestStart = new AtomicLong();
        AtomicLong peakBacklog = new AtomicLong();
        ExecutorService senders = Executors.newFixedThreadPool(64);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peakBacklog.accumulateAndGet(backlog(), Math::max), 0, 1,
                TimeUnit.SECONDS);
        long start = System.nanoTime();
        long interval = (long) (1e9 / rate);
        List<Future<?>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                long due = start + i * interval;
                String body = s.webhookBody("3" + batch + String.format("%06d", i));
                sent.add(senders.submit(() -> {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    HttpRequest request = HttpRequest.newBuilder(webhookUri)
                            .header("content-type", "application/json")
                            .header("X-Hub-Signature-256", Scenario.sign(body))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    latestStart.accumulateAndGet(t0 - due, Math::max);
                    try {
                        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                            rejected.increment();
                        }
                    } catch (IOException e) {
                        rejected.increment();
                    }
                    acks.add(System.nanoTime() - t0);
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            long lastAck = System.nanoTime();
            await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> upserts() - upsertsBefore >= count && forwards() - forwardsBefore >= count);
            long drained = System.nanoTime();
            List<Long> sorted = new ArrayList<>(acks);
            Collections.sort(sorted);
            System.out.printf(Locale.ROOT, "load: capacity %.1f leads/s (a burst of %d, first sent to last delivered),"
                            + " then %d webhooks at %.1f/s (2x) for %.1f s: webhook ack p50 %.1f ms p99 %.1f ms max"
                            + " %.1f ms, rejected %d, sends started at most %.0f ms late; backlog peaked at %d queued"
                            + " messages and drained %.1f s after the last ack (%.1f s in all, %.1f leads/s"
                            + " delivered)%n",
                    capacity, probe, count, rate, (lastAck - start) / 1e9, pct(sorted, 0.50), pct(sorted, 0.99),
                    sorted.get(sorted.size() - 1) / 1e6, rejected.sum(), latestStart.get() / 1e6, peakBacklog.get(),
                    (drained - lastAck) / 1e9, (drained - start) / 1e9, count / ((drained - start) / 1e9));
            assertThat(rejected.sum()).as("webhooks not answered 200").isZero();
            assertThat(upserts() - upsertsBefore).as("each lead upserted once").isEqualTo(count);
            assertThat(forwards() - forwardsBefore).as("each lead forwarded once").isEqualTo(count);
            assertThat(warm.leads()).isPositive();
        } finally {
            senders.shutdownNow();
            sampler.shutdownNow();
        }
    }

    /** Messages visible and in flight on the ingest and deliver queues. */
    private long backlog() {
        long total = 0;
        for (String url : List.of(queues.ingestUrl(), queues.deliverUrl())) {
            Map<QueueAttributeName, String> a = monitor.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            total += Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        }
        return total;
    }

    /** The account with its Meta page, HubSpot and a signed subscriber: the benchmark's two targets. */
    private static Scenario twoTargetScenario() {
        Scenario s = connectedScenario();
        s.addHubSpot();
        s.subscribe(SUBSCRIBER, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        Scenario.stubHubSpotOk();
        Scenario.stubOk(SUBSCRIBER);
        Fakes.server().stubFor(get(urlPathMatching("/v25.0/[0-9]+")).willReturn(aResponse()
                .withHeader("content-type", "application/json").withTransformers(Fakes.GRAPH_LEAD_ECHO)));
        return s;
    }

    /** What the run would cost on AWS: {@link CostModel}, with the tables as the run left them. */
    private CostModel.Estimate cost(Run run) {
        Map<String, StackTemplate.TableSpec> tables = new HashMap<>();
        Map<String, Map<String, Map<String, AttributeValue>>> items = new HashMap<>();
        for (StackTemplate.TableSpec t : stack.template().tables(stack.stackName())) {
            tables.put(t.tableName(), t);
            Map<String, Map<String, AttributeValue>> byKey = new HashMap<>();
            for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(t.tableName())).items()) {
                byKey.put(CostModel.keyOf(t, item), item);
            }
            items.put(t.tableName(), byKey);
        }
        Map<String, Integer> memoryByQueueUrl = new HashMap<>();
        int webhookMemory = 0;
        for (StackTemplate.FunctionSpec f : stack.template().functions()) {
            f.sqsTriggers().forEach(q -> memoryByQueueUrl.put(stack.queueUrl(q.queueLogicalId()), f.memoryMb()));
            if (f.httpRoutes().stream().anyMatch(r -> r.path().startsWith("/webhook"))) {
                webhookMemory = f.memoryMb();
            }
        }
        List<CostModel.Invocation> invocations = new ArrayList<>(pumpInvocations(run.trace(), memoryByQueueUrl));
        for (long ack : run.ackNanos()) {
            invocations.add(new CostModel.Invocation("webhook", webhookMemory, ack));
        }
        return CostModel.estimate(new CostModel.Inputs(run.leads(), run.trace(), tables, items, invocations,
                run.ackNanos().size(), run.logBytes()));
    }

    /**
     * The SQS-triggered invocations of a run, as the local pumps made them: on each pump thread, from the last
     * receive of a batch to the first delete after it (the invocation runs on that thread in between).
     */
    private static List<CostModel.Invocation> pumpInvocations(List<CallRecorder.Call> trace,
            Map<String, Integer> memoryByQueueUrl) {
        Map<Long, List<CallRecorder.Call>> byThread = new HashMap<>();
        trace.stream().filter(c -> c.threadName().startsWith("local-sqs-pump"))
                .forEach(c -> byThread.computeIfAbsent(c.threadId(), k -> new ArrayList<>()).add(c));
        List<CostModel.Invocation> out = new ArrayList<>();
        for (List<CallRecorder.Call> calls : byThread.values()) {
            calls.sort(java.util.Comparator.comparingLong(CallRecorder.Call::startNanos));
            Long lastReceiveEnd = null;
            for (CallRecorder.Call c : calls) {
                if (c.request() instanceof software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest) {
                    lastReceiveEnd = c.endNanos();
                } else if (c.request() instanceof DeleteMessageBatchRequest d && lastReceiveEnd != null) {
                    out.add(new CostModel.Invocation(d.queueUrl(), memoryByQueueUrl.getOrDefault(d.queueUrl(), 512),
                            c.startNanos() - lastReceiveEnd));
                    // The batch's further deletes (10 entries each) belong to the same invocation.
                    lastReceiveEnd = null;
                }
            }
        }
        return out;
    }

    private long putsTo(Run run, String logicalTable) {
        String table = stack.template().tables(stack.stackName()).stream()
                .filter(t -> t.logicalId().equals(logicalTable)).findFirst().orElseThrow().tableName();
        return run.trace().stream().filter(c -> c.request() instanceof PutItemRequest put
                && put.tableName().equals(table) && c.failure() == null).count();
    }

    private record Measured(Run run, ReplayPlan plan, Replay.Result replay) {
    }

    private Measured measure(Scenario s, int n, String idPrefix, String replayPrefix) throws Exception {
        Replay replay = copyOfStack(replayPrefix);
        Run run = record(s, n, idPrefix);
        ReplayPlan plan = plan(run);
        return new Measured(run, plan, replayAndCheck(run, plan, replay));
    }

    private static void report(String label, int n, Measured m) {
        Run run = m.run();
        ReplayPlan plan = m.plan();
        Replay.Result r = m.replay();
        double endToEnd = n / ((run.arrivedNanos() - run.startNanos()) / 1e9);
        // The pipeline's time for the ratio: first webhook sent → its last emulator call done (the trace's end).
        long pipelineNanos = plan.lastEnd - run.startNanos();
        List<Long> acks = new ArrayList<>(run.ackNanos());
        Collections.sort(acks);
        System.out.printf(Locale.ROOT, "%s %d leads, %.1f DynamoDB calls and %.1f SQS messages per lead, %.1f "
                        + "leads/s end-to-end (webhook → HubSpot upsert + "
                        + "signed forward), webhook ack p50 %.1f ms p99 %.1f ms; replay of its %d DynamoDB + %d SQS "
                        + "calls (%d messages) at concurrency %d (the threads that made them: %s; mean calls in flight "
                        + "%.1f pipeline, %.1f replay): %.1f leads/s; replay time / pipeline time = %.2f (%.2f s / %.2f s)%n",
                label, n, plan.calls("DynamoDb:") / (double) n, r.messagesReceived() / (double) n, endToEnd,
                pct(acks, 0.50), pct(acks, 0.99), plan.calls("DynamoDb:"), plan.calls("Sqs:"),
                r.messagesReceived(), plan.chains.size(), describe(plan.threadKinds()),
                plan.busyNanosSince(run.startNanos()) / (double) pipelineNanos, r.busyNanos() / (double) r.nanos(), n / (r.nanos() / 1e9),
                r.nanos() / (double) pipelineNanos, r.nanos() / 1e9, pipelineNanos / 1e9);
        System.out.println(label.replace(":", "") + " calls by operation: " + plan.byOperation + " (replayed; failed, and failed "
                + "alike in the replay: " + plan.failures() + "), plus "
                + plan.emptyReceives + " receives that got nothing (idle long polls, not replayed); replay receives that got "
                + "other messages than in the pipeline (as many): " + r.receivesOfOtherMessages() + "; replay reads "
                + "that found other data than in the pipeline: " + r.readsThatDiffered());
    }

    /**
     * A flow of the kind customers write, matching every lead of the benchmark and completing with no action of its
     * own (so the fakes still see each lead once, and the line measures what flows cost: the cached read, the
     * evaluation and one run record per lead and flow).
     */
    private static void createFlow(Scenario s, int i) {
        Map<String, Object> flow = Map.of("name", "Bench flow " + i, "trigger",
                Map.of("providerTypes", List.of("meta_lead_ads")), "steps", List.of(
                        Map.of("type", "filter", "conditions", List.of(Map.of("field", "email", "op", "exists"))),
                        Map.of("type", "format", "field", "firstName", "format", "title"),
                        Map.of("type", "format", "field", "phoneNumber", "format", "e164"),
                        Map.of("type", "branch", "conditions", List.of(
                                        Map.of("field", "email", "op", "ends_with", "value", ".example")),
                                "then", List.of(Map.of("type", "set", "field", "customFields.tier",
                                        "value", "test {{firstName}}")),
                                "else", List.of(Map.of("type", "set", "field", "customFields.tier",
                                        "value", "lead {{email}}"))),
                        Map.of("type", "stop")));
        Scenario.given().header("x-api-key", s.apiKey).contentType(io.restassured.http.ContentType.JSON).body(flow)
                .post("/flows").then().statusCode(201);
    }

    /** The account, its Meta page connection: the one place the benchmark connects a page. */
    private static Scenario connectedScenario() {
        return Scenario.withMetaPage();
    }

    /** Sends {@code count} webhooks from SENDERS threads, recording every emulator call until the pipeline is idle. */
    private Run record(Scenario s, int count, String idPrefix) throws Exception {
        URI webhookUri = URI.create(TestHTTPResourceManager.getUri() + "/webhook/meta_lead_ads");
        String batch = Long.toString(System.nanoTime() % 1_000_000_000L);
        long upsertsBefore = upserts();
        long forwardsBefore = forwards();
        List<Long> ackNanos = Collections.synchronizedList(new ArrayList<>());
        awaitIdle();
        long metricBytes = metrics.bytesWritten();
        logBytes.start();
        CallRecorder.start();
        long start = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String body = s.webhookBody(idPrefix + batch + String.format("%06d", i));
                sent.add(senders.submit(() -> {
                    HttpRequest request = HttpRequest.newBuilder(webhookUri)
                            .header("content-type", "application/json")
                            .header("X-Hub-Signature-256", Scenario.sign(body))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
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
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(20))
                .until(() -> upserts() - upsertsBefore >= count && forwards() - forwardsBefore >= count);
        long arrived = System.nanoTime();
        awaitIdle();
        List<CallRecorder.Call> trace = CallRecorder.stop();
        long written = logBytes.stop() + metrics.bytesWritten() - metricBytes;
        // Every lead arrived at each fake exactly once.
        assertThat(upserts() - upsertsBefore).isEqualTo(count);
        assertThat(forwards() - forwardsBefore).isEqualTo(count);
        return new Run(count, trace, start, arrived, List.copyOf(ackNanos), written);
    }

    /** No message queued or in flight, no DynamoDB/SQS call under way other than the pumps' idle long polls. */
    private void awaitIdle() {
        List<String> urls = List.of(queues.ingestUrl(), queues.deliverUrl());
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (String url : urls) {
                Map<QueueAttributeName, String> a = monitor.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                if (!"0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        || !"0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))) {
                    return false;
                }
            }
            return CallRecorder.busy() == 0;
        });
    }

    private ReplayPlan plan(Run run) {
        Map<String, List<String>> keys = new HashMap<>();
        for (StackTemplate.TableSpec t : stack.template().tables(stack.stackName())) {
            keys.put(t.tableName(), t.keys().stream().map(StackTemplate.KeySpec::attribute).toList());
        }
        return ReplayPlan.of(run.trace(), keys);
    }

    /** Replays a run and checks it did the same work: the same calls, outcomes, messages; every lead in the trace. */
    private static Replay.Result replayAndCheck(Run run, ReplayPlan plan, Replay replay) throws InterruptedException {
        assertThat(plan.leads).as("leads in the trace").hasSize(run.leads());
        Replay.Result r = replay.run(plan);
        assertThat(r.byOperation()).as("replayed calls by operation").isEqualTo(plan.byOperation);
        assertThat(r.outcomeMismatches()).as("calls whose outcome (success, condition failed) differed").isEmpty();
        long received = plan.steps.stream().mapToLong(ReplayPlan.Step::received).sum();
        long deleted = plan.steps.stream().filter(st -> st.call().request() instanceof DeleteMessageBatchRequest)
                .mapToLong(st -> ((DeleteMessageBatchRequest) st.call().request()).entries().size()).sum();
        assertThat(r.messagesReceived()).as("messages received").isEqualTo(received);
        assertThat(r.receivesShort()).as("receives that got fewer messages than in the pipeline").isZero();
        assertThat(r.messagesDeleted()).as("messages deleted").isEqualTo(deleted);
        return r;
    }

    /**
     * The template's tables and queues again under another stack name: the tables holding a copy of every item the
     * pipeline's tables hold now, the queues empty (as the pipeline's are when a recording starts).
     */
    private Replay copyOfStack(String prefix) {
        awaitIdle();
        String name = prefix + "-" + Long.toString(System.nanoTime() % 1_000_000L);
        LocalInfrastructure copy = LocalStacks.create(dynamo, sqs, name, visibilityTimeout);
        StackTemplate template = stack.template();
        Map<String, String> copies = template.tables(name).stream()
                .collect(Collectors.toMap(StackTemplate.TableSpec::logicalId, StackTemplate.TableSpec::tableName));
        Map<String, String> tables = new HashMap<>();
        for (StackTemplate.TableSpec t : template.tables(stack.stackName())) {
            String target = copies.get(t.logicalId());
            tables.put(t.tableName(), target);
            List<WriteRequest> puts = new ArrayList<>();
            for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(t.tableName())).items()) {
                puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            for (int from = 0; from < puts.size(); from += 25) {
                Map<String, List<WriteRequest>> pending = Map.of(target,
                        puts.subList(from, Math.min(puts.size(), from + 25)));
                while (!pending.isEmpty()) {
                    Map<String, List<WriteRequest>> batch = pending;
                    BatchWriteItemResponse written = dynamo.batchWriteItem(b -> b.requestItems(batch));
                    pending = written.hasUnprocessedItems() ? written.unprocessedItems() : Map.of();
                }
            }
        }
        Map<String, String> queueCopies = new HashMap<>();
        for (StackTemplate.QueueSpec q : template.queues(stack.stackName())) {
            queueCopies.put(stack.queueUrl(q.logicalId()), copy.queueUrl(q.logicalId()));
        }
        return new Replay(dynamo, sqs, tables, queueCopies);
    }

    private static String describe(Map<String, Long> kinds) {
        return kinds.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().replaceAll("[-_]$", ""))
                .collect(Collectors.joining(", "));
    }

    /** Contacts upserted: the engine batches a chunk of leads into one HubSpot request. */
    private static long upserts() {
        return Fakes.countRecords("POST", Scenario.HUBSPOT_UPSERT);
    }

    private static long forwards() {
        return Fakes.count("POST", SUBSCRIBER);
    }

    private static double pct(List<Long> sortedNanos, double p) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.min(sortedNanos.size() - 1, Math.ceil(p * sortedNanos.size()) - 1);
        return sortedNanos.get(Math.max(0, i)) / 1e6;
    }
}
