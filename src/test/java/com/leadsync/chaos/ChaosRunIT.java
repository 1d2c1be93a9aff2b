package com.leadsync.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.local.LocalModeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's chaos run ({@code ./mvnw -Pchaos verify}): local mode as a process of its own (the packaged jar), fed
 * {@link #WEBHOOKS} signed Meta webhooks by a sender that retries every non-200 as Meta does, with one import
 * running alongside, while everything it depends on breaks: the DynamoDB emulator is killed (SIGKILL) and started
 * again twice, the SQS emulator once, the Graph fake fails 10% of lead fetches, and the CRM fails, rate-limits or
 * hangs on 35% of sends until the faults stop. It passes only if every accepted lead is stored, every lead reaches
 * both targets, none twice (a second idempotency key for a lead is a duplicate), and none is lost.
 */
class ChaosRunIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int WEBHOOKS = Integer.getInteger("chaos.webhooks", 2000);
    static final int IMPORTED = Integer.getInteger("chaos.import-leads", 600);
    /** Webhooks per second the sender aims at: the pipeline keeps up, so the faults land on work in flight. */
    private static final int SEND_RATE = Integer.getInteger("chaos.send-rate", 40);
    private static final String PAGE = "106842931299001";
    private static final String WEBHOOK_FORM = "987654321013001";
    private static final String IMPORT_FORM = "987654321013002";
    private static final String APP_SECRET = "local-meta-app-secret";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration DOWN = Duration.ofSeconds(5);
    private static final Duration DRAIN = Duration.ofMinutes(Integer.getInteger("chaos.drain-minutes", 12));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final long began = System.nanoTime();
    private KillableEmulators emulators;
    private FlakyReceivers receivers;
    private LocalModeProcess local;
    private String apiKey;

    @TempDir
    Path work;

    @AfterEach
    void stopEverything() {
        if (local != null) {
            local.close();
        }
        if (emulators != null) {
            emulators.close();
        }
        if (receivers != null) {
            receivers.close();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void two_thousand_webhooks_and_an_import_through_crashing_emulators_and_flaky_services_lose_nothing()
            throws Exception {
        Path logs = Path.of("target", "chaos");
        emulators = new KillableEmulators(work.resolve("emulators"), logs);
        emulators.startDynamo();
        emulators.startSqs();
        receivers = new FlakyReceivers(SEND_TIMEOUT.plusSeconds(2));
        writeForms(work.resolve("graph"));
        local = new LocalModeProcess(work.resolve("data"), logs, localConfig(work.resolve("graph")), Map.of(
                "AWS_ENDPOINT_URL_DYNAMODB", emulators.dynamoEndpoint(),
                "AWS_ENDPOINT_URL_SQS", emulators.sqsEndpoint()));
        local.start(Duration.ofSeconds(150));
        setUpAccount();

        String jobId = call("POST", "/leads/import", apiKey, "{\"providerType\":\"meta_lead_ads\",\"formId\":\""
                + IMPORT_FORM + "\"}", 202).path("jobId").asText();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        LongAdder refusals = new LongAdder();
        ExecutorService pool = Executors.newFixedThreadPool(17);
        List<Future<?>> senders = sendWebhooks(pool, accepted, refusals);
        Future<?> faults = pool.submit(() -> {
            breakEmulators(accepted::size);
            return null;
        });
        for (Future<?> sender : senders) {
            sender.get(15, TimeUnit.MINUTES);
        }
        faults.get(5, TimeUnit.MINUTES);
        pool.shutdown();
        event("all webhooks accepted");

        Set<String> expected = new HashSet<>(accepted);
        for (int i = 0; i < IMPORTED; i++) {
            expected.add(leadId(IMPORT_FORM, i));
        }
        // The CRM stays flaky while most of the leads reach it, so that its faults meet most of the work.
        try {
            await("the flaky CRM reaching 80% of the leads").atMost(DRAIN.dividedBy(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> delivered(FlakyReceivers.CRM, expected) >= expected.size() * 0.8);
        } catch (org.awaitility.core.ConditionTimeoutException slow) {
            event("the CRM took less than 80% of the leads while flaky");
        }
        receivers.stopFaults();
        event("CRM faults off");
        AtomicReference<Map<String, JsonNode>> stored = new AtomicReference<>(Map.of());
        try {
            await("every lead stored and taken by both targets").atMost(DRAIN).pollInterval(Duration.ofSeconds(5))
                    .ignoreExceptions().until(() -> {
                        if (!receivers.taken(FlakyReceivers.CRM).keySet().containsAll(expected)
                                || !receivers.taken(FlakyReceivers.SUBSCRIBER).keySet().containsAll(expected)) {
                            return false;
                        }
                        stored.set(leads());
                        return stored.get().keySet().containsAll(expected);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException notDrained) {
            event("not drained within " + DRAIN + "; counting what arrived");
            stored.set(leads());
        }
        event("drained");
        JsonNode job = call("GET", "/leads/import/" + jobId, apiKey, null, 200);

        long storedFromWebhooks = stored.get().keySet().stream().filter(id -> id.startsWith(WEBHOOK_FORM)).count();
        long crmDelivered = delivered(FlakyReceivers.CRM, expected);
        long subscriberDelivered = delivered(FlakyReceivers.SUBSCRIBER, expected);
        long crmDuplicates = receivers.duplicates(FlakyReceivers.CRM);
        long subscriberDuplicates = receivers.duplicates(FlakyReceivers.SUBSCRIBER);
        long lost = expected.stream().filter(id -> !stored.get().containsKey(id)
                || !receivers.taken(FlakyReceivers.CRM).containsKey(id)
                || !receivers.taken(FlakyReceivers.SUBSCRIBER).containsKey(id)).count();
        String line = String.format(Locale.ROOT, "chaos: webhooks accepted %d, leads stored %d, delivered %d crm /"
                        + " %d subscriber of %d (%d webhook + %d imported), crm duplicates %d, subscriber duplicates"
                        + " %d, lost %d; faults: DynamoDB emulator killed twice, SQS emulator once, Graph fetches"
                        + " failing 10%% (%d failed), CRM answered 5xx %d, 429 %d, held past the timeout %d of %d sends,"
                        + " webhooks refused %d times before being accepted; import %s; %.0f s in all",
                accepted.size(), storedFromWebhooks, crmDelivered, subscriberDelivered, expected.size(),
                accepted.size(), IMPORTED, crmDuplicates, subscriberDuplicates, lost, failedGraphFetches(),
                receivers.answered(FlakyReceivers.CRM, 503), receivers.answered(FlakyReceivers.CRM, 429),
                receivers.answered(FlakyReceivers.CRM, 0), sends(FlakyReceivers.CRM), refusals.sum(),
                job.path("status").asText(), seconds());
        System.out.println(line);
        System.out.println("chaos timeline: " + events);
        Files.writeString(logs.resolve("chaos-line.txt"), line + System.lineSeparator());

        assertThat(accepted).as("every webhook accepted in the end").hasSize(WEBHOOKS);
        assertThat(storedFromWebhooks).as("S = A").isEqualTo(accepted.size());
        assertThat(job.path("status").asText()).as("the import: %s", job).isEqualTo("completed");
        assertThat(job.path("leadsSeen").asInt()).as("the import: %s", job).isEqualTo(IMPORTED);
        assertThat(crmDelivered).as("CRM: every lead").isEqualTo(expected.size());
        assertThat(subscriberDelivered).as("subscriber: every lead").isEqualTo(expected.size());
        assertThat(crmDuplicates).as("CRM duplicates").isZero();
        assertThat(subscriberDuplicates).as("subscriber duplicates").isZero();
        assertThat(lost).as("lost (log: %s)", local.log()).isZero();
        assertThat(receivers.answered(FlakyReceivers.CRM, 503) * receivers.answered(FlakyReceivers.CRM, 429)
                * receivers.answered(FlakyReceivers.CRM, 0)).as("every CRM fault happened").isPositive();
    }

    /** Local mode tuned so that a crashed step comes back in seconds, not the template's minutes. */
    private Map<String, String> localConfig(Path graph) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("leadsync.local.sample-leads-dir", graph.toString());
        config.put("leadsync.local.graph-fetch-failure-rate", "0.10");
        config.put("leadsync.meta.list-page-size", "50");
        config.put("leadsync.local.generated-page-delay", "300ms");
        // Only the webhooks and the import bring these leads (no scheduled poll finding them besides).
        config.put("leadsync.local.schedules-off", "poll-schedule");
        config.put("leadsync.local.schedule-period", "5s");
        // A message whose worker died comes back after 20 s; leases end before that, as the template keeps them.
        config.put("leadsync.local.visibility-timeout", "20");
        config.put("leadsync.pipeline.lease", "15s");
        config.put("leadsync.import.lease", "10s");
        config.put("leadsync.delivery.timeout", SEND_TIMEOUT.toSeconds() + "s");
        config.put("leadsync.delivery.quick-initial-delay", "200ms");
        config.put("leadsync.delivery.quick-max-delay", "1s");
        config.put("leadsync.delivery.backoff", "2s,5s,10s,20s,30s,30s,30s,30s,30s");
        config.put("leadsync.delivery.watchdog", "30s");
        return config;
    }

    private void setUpAccount() throws IOException, InterruptedException {
        apiKey = call("POST", "/accounts", LocalModeProcess.ADMIN_KEY, "{\"name\":\"Chaos\"}", 201).path("apiKey")
                .asText();
        call("POST", "/connections", apiKey, "{\"providerType\":\"meta_lead_ads\",\"externalId\":\"" + PAGE
                + "\",\"accessToken\":\"local-page-token\"}", 201);
        call("POST", "/crm/destinations", apiKey, JSON.writeValueAsString(Map.of("type", "http", "name", "Chaos CRM",
                "enabled", true, "config", Map.of("url", receivers.url(FlakyReceivers.CRM)),
                "fieldMapping", Map.of("providerLeadId", "provider_lead_id"))), 201);
        call("POST", "/webhooks/meta_lead_ads/subscribe", apiKey, JSON.writeValueAsString(Map.of(
                "callbackUrl", receivers.url(FlakyReceivers.SUBSCRIBER), "eventType", "leadgen")), 201);
    }

    /** 16 senders, {@link #SEND_RATE} webhooks a second in all, each retried until it is answered 200. */
    private List<Future<?>> sendWebhooks(ExecutorService pool, Set<String> accepted, LongAdder refusals) {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / SEND_RATE;
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            senders.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < WEBHOOKS; i = next.getAndIncrement()) {
                    long due = start + i * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String id = leadId(WEBHOOK_FORM, i);
                    deliverAsMetaDoes(webhook(id), refusals);
                    accepted.add(id);
                }
                return null;
            }));
        }
        return senders;
    }

    /** Meta retries a webhook it got no 200 for; here every 0.25 s at first, then every 2 s, for up to 10 min. */
    private void deliverAsMetaDoes(String body, LongAdder refusals) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(local.baseUrl() + "/webhook/meta_lead_ads"))
                .header("content-type", "application/json").header("X-Hub-Signature-256", "sha256=" + sign(body))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        for (int attempt = 0; ; attempt++) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException unanswered) {
                // As a non-200: Meta retries.
            }
            refusals.increment();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a webhook not accepted within 10 minutes: " + body);
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(2000, 250L << Math.min(attempt, 3)));
        }
    }

    /** DynamoDB down at a fifth of the webhooks, SQS at two fifths, DynamoDB again at three fifths. */
    private void breakEmulators(IntSupplier acceptedSoFar) throws Exception {
        awaitAccepted(acceptedSoFar, WEBHOOKS / 5);
        emulators.killDynamo();
        event("DynamoDB emulator killed");
        TimeUnit.MILLISECONDS.sleep(DOWN.toMillis());
        emulators.startDynamo();
        event("DynamoDB emulator started again");
        awaitAccepted(acceptedSoFar, WEBHOOKS * 2 / 5);
        emulators.killSqs();
        event("SQS emulator killed");
        TimeUnit.MILLISECONDS.sleep(DOWN.toMillis());
        emulators.startSqs();
        event("SQS emulator started again");
        awaitAccepted(acceptedSoFar, WEBHOOKS * 3 / 5);
        emulators.killDynamo();
        event("DynamoDB emulator killed");
        TimeUnit.MILLISECONDS.sleep(DOWN.toMillis());
        emulators.startDynamo();
        event("DynamoDB emulator started again");
    }

    private static void awaitAccepted(IntSupplier acceptedSoFar, int count) {
        await("webhooks accepted: " + count).atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> acceptedSoFar.getAsInt() >= count);
    }

    /** Lead fetches the Graph fake failed, as local mode logged them (each is retried). */
    private long failedGraphFetches() throws IOException {
        try (var lines = Files.lines(local.log())) {
            return lines.filter(l -> l.contains("failed for message") && l.contains("Meta Graph API 500")).count();
        }
    }

    private long delivered(String target, Set<String> expected) {
        return receivers.taken(target).keySet().stream().filter(expected::contains).count();
    }

    private long sends(String target) {
        return receivers.answered(target, 200) + receivers.answered(target, 0) + receivers.answered(target, 503)
                + receivers.answered(target, 429);
    }

    private void event(String what) {
        events.add(String.format(Locale.ROOT, "%.1f s %s", seconds(), what));
        System.out.printf(Locale.ROOT, "chaos %.1f s: %s%n", seconds(), what);
    }

    private double seconds() {
        return (System.nanoTime() - began) / 1e9;
    }

    /** Every lead of the account, by provider lead id, page by page; a lead listed twice fails the run. */
    private Map<String, JsonNode> leads() throws IOException, InterruptedException {
        Map<String, JsonNode> byProviderId = new HashMap<>();
        String cursor = null;
        do {
            JsonNode page = call("GET", "/leads?limit=200" + (cursor == null ? ""
                    : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), apiKey, null, 200);
            for (JsonNode lead : page.path("items")) {
                assertThat(byProviderId.put(lead.path("providerLeadId").asText(), lead)).as("listed twice: %s", lead)
                        .isNull();
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return byProviderId;
    }

    private JsonNode call(String method, String path, String key, String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(local.baseUrl() + path))
                .header("x-api-key", key).timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("content-type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    private static String webhook(String leadId) {
        long now = System.currentTimeMillis() / 1000;
        return "{\"object\":\"page\",\"entry\":[{\"id\":\"" + PAGE + "\",\"time\":" + now + ",\"changes\":[{\"field\":"
                + "\"leadgen\",\"value\":{\"leadgen_id\":\"" + leadId + "\",\"page_id\":\"" + PAGE + "\",\"form_id\":\""
                + WEBHOOK_FORM + "\",\"created_time\":" + now + "}}]}]}";
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        StringBuilder hex = new StringBuilder();
        for (byte b : mac.doFinal(body.getBytes(StandardCharsets.UTF_8))) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    /** The generated lead ids of local mode's Graph fake ({@code local/GeneratedLeadForm}). */
    private static String leadId(String form, int i) {
        return form + String.format(Locale.ROOT, "%07d", i);
    }

    /** Two generated forms: the webhooks' leads (fetched one by one) and the import's (listed page by page). */
    private static void writeForms(Path graph) throws IOException {
        Files.createDirectories(graph.resolve("forms"));
        for (String[] form : new String[][] {{WEBHOOK_FORM, Integer.toString(WEBHOOKS)},
                {IMPORT_FORM, Integer.toString(IMPORTED)}}) {
            Files.writeString(graph.resolve("forms").resolve(form[0] + ".json"), """
                    {"id": "%s", "name": "Chaos %s", "status": "ACTIVE", "locale": "en_US",
                     "questions": [{"key": "full_name", "type": "FULL_NAME"}, {"key": "email", "type": "EMAIL"}],
                     "local_generated_leads": {"count": %s, "newest_created_time": "2026-03-05T15:00:00+0000",
                                               "seconds_apart": 60}}""".formatted(form[0], form[0], form[1]));
        }
    }
}
