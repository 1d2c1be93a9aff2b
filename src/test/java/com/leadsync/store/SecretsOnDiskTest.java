package com.leadsync.store;

import static com.leadsync.testing.HubSpotOAuthFake.json;
import static com.leadsync.testing.HubSpotOAuthFake.onRefresh;
import static com.leadsync.testing.HubSpotOAuthFake.onUpsert;
import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.hubspot.HubSpotDestination;
import com.leadsync.local.DynaliteEmulator;
import com.leadsync.model.Connection;
import com.leadsync.testing.Emulators;
import com.leadsync.testing.GoogleAdsFake;
import com.leadsync.testing.HubSpotOAuthFake;
import com.leadsync.testing.Scenario;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * No plaintext token or secret on disk: the app writes a connection (with a webhook key), CRM destinations and a
 * subscription with known secrets through the API, a token refresh stores new tokens, and then every file of the
 * DynamoDB emulator's data directory (a dynalite with a path, as local mode runs it) and the app's log file is
 * searched for them.
 */
@QuarkusTest
@TestProfile(SecretsOnDiskTest.OnDisk.class)
class SecretsOnDiskTest {

    static final Path DIR = tempDir();

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("leadsync-secrets-on-disk");
            dir.toFile().deleteOnExit(); // the class loads more than once (test and profile class loaders)
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared emulators and fakes, but DynamoDB from a dynalite that keeps its tables in {@link #DIR}. */
    public static final class OnDisk implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", DIR.resolve("leadsync.log").toString(),
                    "quarkus.log.file.level", "DEBUG",
                    "quarkus.log.file.format", "%d{HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n",
                    "quarkus.log.category.\"com.leadsync\".level", "DEBUG");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DynamoOnDisk.class));
        }
    }

    public static final class DynamoOnDisk implements QuarkusTestResourceLifecycleManager {
        private DynaliteEmulator dynamo;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(new Emulators().start());
            try {
                dynamo = DynaliteEmulator.start(Path.of(System.getProperty("leadsync.tools.dir", "target/tools")),
                        Emulators.freePort(), DIR.resolve("dynamodb"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.put("quarkus.dynamodb.endpoint-override", dynamo.endpoint());
            config.put("leadsync.test.dynamo-on-disk", dynamo.endpoint());
            return config;
        }

        @Override
        public void stop() {
            if (dynamo != null) {
                dynamo.close();
            }
            try (Stream<Path> all = Files.walk(DIR)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    HubSpotDestination hubspot;
    @Inject
    DestinationStore destinations;
    @ConfigProperty(name = "quarkus.dynamodb.endpoint-override")
    String dynamoEndpoint;
    @ConfigProperty(name = "leadsync.test.dynamo-on-disk")
    String onDiskEndpoint;

    @Test
    void no_data_file_of_the_emulator_and_no_log_line_holds_a_token_or_secret_written_through_the_api()
            throws Exception {
        assertThat(dynamoEndpoint).as("the app writes to the dynalite with a data dir").isEqualTo(onDiskEndpoint);
        String id = UUID.randomUUID().toString();
        Map<String, String> secrets = new LinkedHashMap<>();

        Scenario s = Scenario.withMetaPage();
        secrets.put("account API key", s.apiKey);
        secrets.put("Meta page token", s.pageToken);

        String customerId = GoogleAdsFake.newCustomerId();
        String googleToken = GoogleAdsFake.newAccessToken(customerId);
        String webhookKey = GoogleAdsFake.newWebhookKey();
        GoogleAdsFake.connect(s.apiKey, customerId, googleToken, Map.of(Connection.WEBHOOK_KEY, webhookKey))
                .then().statusCode(201);
        secrets.put("Google access token", googleToken);
        secrets.put("Google refresh token", "1//test-refresh-" + customerId);
        secrets.put("Google webhook key", webhookKey);

        String oldAccess = "at-old-" + id;
        String newAccess = "at-new-" + id;
        String refresh = "na1-rt-" + id;
        String hubspotId = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "hubspot", "name", "HubSpot", "config",
                        Map.of("accessToken", oldAccess, "refreshToken", refresh)))
                .post("/crm/destinations").then().statusCode(201).extract().path("id");
        secrets.put("HubSpot access token", oldAccess);
        secrets.put("HubSpot refresh token", refresh);

        String authorization = "Bearer crm-secret-" + id;
        Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "http", "name", "CRM", "config",
                        Map.of("url", "https://crm.example.com/leads", "authorization", authorization)))
                .post("/crm/destinations").then().statusCode(201);
        secrets.put("HTTP destination authorization", authorization);

        String callbackSecret = "whsec-" + id;
        s.subscribe("/subscriber-" + id, callbackSecret);
        secrets.put("subscription callback secret", callbackSecret);

        // A token refresh: HubSpot rejects the old token, the refresh token gets a new one, which is stored.
        onUpsert(oldAccess, json(401, HubSpotOAuthFake.expiredToken()));
        onUpsert(newAccess, HubSpotOAuthFake.upserted());
        onRefresh(refresh, json(200, HubSpotOAuthFake.tokenAnswer(newAccess, refresh, 1800)));
        assertThat(hubspot.send(destinations.get(hubspotId).orElseThrow().target(), DestinationTestLeads.lead(),
                new DeliveryContext("ld_test:" + hubspotId)).httpStatus()).isEqualTo(200);
        assertThat(destinations.get(hubspotId).orElseThrow().config()).containsEntry("accessToken", newAccess);
        secrets.put("HubSpot refreshed access token", newAccess);

        List<Path> files = files(DIR);
        String onDisk = readAll(files.stream().filter(f -> !f.getFileName().toString().startsWith("leadsync.log")));
        String logs = readAll(files.stream().filter(f -> f.getFileName().toString().startsWith("leadsync.log")));
        // The search reads what the stores wrote: the items' plain parts are there.
        assertThat(onDisk).as("dynalite data files").contains(customerId, s.pageId, hubspotId, "enc:v1:local:");
        assertThat(logs).as("the log file").contains("[com.leadsync.");
        List<String> found = new ArrayList<>();
        secrets.forEach((what, secret) -> {
            if (onDisk.contains(secret)) {
                found.add(what + " in the emulator's data files");
            }
            if (logs.contains(secret)) {
                found.add(what + " in the log");
            }
        });
        assertThat(found).as("plaintext secrets found under " + DIR).isEmpty();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    /** Every byte as a char (ISO-8859-1), so an ASCII secret is found whatever the file's format around it. */
    private static String readAll(Stream<Path> files) {
        StringBuilder out = new StringBuilder();
        files.forEach(f -> {
            try {
                out.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return out.toString();
    }
}
