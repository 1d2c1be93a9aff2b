package com.leadsync.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.delivery.forward.StandardWebhookSigner;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import com.leadsync.store.DeliveryStore;
import com.leadsync.store.DestinationStore;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The caller-facing resources of contract §2: destinations, connections, subscriptions, lead listing. */
@QuarkusTest
class ApiResourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LeadStore leads;
    @Inject
    DestinationStore destinations;
    @Inject
    DeliveryStore deliveries;

    /** No object anywhere in the JSON has a field of that name. */
    private static void assertNoField(String json, String field) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
        List<String> found = new ArrayList<>();
        root.findParents(field).forEach(p -> found.add(p.toString()));
        assertThat(found).as("objects with a '%s' field in %s", field, json).isEmpty();
    }

    // --- destinations ----------------------------------------------------------------------------------------

    private static String hubSpotToken() {
        return "pat-na1-" + UUID.randomUUID();
    }

    private static void stubHubSpotFor(String token) {
        Fakes.server().stubFor(post(urlEqualTo(Scenario.HUBSPOT_UPSERT)).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"901\",\"new\":true,"
                                + "\"properties\":{}}]}")));
    }

    private static List<LoggedRequest> hubSpotCallsWith(String token) {
        return Fakes.server().findAll(postRequestedFor(urlEqualTo(Scenario.HUBSPOT_UPSERT))
                .withHeader("Authorization", equalTo("Bearer " + token)));
    }

    private static List<LoggedRequest> hubSpotPropertyReadsWith(String token) {
        return Fakes.server().findAll(getRequestedFor(urlEqualTo(Fakes.HUBSPOT_PROPERTIES))
                .withHeader("Authorization", equalTo("Bearer " + token)));
    }

    /** Every request that reached the fakes with this token other than a GET: a test route must make none. */
    private static List<LoggedRequest> writesWith(String token) {
        return Fakes.server().findAll(anyRequestedFor(anyUrl()).withHeader("Authorization",
                equalTo("Bearer " + token))).stream().filter(r -> !r.getMethod().getName().equals("GET")).toList();
    }

    @Test
    void a_hubspot_destination_never_shows_its_access_token() {
        Scenario s = Scenario.withMetaPage();
        String token = hubSpotToken();

        Response created = asJson(s.apiKey, Map.of("type", "hubspot", "name", "HubSpot", "config",
                Map.of("accessToken", token, "leadIdProperty", "ls_lead_id"))).post("/crm/destinations");

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        String id = created.path("id");
        for (Response r : List.of(created, as(s.apiKey).get("/crm/destinations/" + id),
                as(s.apiKey).get("/crm/destinations"))) {
            assertThat(r.statusCode()).isIn(200, 201);
            String raw = r.asString();
            assertThat(raw).doesNotContain(token).doesNotContain("pat-na1-");
            assertNoField(raw, "accessToken");
        }
        JsonPath one = as(s.apiKey).get("/crm/destinations/" + id).jsonPath();
        assertThat(one.getString("type")).isEqualTo("hubspot");
        assertThat(one.getString("accountId")).isEqualTo(s.accountId);
        assertThat(one.getBoolean("enabled")).isTrue();
        assertThat(one.getList("secretsSet")).containsExactly("accessToken");
        assertThat(one.getMap("config")).containsExactly(Map.entry("leadIdProperty", "ls_lead_id"));
        JsonPath list = as(s.apiKey).get("/crm/destinations").jsonPath();
        assertThat(list.getList("items.id")).containsExactly(id);
        assertThat(list.getList("items[0].secretsSet")).containsExactly("accessToken");
    }

    @Test
    void updating_without_the_token_keeps_it_and_the_test_route_uses_it() {
        Scenario s = Scenario.withMetaPage();
        String token = hubSpotToken();
        stubHubSpotFor(token);
        Fakes.stubHubSpotProperties(token);
        String id = asJson(s.apiKey, Map.of("type", "hubspot", "name", "HubSpot", "config",
                Map.of("accessToken", token))).post("/crm/destinations").then().statusCode(201).extract().path("id");

        Response updated = asJson(s.apiKey, Map.of("name", "HubSpot (renamed)", "config",
                Map.of("leadIdProperty", "ls_lead_id"))).put("/crm/destinations/" + id);

        assertThat(updated.statusCode()).as(updated.asString()).isEqualTo(200);
        assertThat(updated.jsonPath().getString("name")).isEqualTo("HubSpot (renamed)");
        assertThat(updated.jsonPath().getList("secretsSet")).containsExactly("accessToken");
        assertThat(updated.asString()).doesNotContain(token);
        assertThat(updated.jsonPath().getMap("config")).containsEntry("leadIdProperty", "ls_lead_id");

        Response tested = as(s.apiKey).post("/crm/destinations/" + id + "/test");

        assertThat(tested.statusCode()).as(tested.asString()).isEqualTo(200);
        assertThat(tested.asString()).doesNotContain(token);
        assertThat(hubSpotPropertyReadsWith(token)).as("checked with the kept token").hasSize(1);
        // The update reached the check too: this portal has no ls_lead_id property.
        assertThat(tested.jsonPath().getBoolean("ok")).as(tested.asString()).isFalse();
        assertThat(tested.jsonPath().getList("unknownFields")).containsExactly("ls_lead_id");
        assertThat(tested.jsonPath().getString("message")).contains("ls_lead_id");

        // A PUT without any config keeps it as well; a PUT with a new token replaces it.
        asJson(s.apiKey, Map.of("enabled", false)).put("/crm/destinations/" + id).then().statusCode(200);
        as(s.apiKey).post("/crm/destinations/" + id + "/test").then().statusCode(200);
        assertThat(hubSpotPropertyReadsWith(token)).hasSize(2);
        String rotated = hubSpotToken();
        Fakes.stubHubSpotProperties(rotated, "ls_lead_id");
        asJson(s.apiKey, Map.of("config", Map.of("accessToken", rotated, "leadIdProperty", "ls_lead_id")))
                .put("/crm/destinations/" + id).then().statusCode(200);
        JsonPath passed = as(s.apiKey).post("/crm/destinations/" + id + "/test").then().statusCode(200)
                .extract().jsonPath();
        assertThat(passed.getBoolean("ok")).isTrue();
        assertThat(passed.getList("unknownFields")).isEmpty();
        assertThat(hubSpotPropertyReadsWith(rotated)).hasSize(1);
        assertThat(hubSpotPropertyReadsWith(token)).hasSize(2);
        assertThat(hubSpotCallsWith(token)).as("no contact upserted by a test").isEmpty();
        assertThat(hubSpotCallsWith(rotated)).isEmpty();
        assertThat(writesWith(token)).isEmpty();
        assertThat(writesWith(rotated)).isEmpty();
    }

    @Test
    void the_hubspot_test_route_names_unmapped_properties_and_writes_nothing() {
        Scenario s = Scenario.withMetaPage();
        String token = hubSpotToken();
        stubHubSpotFor(token);
        Fakes.stubHubSpotProperties(token, "budget");
        String id = asJson(s.apiKey, Map.of("type", "hubspot", "name", "HubSpot", "config",
                Map.of("accessToken", token), "fieldMapping", Map.of("customFields.budget", "budget",
                        "customFields.q1", "favourite_colour", "fullName", "full_name")))
                .post("/crm/destinations").then().statusCode(201).extract().path("id");

        Response r = as(s.apiKey).post("/crm/destinations/" + id + "/test");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonPath body = r.jsonPath();
        assertThat(body.getBoolean("ok")).isFalse();
        assertThat(body.getString("destinationId")).isEqualTo(id);
        assertThat(body.getList("unknownFields")).containsExactlyInAnyOrder("favourite_colour", "full_name");
        assertThat(body.getString("message")).contains("HubSpot").contains("favourite_colour");
        assertThat(hubSpotPropertyReadsWith(token)).hasSize(1);
        assertThat(writesWith(token)).as("requests other than the property read").isEmpty();
        assertThat(hubSpotCallsWith(token)).isEmpty();
    }

    @Test
    void a_refused_token_is_the_test_routes_answer_not_an_error() {
        Scenario s = Scenario.withMetaPage();
        String token = hubSpotToken();
        Fakes.server().stubFor(get(urlEqualTo(Fakes.HUBSPOT_PROPERTIES)).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(401).withHeader("content-type", "application/json")
                        .withBody("{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                                + "\"correlationId\":\"0e5bf8a8-0f5f-4ac0-a4a1-1f8a1a3b1c5d\","
                                + "\"category\":\"INVALID_AUTHENTICATION\"}")));
        String id = asJson(s.apiKey, Map.of("type", "hubspot", "name", "HubSpot", "config",
                Map.of("accessToken", token))).post("/crm/destinations").then().statusCode(201).extract().path("id");

        Response r = as(s.apiKey).post("/crm/destinations/" + id + "/test");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("ok")).isFalse();
        assertThat(r.jsonPath().getBoolean("retryable")).isFalse();
        assertThat(r.jsonPath().getInt("httpStatus")).isEqualTo(401);
        assertThat(r.jsonPath().getString("message")).contains("Authentication credentials not found");
        assertThat(r.asString()).doesNotContain(token);
        assertThat(writesWith(token)).isEmpty();
    }

    @Test
    void a_destination_type_cannot_change() {
        Scenario s = Scenario.withMetaPage();
        String id = s.addHubSpot();

        assertError(asJson(s.apiKey, Map.of("type", "http", "config", Map.of("url", Fakes.baseUrl() + "/x")))
                .put("/crm/destinations/" + id), 422, "invalid");

        assertThat(as(s.apiKey).get("/crm/destinations/" + id).jsonPath().getString("type")).isEqualTo("hubspot");
    }

    @Test
    void a_deleted_destination_is_gone() {
        Scenario s = Scenario.withMetaPage();
        String id = s.addHubSpot();

        Response deleted = as(s.apiKey).delete("/crm/destinations/" + id);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.asString()).isEmpty();
        assertError(as(s.apiKey).get("/crm/destinations/" + id), 404, "not_found");
        assertError(as(s.apiKey).delete("/crm/destinations/" + id), 404);
        assertError(as(s.apiKey).post("/crm/destinations/" + id + "/test"), 404);
        assertThat(as(s.apiKey).get("/crm/destinations").jsonPath().getList("items")).isEmpty();
    }

    @Test
    void destination_bodies_are_validated() {
        Scenario s = Scenario.withMetaPage();
        String url = Fakes.baseUrl() + "/valid/" + UUID.randomUUID();

        assertError(asJson(s.apiKey, Map.of("type", "salesforce", "name", "SF", "config",
                Map.of("accessToken", "x", "instanceUrl", "ftp://example.my.salesforce.com")))
                .post("/crm/destinations"), 422, "invalid");
        assertError(asJson(s.apiKey, Map.of("type", "nope", "name", "Nope", "config", Map.of()))
                .post("/crm/destinations"), 422);
        assertError(asJson(s.apiKey, Map.of("type", "http", "name", "FTP", "config", Map.of("url", "ftp://x")))
                .post("/crm/destinations"), 422);
        assertError(asJson(s.apiKey, Map.of("type", "http", "name", "No URL", "config", Map.of()))
                .post("/crm/destinations"), 422);
        // Refused in local mode too: other HTTP stacks read 0177.0.0.1 as 127.0.0.1, Java as 177.0.0.1.
        assertThat(assertError(asJson(s.apiKey, Map.of("type", "http", "name", "Octal", "config",
                Map.of("url", "http://0177.0.0.1/x"))).post("/crm/destinations"), 422, "invalid")
                .path("message").asText()).contains("ambiguous numeric host");
        assertError(asJson(s.apiKey, Map.of("type", "http", "name", "Bad map", "config", Map.of("url", url),
                "fieldMapping", Map.of("favouriteColour", "colour"))).post("/crm/destinations"), 422);
        assertError(asJson(s.apiKey, Map.of("type", "hubspot", "name", "No token", "config", Map.of()))
                .post("/crm/destinations"), 422);
        assertError(asJson(s.apiKey, Map.of("type", "http", "config", Map.of("url", url)))
                .post("/crm/destinations"), 422);
        assertError(asJson(s.apiKey, Map.of("name", "No type", "config", Map.of("url", url)))
                .post("/crm/destinations"), 422);
        assertError(asJson(s.apiKey, Map.of("type", "http", "name", "Enabled?", "enabled", "yes", "config",
                Map.of("url", url))).post("/crm/destinations"), 422);
        assertError(as(s.apiKey).contentType(ContentType.JSON).body("{\"type\":").post("/crm/destinations"), 400);
        // An update is validated the same way, and a refused one changes nothing.
        String id = s.addHttpCrm("/valid/" + UUID.randomUUID());
        assertError(asJson(s.apiKey, Map.of("fieldMapping", Map.of("nope", "x"))).put("/crm/destinations/" + id),
                422);
        assertError(asJson(s.apiKey, Map.of("config", Map.of("url", "ftp://x"))).put("/crm/destinations/" + id),
                422);
        assertThat(as(s.apiKey).get("/crm/destinations/" + id).jsonPath().getString("config.url"))
                .startsWith(Fakes.baseUrl());
        // Nothing refused was stored.
        assertThat(as(s.apiKey).get("/crm/destinations").jsonPath().getList("items.id")).containsExactly(id);
    }

    @Test
    void an_unknown_lead_field_in_a_mapping_is_one_422_sentence_naming_it() {
        Scenario s = Scenario.withMetaPage();
        Map<String, String> mapping = Map.of("favouriteColour", "colour");
        List<Map<String, Object>> bodies = List.of(
                Map.of("type", "http", "name", "HTTP", "config", Map.of("url", Fakes.baseUrl() + "/map"),
                        "fieldMapping", mapping),
                Map.of("type", "hubspot", "name", "HubSpot", "config", Map.of("accessToken", hubSpotToken()),
                        "fieldMapping", mapping));

        for (Map<String, Object> body : bodies) {
            String message = assertError(asJson(s.apiKey, body).post("/crm/destinations"), 422, "invalid")
                    .path("message").asText();
            assertThat(message).startsWith("fieldMapping: unknown lead field 'favouriteColour'");
            assertThat(message.split("favouriteColour", -1)).as("named once: %s", message).hasSize(2);
        }
        String id = s.addHubSpot();
        String onUpdate = assertError(asJson(s.apiKey, Map.of("fieldMapping", mapping))
                .put("/crm/destinations/" + id), 422, "invalid").path("message").asText();
        assertThat(onUpdate.split("favouriteColour", -1)).as("named once: %s", onUpdate).hasSize(2);
        assertThat(as(s.apiKey).get("/crm/destinations/" + id).jsonPath().getMap("fieldMapping")).isEmpty();
    }

    @Test
    void a_field_mapping_is_an_object_of_usable_crm_field_names() {
        Scenario s = Scenario.withMetaPage();
        String url = Fakes.baseUrl() + "/map/" + UUID.randomUUID();

        assertThat(assertError(asJson(s.apiKey, Map.of("type", "http", "name", "Number", "config", Map.of("url", url),
                "fieldMapping", Map.of("email", 5))).post("/crm/destinations"), 422, "invalid").path("message")
                .asText()).isEqualTo("'fieldMapping.email' must be a string");
        assertError(asJson(s.apiKey, Map.of("type", "http", "name", "List", "config", Map.of("url", url),
                "fieldMapping", List.of("email"))).post("/crm/destinations"), 422, "invalid");
        assertThat(assertError(asJson(s.apiKey, Map.of("type", "http", "name", "Blank", "config", Map.of("url", url),
                "fieldMapping", Map.of("company", "  "))).post("/crm/destinations"), 422, "invalid").path("message")
                .asText()).contains("'company'").contains("blank CRM field name");
        assertError(asJson(s.apiKey, Map.of("type", "http", "name", "Long", "config", Map.of("url", url),
                "fieldMapping", Map.of("company", "c".repeat(201)))).post("/crm/destinations"), 422, "invalid");
        assertThat(as(s.apiKey).get("/crm/destinations").jsonPath().getList("items")).isEmpty();

        // "" is a usable name: it stops a default from being sent.
        asJson(s.apiKey, Map.of("type", "http", "name", "Drop", "config", Map.of("url", url),
                "fieldMapping", Map.of("company", "", "customFields.budget", "budget"))).post("/crm/destinations")
                .then().statusCode(201);
    }

    @Test
    void the_test_route_of_an_http_destination_sends_nothing_and_says_so() {
        Scenario s = Scenario.withMetaPage();
        String path = "/crm-untested/" + UUID.randomUUID();
        String id = s.addHttpCrm(path);

        Response r = as(s.apiKey).post("/crm/destinations/" + id + "/test");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("ok")).isTrue();
        assertThat(r.jsonPath().getString("message")).contains("nothing was sent");
        assertThat(r.jsonPath().getList("unknownFields")).isEmpty();
        assertThat(r.jsonPath().getString("destinationId")).isEqualTo(id);
        assertThat(Fakes.server().findAll(anyRequestedFor(urlEqualTo(path)))).isEmpty();
    }

    @Test
    void a_test_against_a_failing_crm_reports_a_retryable_failure() {
        Scenario s = Scenario.withMetaPage();
        String token = hubSpotToken();
        Fakes.server().stubFor(get(urlEqualTo(Fakes.HUBSPOT_PROPERTIES)).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(503).withBody("<html>Service Unavailable</html>")));
        String id = asJson(s.apiKey, Map.of("type", "hubspot", "name", "HubSpot", "config",
                Map.of("accessToken", token))).post("/crm/destinations").then().statusCode(201).extract().path("id");

        Response r = as(s.apiKey).post("/crm/destinations/" + id + "/test");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("ok")).isFalse();
        assertThat(r.jsonPath().getBoolean("retryable")).isTrue();
        assertThat(r.jsonPath().getInt("httpStatus")).isEqualTo(503);
        assertThat(r.jsonPath().getString("message")).contains("503");
        assertThat(r.jsonPath().getString("destinationId")).isEqualTo(id);
        assertThat(hubSpotPropertyReadsWith(token)).hasSize(1);
    }

    @Test
    void a_stored_mapping_this_build_refuses_fails_the_test_without_asking_the_crm() {
        Scenario s = Scenario.withMetaPage();
        String token = hubSpotToken();
        Fakes.stubHubSpotProperties(token);
        String id = asJson(s.apiKey, Map.of("type", "hubspot", "name", "HubSpot", "config",
                Map.of("accessToken", token))).post("/crm/destinations").then().statusCode(201).extract().path("id");
        DestinationConfig stored = destinations.get(id).orElseThrow();
        destinations.put(new DestinationConfig(id, stored.accountId(), stored.type(), stored.name(), stored.enabled(),
                stored.config(), Map.of("favouriteColour", "colour"), stored.createdAt(), stored.updatedAt()));

        Response r = as(s.apiKey).post("/crm/destinations/" + id + "/test");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("ok")).isFalse();
        assertThat(r.jsonPath().getBoolean("retryable")).isFalse();
        assertThat(r.jsonPath().getString("message")).startsWith("destination config is not usable: fieldMapping: "
                + "unknown lead field 'favouriteColour'");
        assertThat(hubSpotPropertyReadsWith(token)).isEmpty();
    }

    // --- connections ---------------------------------------------------------------------------------------

    @Test
    void a_connection_never_shows_its_tokens() {
        Scenario s = Scenario.withMetaPage();
        String pageId = "5" + Scenario.newLeadgenId();
        String access = "EAAB-access-" + UUID.randomUUID();
        Fakes.grantPage(pageId, access);
        String refresh = "refresh-" + UUID.randomUUID();

        Response created = asJson(s.apiKey, Map.of("providerType", "meta_lead_ads", "externalId", pageId,
                "accessToken", access, "refreshToken", refresh, "expiresAt", "2026-06-01T00:00:00Z",
                "config", Map.of("pageName", "Acme"))).post("/connections");

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        Response list = as(s.apiKey).get("/connections");
        assertThat(list.statusCode()).isEqualTo(200);
        for (Response r : List.of(created, list)) {
            assertThat(r.asString()).doesNotContain(access).doesNotContain(refresh);
            assertNoField(r.asString(), "accessToken");
            assertNoField(r.asString(), "refreshToken");
        }
        assertThat(created.jsonPath().getString("id")).isNotBlank();
        assertThat(created.jsonPath().getString("accountId")).isEqualTo(s.accountId);
        assertThat(created.jsonPath().getString("providerType")).isEqualTo("meta_lead_ads");
        assertThat(created.jsonPath().getString("externalId")).isEqualTo(pageId);
        assertThat(created.jsonPath().getString("expiresAt")).isEqualTo("2026-06-01T00:00:00Z");
        assertThat(created.jsonPath().getString("status")).isEqualTo("active");
        assertThat(created.jsonPath().getMap("")).doesNotContainKey("statusReason");
        assertThat(created.jsonPath().getMap("config")).containsEntry("pageName", "Acme");
        assertThat(list.jsonPath().getList("items.externalId")).containsExactlyInAnyOrder(s.pageId, pageId);
    }

    @Test
    void a_provider_account_can_be_connected_only_once() {
        Scenario a = Scenario.withMetaPage();
        Scenario b = Scenario.withMetaPage();

        // Both callers show a token that reaches the page: only then is "already connected" said.
        assertError(Scenario.connectPage(a.apiKey, a.pageId, Scenario.newPageToken(a.pageId)), 409, "conflict");
        assertError(Scenario.connectPage(b.apiKey, a.pageId, Scenario.newPageToken(a.pageId)), 409, "conflict");

        assertThat(as(a.apiKey).get("/connections").jsonPath().getList("items")).hasSize(1);
        assertThat(as(b.apiKey).get("/connections").jsonPath().getList("items.externalId")).containsExactly(b.pageId);
    }

    @Test
    void connection_bodies_are_validated() {
        Scenario s = Scenario.withMetaPage();
        String pageId = "6" + Scenario.newLeadgenId();

        assertError(asJson(s.apiKey, Map.of("providerType", "myspace_ads", "externalId", pageId,
                "accessToken", "t")).post("/connections"), 422, "invalid");
        assertError(asJson(s.apiKey, Map.of("providerType", "google_ads", "externalId", "1234567890",
                "accessToken", "t")).post("/connections"), 422);
        assertError(asJson(s.apiKey, Map.of("externalId", pageId, "accessToken", "t")).post("/connections"), 422);
        assertError(asJson(s.apiKey, Map.of("providerType", "meta_lead_ads", "accessToken", "t"))
                .post("/connections"), 422);
        assertError(asJson(s.apiKey, Map.of("providerType", "meta_lead_ads", "externalId", pageId))
                .post("/connections"), 422);
        assertError(asJson(s.apiKey, Map.of("providerType", "meta_lead_ads", "externalId", pageId,
                "accessToken", "t", "expiresAt", "next tuesday")).post("/connections"), 422);
        assertError(as(s.apiKey).contentType(ContentType.JSON).body("[]").post("/connections"), 400);

        assertThat(as(s.apiKey).get("/connections").jsonPath().getList("items.externalId"))
                .containsExactly(s.pageId);
    }

    @Test
    void a_deleted_connection_is_gone_and_its_page_can_be_connected_again() {
        Scenario s = Scenario.withMetaPage();
        String id = as(s.apiKey).get("/connections").then().statusCode(200).extract().path("items[0].id");

        Response deleted = as(s.apiKey).delete("/connections/" + id);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertError(as(s.apiKey).delete("/connections/" + id), 404, "not_found");
        assertThat(as(s.apiKey).get("/connections").jsonPath().getList("items")).isEmpty();
        Scenario.connectPage(s.apiKey, s.pageId, Scenario.newPageToken(s.pageId)).then().statusCode(201);
    }

    // --- subscriptions -------------------------------------------------------------------------------------

    @Test
    void a_subscription_shows_that_it_has_a_secret_but_never_the_secret() {
        Scenario s = Scenario.withMetaPage();
        String secret = "whsec_" + Base64.getEncoder().encodeToString(UUID.randomUUID().toString()
                .getBytes(StandardCharsets.UTF_8));
        String url = Fakes.baseUrl() + "/sub/" + UUID.randomUUID();

        Response created = asJson(s.apiKey, Map.of("callbackUrl", url, "eventType", "leadgen",
                "callbackSecret", secret)).post("/webhooks/meta_lead_ads/subscribe");

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.jsonPath().getBoolean("hasSecret")).isTrue();
        assertThat(created.jsonPath().getString("callbackUrl")).isEqualTo(url);
        assertThat(created.jsonPath().getString("eventType")).isEqualTo("leadgen");
        assertThat(created.jsonPath().getString("providerType")).isEqualTo("meta_lead_ads");
        String id = created.jsonPath().getString("id");
        Response list = as(s.apiKey).get("/webhooks/subscriptions");
        assertThat(list.jsonPath().getList("items.id")).containsExactly(id);
        for (Response r : List.of(created, list)) {
            assertThat(r.asString()).doesNotContain(secret);
            assertNoField(r.asString(), "callbackSecret");
            assertNoField(r.asString(), "secret");
        }

        Response plain = asJson(s.apiKey, Map.of("callbackUrl", url)).post("/webhooks/meta_lead_ads/subscribe");
        assertThat(plain.statusCode()).as(plain.asString()).isEqualTo(201);
        assertThat(plain.jsonPath().getBoolean("hasSecret")).isFalse();
        assertThat(plain.jsonPath().getString("eventType")).isEqualTo("*");
    }

    @Test
    void subscription_bodies_are_validated() {
        Scenario s = Scenario.withMetaPage();
        String url = Fakes.baseUrl() + "/sub/" + UUID.randomUUID();

        assertError(asJson(s.apiKey, Map.of("callbackUrl", url, "eventType", "other"))
                .post("/webhooks/meta_lead_ads/subscribe"), 422, "invalid");
        assertError(asJson(s.apiKey, Map.of("eventType", "leadgen")).post("/webhooks/meta_lead_ads/subscribe"), 422);
        assertError(asJson(s.apiKey, Map.of("callbackUrl", "ftp://x")).post("/webhooks/meta_lead_ads/subscribe"),
                422);
        assertThat(assertError(asJson(s.apiKey, Map.of("callbackUrl", "http://127.1/hook"))
                .post("/webhooks/meta_lead_ads/subscribe"), 422, "invalid").path("message").asText())
                .contains("ambiguous numeric host");
        assertError(asJson(s.apiKey, Map.of("callbackUrl", url)).post("/webhooks/nope/subscribe"), 404, "not_found");

        assertThat(as(s.apiKey).get("/webhooks/subscriptions").jsonPath().getList("items")).isEmpty();
    }

    @Test
    void a_deleted_subscription_is_gone() {
        Scenario s = Scenario.withMetaPage();
        String keep = s.subscribe("/sub/keep/" + UUID.randomUUID(), "s1");
        String drop = s.subscribe("/sub/drop/" + UUID.randomUUID(), "s2");
        assertThat(as(s.apiKey).get("/webhooks/subscriptions").jsonPath().getList("items.id"))
                .containsExactlyInAnyOrder(keep, drop);

        assertThat(as(s.apiKey).delete("/webhooks/subscriptions/" + drop).statusCode()).isEqualTo(204);

        assertThat(as(s.apiKey).get("/webhooks/subscriptions").jsonPath().getList("items.id")).containsExactly(keep);
        assertError(as(s.apiKey).delete("/webhooks/subscriptions/" + drop), 404);
    }

    @Test
    void a_subscription_is_edited_and_its_secret_kept_replaced_or_removed_and_the_test_send_is_signed_with_it() {
        Scenario s = Scenario.withMetaPage();
        Scenario other = Scenario.withMetaPage();
        String secret = "whsec_" + Base64.getEncoder().encodeToString(UUID.randomUUID().toString()
                .getBytes(StandardCharsets.UTF_8));
        String id = s.subscribe("/sub/old/" + UUID.randomUUID(), secret);
        String path = "/sub/new/" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));

        Response edited = asJson(s.apiKey, Map.of("callbackUrl", Fakes.baseUrl() + path,
                "eventTypes", List.of("lead.created", "delivery.failed"), "enabled", false))
                .put("/webhooks/subscriptions/" + id);
        assertThat(edited.statusCode()).as(edited.asString()).isEqualTo(200);
        assertThat(edited.jsonPath().getString("callbackUrl")).isEqualTo(Fakes.baseUrl() + path);
        assertThat(edited.jsonPath().getList("eventTypes")).containsExactly("lead.created", "delivery.failed");
        assertThat(edited.jsonPath().getBoolean("enabled")).isFalse();
        assertThat(edited.jsonPath().getBoolean("hasSecret")).as("kept when left out").isTrue();
        assertThat(as(s.apiKey).get("/webhooks/subscriptions/" + id).jsonPath().getBoolean("enabled")).isFalse();

        // Disabled, it can still be tested: one signed webhook.test event, answered with what the endpoint said.
        Response test = as(s.apiKey).post("/webhooks/subscriptions/" + id + "/test");
        assertThat(test.statusCode()).as(test.asString()).isEqualTo(200);
        assertThat(test.jsonPath().getBoolean("ok")).isTrue();
        assertThat(test.jsonPath().getInt("httpStatus")).isEqualTo(204);
        List<LoggedRequest> sent = Fakes.server().findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(sent).hasSize(1);
        LoggedRequest ping = sent.get(0);
        assertThat(ping.getHeader("webhook-id")).isEqualTo(test.jsonPath().getString("webhookId"));
        assertThat(StandardWebhookSigner.verify(secret, ping.getHeader("webhook-id"),
                Long.parseLong(ping.getHeader("webhook-timestamp")), ping.getBodyAsString(),
                ping.getHeader("webhook-signature"))).as("signed with the kept secret").isTrue();
        assertThat(JsonPath.from(ping.getBodyAsString()).getString("type")).isEqualTo("webhook.test");
        assertThat(JsonPath.from(ping.getBodyAsString()).getString("data.subscriptionId")).isEqualTo(id);

        Map<String, Object> unsign = new HashMap<>();
        unsign.put("callbackSecret", null);
        assertThat(asJson(s.apiKey, unsign).put("/webhooks/subscriptions/" + id).jsonPath().getBoolean("hasSecret"))
                .isFalse();
        as(s.apiKey).post("/webhooks/subscriptions/" + id + "/test").then().statusCode(200);
        assertThat(Fakes.server().findAll(postRequestedFor(urlEqualTo(path))).get(1).containsHeader(
                "webhook-signature")).isFalse();

        assertError(asJson(s.apiKey, Map.of("providerType", "google_ads")).put("/webhooks/subscriptions/" + id), 422);
        assertError(asJson(s.apiKey, Map.of("eventTypes", List.of())).put("/webhooks/subscriptions/" + id), 422);
        assertError(asJson(s.apiKey, Map.of("enabled", "yes")).put("/webhooks/subscriptions/" + id), 422);
        assertError(asJson(s.apiKey, Map.of("callbackUrl", "ftp://x")).put("/webhooks/subscriptions/" + id), 422);
        assertError(asJson(other.apiKey, Map.of("enabled", true)).put("/webhooks/subscriptions/" + id), 404);
        assertError(as(other.apiKey).post("/webhooks/subscriptions/" + id + "/test"), 404);
        assertThat(as(s.apiKey).get("/webhooks/subscriptions/" + id).jsonPath().getString("callbackUrl"))
                .as("the refused edits changed nothing").isEqualTo(Fakes.baseUrl() + path);
        as(s.apiKey).delete("/webhooks/subscriptions/" + id).then().statusCode(204);
        assertError(asJson(s.apiKey, Map.of("enabled", true)).put("/webhooks/subscriptions/" + id), 404);
    }

    @Test
    void a_test_send_to_a_failing_endpoint_says_what_it_answered() {
        Scenario s = Scenario.withMetaPage();
        String path = "/sub/down/" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(500).withBody("boom")));
        String id = s.subscribe(path, "plain-secret");

        Response test = as(s.apiKey).post("/webhooks/subscriptions/" + id + "/test");

        assertThat(test.statusCode()).as(test.asString()).isEqualTo(200);
        assertThat(test.jsonPath().getBoolean("ok")).isFalse();
        assertThat(test.jsonPath().getInt("httpStatus")).isEqualTo(500);
        assertThat(test.jsonPath().getString("message")).contains("500");
        assertThat(Fakes.server().findAll(postRequestedFor(urlEqualTo(path)))).as("sent once, not retried").hasSize(1);
    }

    @Test
    void leads_filtered_by_delivery_status_are_the_ones_with_such_a_delivery_and_paging_goes_on_past_non_matches() {
        Scenario s = Scenario.withMetaPage();
        List<String> ids = fiveLeads(s.accountId);
        // The second oldest and the newest have a pending delivery; the others none.
        deliveries.ensure(ids.get(1), "dst_filter", s.accountId, "http", Instant.now().plusSeconds(600), null);
        deliveries.ensure(ids.get(4), "dst_filter", s.accountId, "http", Instant.now().plusSeconds(600), null);

        JsonPath pending = page(s.apiKey, "?deliveryStatus=pending");
        assertThat(pending.getList("items.leadId")).containsExactly(ids.get(4), ids.get(1));
        assertThat(pending.getString("nextCursor")).isNull();
        JsonPath first = page(s.apiKey, "?deliveryStatus=pending&limit=1");
        assertThat(first.getList("items.leadId")).containsExactly(ids.get(4));
        JsonPath second = page(s.apiKey, "?deliveryStatus=pending&limit=1&cursor=" + first.getString("nextCursor"));
        assertThat(second.getList("items.leadId")).as("past the three without one").containsExactly(ids.get(1));
        assertThat(page(s.apiKey, "?deliveryStatus=failed").getList("items")).isEmpty();
        assertThat(page(s.apiKey, "?deliveryStatus=failed").getString("nextCursor")).isNull();
        assertError(as(s.apiKey).get("/leads?deliveryStatus=lost"), 422);
    }

    // --- lead counts -------------------------------------------------------------------------------------

    @Test
    void lead_counts_per_day_and_provider_cover_every_day_asked_for_and_only_the_callers_leads() {
        Scenario s = Scenario.withMetaPage();
        Scenario other = Scenario.withMetaPage();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant todayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
        ApiTestSupport.storeLead(leads, s.accountId, ProviderType.META_LEAD_ADS, todayStart.plusSeconds(1));
        ApiTestSupport.storeLead(leads, s.accountId, ProviderType.META_LEAD_ADS, todayStart.plusSeconds(2));
        ApiTestSupport.storeLead(leads, s.accountId, ProviderType.GOOGLE_ADS, todayStart.plusSeconds(3));
        ApiTestSupport.storeLead(leads, s.accountId, ProviderType.META_LEAD_ADS, todayStart.minus(Duration.ofDays(3)));
        ApiTestSupport.storeLead(leads, s.accountId, ProviderType.TIKTOK_ADS, todayStart.minus(Duration.ofDays(20)));
        ApiTestSupport.storeLead(leads, other.accountId, ProviderType.META_LEAD_ADS, todayStart.plusSeconds(4));

        Response r = as(s.apiKey).get("/leads/stats");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonPath stats = r.jsonPath();
        assertThat(stats.getList("days")).hasSize(14);
        assertThat(stats.getString("days[0].date")).isEqualTo(today.minusDays(13).toString());
        assertThat(stats.getString("days[13].date")).isEqualTo(today.toString());
        assertThat(stats.getInt("days[13].counts.meta_lead_ads")).isEqualTo(2);
        assertThat(stats.getInt("days[13].counts.google_ads")).isEqualTo(1);
        assertThat(stats.getInt("days[13].total")).isEqualTo(3);
        assertThat(stats.getInt("days[10].counts.meta_lead_ads")).isEqualTo(1);
        assertThat(stats.getMap("days[0].counts")).isEmpty();
        assertThat(stats.getInt("total")).isEqualTo(4);
        assertThat(stats.getBoolean("complete")).isTrue();
        assertThat(stats.getList("providerTypes")).containsExactly("meta_lead_ads", "google_ads");

        JsonPath month = as(s.apiKey).get("/leads/stats?days=30").then().statusCode(200).extract().jsonPath();
        assertThat(month.getInt("total")).isEqualTo(5);
        assertThat(month.getInt("days[9].counts.tiktok_ads")).isEqualTo(1);
        assertError(as(s.apiKey).get("/leads/stats?days=0"), 422);
        assertError(as(s.apiKey).get("/leads/stats?days=91"), 422);
        assertError(as(s.apiKey).get("/leads/stats?days=two"), 400);
        assertError(as(s.apiKey).get("/leads/stats?account_id=" + other.accountId), 404);
        assertThat(as(Scenario.ADMIN_KEY).get("/leads/stats?account_id=" + other.accountId).jsonPath()
                .getInt("total")).isEqualTo(1);
    }

    // --- lead listing -------------------------------------------------------------------------------------

    private static final Instant T0 = Instant.parse("2026-01-10T10:00:00Z");

    /** Five STORED leads one hour apart (written out of order); index i was received at T0 + i hours. */
    private List<String> fiveLeads(String accountId) {
        String[] ids = new String[5];
        for (int i : new int[] {2, 0, 4, 1, 3}) {
            StoredLead lead = ApiTestSupport.storeLead(leads, accountId, T0.plus(Duration.ofHours(i)));
            ids[i] = lead.leadId();
        }
        return List.of(ids);
    }

    private static JsonPath page(String key, String query) {
        Response r = as(key).get("/leads" + query);
        assertThat(r.statusCode()).as("GET /leads%s: %s", query, r.asString()).isEqualTo(200);
        return r.jsonPath();
    }

    @Test
    void leads_page_newest_first_with_a_cursor() {
        Scenario s = Scenario.withMetaPage();
        List<String> ids = fiveLeads(s.accountId);

        JsonPath p1 = page(s.apiKey, "?limit=2");
        assertThat(p1.getList("items.leadId")).containsExactly(ids.get(4), ids.get(3));
        assertThat(p1.getString("nextCursor")).isNotBlank();
        JsonPath p2 = page(s.apiKey, "?limit=2&cursor=" + p1.getString("nextCursor"));
        assertThat(p2.getList("items.leadId")).containsExactly(ids.get(2), ids.get(1));
        assertThat(p2.getString("nextCursor")).isNotBlank();
        JsonPath p3 = page(s.apiKey, "?limit=2&cursor=" + p2.getString("nextCursor"));
        assertThat(p3.getList("items.leadId")).containsExactly(ids.get(0));
        assertThat(p3.getString("nextCursor")).isNull();
        assertThat(p3.getMap("")).containsKey("nextCursor");

        JsonPath all = page(s.apiKey, "");
        assertThat(all.getList("items.leadId")).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1),
                ids.get(0));
        assertThat(all.getString("nextCursor")).isNull();
        assertThat(all.getList("items.receivedAt")).containsExactly("2026-01-10T14:00:00Z", "2026-01-10T13:00:00Z",
                "2026-01-10T12:00:00Z", "2026-01-10T11:00:00Z", "2026-01-10T10:00:00Z");
        Map<String, Object> first = all.getMap("items[0]");
        assertThat(first).containsKeys("leadId", "accountId", "providerType", "providerLeadId", "email", "firstName",
                "lastName", "fullName", "phoneNumber", "company", "rawFieldData", "customFields", "receivedAt",
                "formId", "adId", "campaignId", "isTest", "storedAt", "deliveries");
        assertThat(page(s.apiKey, "?limit=200").getList("items")).hasSize(5);
        assertThat(page(s.apiKey, "?limit=1").getList("items.leadId")).containsExactly(ids.get(4));
    }

    @Test
    void leads_filter_by_time_and_provider() {
        Scenario s = Scenario.withMetaPage();
        List<String> ids = fiveLeads(s.accountId);

        assertThat(page(s.apiKey, "?since=2026-01-10T11:00:00Z&until=2026-01-10T13:00:00Z").getList("items.leadId"))
                .containsExactly(ids.get(3), ids.get(2), ids.get(1));
        assertThat(page(s.apiKey, "?since=2026-01-10T13:00:00Z").getList("items.leadId"))
                .containsExactly(ids.get(4), ids.get(3));
        assertThat(page(s.apiKey, "?until=2026-01-10T11:00:00Z").getList("items.leadId"))
                .containsExactly(ids.get(1), ids.get(0));
        assertThat(page(s.apiKey, "?since=2026-01-10T12:30:00Z&until=2026-01-10T12:45:00Z").getList("items"))
                .isEmpty();
        // Paging inside a time window.
        JsonPath w1 = page(s.apiKey, "?since=2026-01-10T11:00:00Z&limit=2");
        assertThat(w1.getList("items.leadId")).containsExactly(ids.get(4), ids.get(3));
        JsonPath w2 = page(s.apiKey, "?since=2026-01-10T11:00:00Z&limit=2&cursor=" + w1.getString("nextCursor"));
        assertThat(w2.getList("items.leadId")).containsExactly(ids.get(2), ids.get(1));

        assertThat(page(s.apiKey, "?providerType=meta_lead_ads").getList("items")).hasSize(5);
        assertThat(page(s.apiKey, "?providerType=google_ads").getList("items")).isEmpty();
        assertThat(page(s.apiKey, "?providerType=google_ads").getString("nextCursor")).isNull();
    }

    @Test
    void lead_listing_parameters_are_validated() {
        Scenario s = Scenario.withMetaPage();
        fiveLeads(s.accountId);

        assertError(as(s.apiKey).get("/leads?limit=0"), 422, "invalid");
        assertError(as(s.apiKey).get("/leads?limit=201"), 422);
        assertError(as(s.apiKey).get("/leads?limit=-1"), 422);
        assertError(as(s.apiKey).get("/leads?limit=abc"), 400, "bad_request");
        assertError(as(s.apiKey).get("/leads?cursor=garbage"), 400);
        assertError(as(s.apiKey).get("/leads?cursor=%25%25%25"), 400);
        assertError(as(s.apiKey).get("/leads?providerType=nope"), 422);
        assertError(as(s.apiKey).get("/leads?since=notadate"), 400);
        assertError(as(s.apiKey).get("/leads?until=2026-01-10"), 400);
    }

    @Test
    void a_well_formed_but_forged_cursor_is_a_bad_request() {
        Scenario s = Scenario.withMetaPage();
        fiveLeads(s.accountId);
        // Decodes as a cursor (name \u0001 value \u0002) but names no key of the index.
        String forged = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("foo\u0001bar\u0002".getBytes(StandardCharsets.UTF_8));

        assertError(as(s.apiKey).get("/leads?limit=2&cursor=" + forged), 400);
    }

    @Test
    void another_accounts_cursor_neither_fails_nor_leaks() {
        Scenario a = Scenario.withMetaPage();
        Scenario b = Scenario.withMetaPage();
        List<String> ofA = fiveLeads(a.accountId);
        List<String> ofB = fiveLeads(b.accountId);
        String cursorOfA = page(a.apiKey, "?limit=2").getString("nextCursor");

        Response r = as(b.apiKey).get("/leads?limit=2&cursor=" + cursorOfA);

        // A cursor from another listing is malformed here (400); at the very least it must not fail or show A's leads.
        assertThat(r.statusCode()).as(r.asString()).isIn(200, 400);
        if (r.statusCode() == 400) {
            assertError(r, 400);
        } else {
            assertThat(r.jsonPath().getList("items.leadId", String.class)).isSubsetOf(ofB).doesNotContainAnyElementsOf(ofA);
        }
    }

    @Test
    void a_time_window_that_ends_before_it_starts_is_not_a_server_error() {
        Scenario s = Scenario.withMetaPage();
        fiveLeads(s.accountId);

        Response r = as(s.apiKey).get("/leads?since=2026-01-10T13:00:00Z&until=2026-01-10T11:00:00Z");

        // Either an empty window (200, no items) or a refused request (400/422): never a 500.
        assertThat(r.statusCode()).as(r.asString()).isIn(200, 400, 422);
        if (r.statusCode() == 200) {
            assertThat(r.jsonPath().getList("items")).isEmpty();
        } else {
            assertError(r, r.statusCode());
        }
    }

    // --- routes not built yet, unknown routes, wrong methods ------------------------------------------------

    @Test
    void the_admin_panel_loads_without_a_key_under_a_strict_content_security_policy() {
        Response page = Scenario.given().get("/admin");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.asString()).contains("<script type=\"module\" src=\"/admin/app.js\"></script>")
                .doesNotContain("<script>").doesNotContain(" on").doesNotContain("style=");
        String csp = page.header("content-security-policy");
        assertThat(csp).contains("script-src 'self'").contains("connect-src 'self'").contains("default-src 'none'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.header("cache-control")).isEqualTo("no-cache");
        assertThat(page.header("x-content-type-options")).isEqualTo("nosniff");

        Response script = Scenario.given().get("/admin/app.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.contentType()).startsWith("text/javascript");
        assertThat(script.header("cache-control")).isEqualTo("public, max-age=300");
        assertThat(script.asString()).doesNotContain("innerHTML").doesNotContain("eval(");
        String etag = script.header("etag");
        assertThat(Scenario.given().header("if-none-match", etag).get("/admin/app.js").statusCode()).isEqualTo(304);

        assertError(Scenario.given().get("/admin/nothing.js"), 404);
        assertError(Scenario.given().get("/admin/..%2Fapplication.properties"), 404);

        // Every module the page loads, and every module they import, is served (a view left out of the list
        // would stop the whole panel).
        Deque<String> modules = new ArrayDeque<>(List.of("app.js"));
        Set<String> seen = new HashSet<>();
        Pattern imports = Pattern.compile("from '\\./([A-Za-z0-9.]+)'");
        while (!modules.isEmpty()) {
            String name = modules.pop();
            if (!seen.add(name)) {
                continue;
            }
            Response module = Scenario.given().get("/admin/" + name);
            assertThat(module.statusCode()).as("/admin/%s", name).isEqualTo(200);
            Matcher m = imports.matcher(module.asString());
            while (m.find()) {
                modules.push(m.group(1));
            }
        }
        assertThat(seen).contains("overview.js", "uPlot.esm.js", "flows.js", "oauth.js");
        // ... and so is everything the page links: styles and its icon.
        Matcher links = Pattern.compile("href=\"/admin/([A-Za-z0-9.]+)\"").matcher(page.asString());
        List<String> linked = new ArrayList<>();
        while (links.find()) {
            linked.add(links.group(1));
            assertThat(Scenario.given().get("/admin/" + links.group(1)).statusCode()).as(links.group(1)).isEqualTo(200);
        }
        assertThat(linked).contains("app.css", "uPlot.min.css", "favicon.svg");
        assertThat(Scenario.given().get("/admin/favicon.svg").contentType()).startsWith("image/svg+xml");

        // Uptime checks ask with HEAD: the page's status and headers, no body.
        Response head = Scenario.given().head("/admin");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.header("content-security-policy")).isEqualTo(csp);
        assertThat(head.asString()).isEmpty();
        assertThat(Scenario.given().head("/admin/destinations.js").header("etag")).isNotBlank();
    }

    @Test
    void the_destination_types_say_which_settings_are_secret_which_say_where_leads_go_and_which_connect_by_oauth() {
        Scenario s = Scenario.withMetaPage();
        Response r = as(s.apiKey).get("/crm/destination-types");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonPath types = r.jsonPath();
        assertThat(types.getList("items.type")).containsExactly("http", "hubspot", "pipedrive", "salesforce", "zoho");
        assertThat(types.getList("items.find { it.type == 'salesforce' }.secretKeys"))
                .containsExactly("accessToken", "refreshToken");
        assertThat(types.getList("items.find { it.type == 'salesforce' }.endpointKeys"))
                .containsExactly("instanceUrl", "loginUrl");
        assertThat(types.getList("items.find { it.type == 'http' }.secretKeys")).isNotEmpty();
        assertThat(types.getList("items.findAll { it.oauth }.type"))
                .containsExactly("hubspot", "pipedrive", "salesforce", "zoho");
        assertError(Scenario.given().get("/crm/destination-types"), 401);
    }

    @Test
    void the_admin_key_lists_accounts_a_page_at_a_time_and_an_account_key_may_not() throws Exception {
        Scenario a = Scenario.withMetaPage();
        Scenario b = Scenario.withMetaPage();
        assertError(as(a.apiKey).get("/accounts"), 403);

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var req = as(Scenario.ADMIN_KEY).queryParam("limit", 2);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            JsonNode page = JSON.readTree(req.get("/accounts").then().statusCode(200).extract().asString());
            assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
            for (JsonNode item : page.path("items")) {
                assertThat(seen.add(item.path("accountId").asText())).as("each account once").isTrue();
                if (item.path("accountId").asText().equals(a.accountId)) {
                    assertThat(item.path("name").asText()).startsWith("Acme ");
                    assertThat(item.path("createdAt").asText()).isNotBlank();
                    assertThat(item.has("apiKey")).isFalse();
                }
            }
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).contains(a.accountId, b.accountId);
        assertThat(pages).isGreaterThan(1);
        assertError(as(Scenario.ADMIN_KEY).queryParam("cursor", "forged.cursor").get("/accounts"), 400);
    }

    @Test
    void an_unknown_route_is_not_found_and_a_wrong_method_not_allowed() {
        Scenario s = Scenario.withMetaPage();

        assertError(as(s.apiKey).get("/nope"), 404, "not_found");
        assertError(as(s.apiKey).get("/crm/destinations/x/y/z"), 404);
        assertError(as(s.apiKey).delete("/leads"), 405, "method_not_allowed");
        assertError(as(s.apiKey).put("/connections"), 405);
        assertError(as(s.apiKey).get("/crm/push/x"), 405);
        assertError(as(s.apiKey).delete("/accounts"), 405);
    }
}
