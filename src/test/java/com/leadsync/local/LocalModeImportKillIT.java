package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's promise, end to end, on local mode as a process of its own (the packaged jar): an import of many
 * pages of leads is killed with SIGKILL while it runs, local mode is started again on the same data dir, and the
 * job completes with exact counts and every lead stored once. Runs in {@code verify}, after {@code package}.
 */
class LocalModeImportKillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORM = "987654321077001";
    // 16 pages: the kill lands after the third is recorded, with most of the walk still ahead (checked below).
    private static final int LEADS = 800;
    private static final int PAGE_SIZE = 50;
    private static final int PAGES = LEADS / PAGE_SIZE;
    private static final Duration START = Duration.ofSeconds(150);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LocalModeProcess local;
    private String apiKey;

    @TempDir
    Path work;

    @AfterEach
    void stopLocalMode() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void an_import_killed_mid_walk_completes_after_a_restart_with_exact_counts_and_each_lead_once() throws Exception {
        writeGeneratedForm(work.resolve("graph"));
        local = new LocalModeProcess(work.resolve("data"), Path.of("target", "local-mode-it"), Map.of(
                "leadsync.local.sample-leads-dir", work.resolve("graph").toString(),
                "leadsync.meta.list-page-size", Integer.toString(PAGE_SIZE),
                "leadsync.local.generated-page-delay", "200ms",
                // Only the import lists this page's leads (no scheduled poll racing it for duplicates).
                "leadsync.local.schedules-off", "poll-schedule",
                // A killed worker's message comes back after 20 s instead of the template's minutes; the leases
                // it held are over by then, as the template keeps them below its visibility timeouts.
                "leadsync.local.visibility-timeout", "20",
                "leadsync.import.lease", "10s",
                "leadsync.pipeline.lease", "15s"));
        local.start(START);

        JsonNode account = call("POST", "/accounts", LocalModeProcess.ADMIN_KEY, "{\"name\":\"Kill test\"}", 201);
        apiKey = account.path("apiKey").asText();
        call("POST", "/connections", apiKey, "{\"providerType\":\"meta_lead_ads\",\"externalId\":\"106842931299001\","
                + "\"accessToken\":\"local-page-token\"}", 201);
        String jobId = call("POST", "/leads/import", apiKey, "{\"providerType\":\"meta_lead_ads\",\"formId\":\"" + FORM
                + "\"}", 202).path("jobId").asText();

        AtomicReference<JsonNode> beforeKill = new AtomicReference<>();
        await("the job running with a few pages recorded").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    beforeKill.set(job(jobId));
                    return beforeKill.get().path("status").asText().equals("running")
                            && beforeKill.get().path("pagesFetched").asInt() >= 3;
                });
        List<ProcessHandle> children = local.kill();
        assertThat(beforeKill.get().path("pagesFetched").asInt()).as("killed mid-import: %s", beforeKill.get())
                .isLessThan(PAGES);
        await("nothing of the killed local mode left running").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(children).noneMatch(ProcessHandle::isAlive);
            assertThat(local.ports()).noneMatch(LocalModeImportKillIT::listening);
        });

        local.start(START);
        JsonNode afterRestart = job(jobId);
        assertThat(afterRestart.path("pagesFetched").asInt()).as("nothing recorded was lost")
                .isGreaterThanOrEqualTo(beforeKill.get().path("pagesFetched").asInt());
        AtomicReference<JsonNode> ended = new AtomicReference<>();
        await("the job ended").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    ended.set(job(jobId));
                    return Set.of("completed", "failed", "cancelled").contains(ended.get().path("status").asText());
                });

        JsonNode done = ended.get();
        assertThat(done.path("status").asText()).as("%s\nlog: %s", done, local.log()).isEqualTo("completed");
        assertThat(done.path("pagesFetched").asInt()).as("%s", done).isEqualTo(PAGES);
        assertThat(done.path("leadsSeen").asInt()).as("%s", done).isEqualTo(LEADS);
        assertThat(done.path("leadsNew").asInt()).as("%s", done).isEqualTo(LEADS);
        assertThat(done.path("duplicates").asInt()).as("%s", done).isZero();
        assertThat(done.path("errors").asInt()).as("%s", done).isZero();
        assertThat(done.path("lastError").isNull()).as("%s", done).isTrue();

        AtomicReference<Map<String, JsonNode>> stored = new AtomicReference<>();
        await("every imported lead stored and dispatched").atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofSeconds(2)).until(() -> {
                    stored.set(leads());
                    return stored.get().size() == LEADS && stored.get().values().stream()
                            .allMatch(l -> l.path("status").asText().equals("dispatched"));
                });
        for (int i = 0; i < LEADS; i++) {
            String providerLeadId = FORM + String.format("%07d", i);
            assertThat(stored.get()).as("lead %d", i).containsKey(providerLeadId);
            assertThat(stored.get().get(providerLeadId).path("email").asText()).isEqualTo(generatedEmail(i));
        }
    }

    /** Every lead of the account, by provider lead id, read page by page; a lead listed twice fails the test. */
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

    private JsonNode job(String jobId) throws IOException, InterruptedException {
        return call("GET", "/leads/import/" + jobId, apiKey, null, 200);
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

    /** {@link LEADS} generated leads, one a minute, the newest shown two days before local mode started. */
    private static void writeGeneratedForm(Path graph) throws IOException {
        Files.createDirectories(graph.resolve("forms"));
        Files.writeString(graph.resolve("forms").resolve(FORM + ".json"), """
                {"id": "%s", "name": "Kill test", "status": "ACTIVE", "locale": "en_US",
                 "questions": [{"key": "full_name", "type": "FULL_NAME"}, {"key": "email", "type": "EMAIL"}],
                 "local_generated_leads": {"count": %d, "newest_created_time": "2026-03-05T15:00:00+0000",
                                           "seconds_apart": 60}}""".formatted(FORM, LEADS));
    }

    private static String generatedEmail(int i) {
        String[] first = {"jane", "luis", "amara", "kenji", "olivia", "mateo", "priya", "noah"};
        return first[i % first.length] + "." + i + "@example.com";
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
