package com.leadsync.api;

import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bad input never answers 500: size limits on bodies, fields, maps, ids and instants; strict JSON. */
@QuarkusTest
class ApiInputLimitsTest {

    private static String chars(int n) {
        return "x".repeat(n);
    }

    @Test
    void a_body_over_the_api_limit_is_413_and_creates_nothing() {
        // 500 KB: stored as one item it would exceed DynamoDB's 400 KB item limit.
        assertError(Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", chars(500_000))).post("/accounts"), 413, "payload_too_large");

        Scenario s = Scenario.withMetaPage();
        assertError(asJson(s.apiKey, Map.of("type", "http", "name", "Big", "config",
                Map.of("url", Fakes.baseUrl() + "/big", "note", chars(100_000)))).post("/crm/destinations"), 413);
        assertThat(as(s.apiKey).get("/crm/destinations").jsonPath().getList("items")).isEmpty();
    }

    @Test
    void an_over_long_field_is_422_naming_the_field() {
        JsonNode e = assertError(Scenario.given().header("x-api-key", Scenario.ADMIN_KEY)
                .contentType(ContentType.JSON).body(Map.of("name", chars(1_000))).post("/accounts"), 422, "invalid");
        assertThat(e.get("message").asText()).contains("'name'");

        Scenario s = Scenario.withMetaPage();
        e = assertError(asJson(s.apiKey, Map.of("callbackUrl", Fakes.baseUrl() + "/" + chars(5_000)))
                .post("/webhooks/meta_lead_ads/subscribe"), 422);
        assertThat(e.get("message").asText()).contains("'callbackUrl'");
        e = assertError(asJson(s.apiKey, Map.of("type", "http", "name", chars(600), "config",
                Map.of("url", Fakes.baseUrl() + "/x"))).post("/crm/destinations"), 422);
        assertThat(e.get("message").asText()).contains("'name'");
        assertThat(as(s.apiKey).get("/webhooks/subscriptions").jsonPath().getList("items")).isEmpty();
        assertThat(as(s.apiKey).get("/crm/destinations").jsonPath().getList("items")).isEmpty();
    }

    @Test
    void config_and_field_mapping_are_capped_in_entries_and_value_length() {
        Scenario s = Scenario.withMetaPage();
        String url = Fakes.baseUrl() + "/capped/" + UUID.randomUUID();
        Map<String, String> many = new LinkedHashMap<>();
        many.put("url", url);
        for (int i = 0; i < 60; i++) {
            many.put("k" + i, "v");
        }
        JsonNode e = assertError(asJson(s.apiKey, Map.of("type", "http", "name", "Many", "config", many))
                .post("/crm/destinations"), 422);
        assertThat(e.get("message").asText()).contains("'config'");
        e = assertError(asJson(s.apiKey, Map.of("type", "http", "name", "Long value", "config",
                Map.of("url", url, "authorization", chars(10_000)))).post("/crm/destinations"), 422);
        assertThat(e.get("message").asText()).contains("'config.authorization'");
        e = assertError(asJson(s.apiKey, Map.of("type", "http", "name", "Long key", "config",
                Map.of("url", url, chars(300), "v"))).post("/crm/destinations"), 422);
        assertThat(e.get("message").asText()).contains("'config'");
        Map<String, String> mapping = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            mapping.put("customFields.q" + i, "crm_" + i);
        }
        e = assertError(asJson(s.apiKey, Map.of("type", "http", "name", "Big mapping", "config", Map.of("url", url),
                "fieldMapping", mapping)).post("/crm/destinations"), 422);
        assertThat(e.get("message").asText()).contains("'fieldMapping'");
        assertThat(as(s.apiKey).get("/crm/destinations").jsonPath().getList("items")).isEmpty();
    }

    @Test
    void json_with_trailing_garbage_or_duplicate_keys_is_400() {
        Scenario s = Scenario.withMetaPage();
        assertError(as(s.apiKey).contentType(ContentType.JSON)
                .body("{\"callbackUrl\":\"" + Fakes.baseUrl() + "/t\"} trailing").post("/webhooks/meta_lead_ads/subscribe"),
                400, "bad_request");
        assertError(as(s.apiKey).contentType(ContentType.JSON)
                .body("{\"callbackUrl\":\"" + Fakes.baseUrl() + "/t\"}{}").post("/webhooks/meta_lead_ads/subscribe"),
                400);
        assertError(as(s.apiKey).contentType(ContentType.JSON).body("{\"callbackUrl\":\"" + Fakes.baseUrl()
                + "/a\",\"callbackUrl\":\"" + Fakes.baseUrl() + "/b\"}").post("/webhooks/meta_lead_ads/subscribe"),
                400);
        assertThat(as(s.apiKey).get("/webhooks/subscriptions").jsonPath().getList("items")).isEmpty();
    }

    @Test
    void instants_outside_a_sane_range_are_refused() {
        Scenario s = Scenario.withMetaPage();
        assertError(as(s.apiKey).get("/leads?since=%2B10000-01-01T00:00:00Z"), 400, "bad_request");
        assertError(as(s.apiKey).get("/leads?until=%2B10000-01-01T00:00:00Z"), 400);
        assertError(as(s.apiKey).get("/leads?since=-0001-01-01T00:00:00Z"), 400);
        assertError(as(s.apiKey).get("/leads?until=1969-12-31T23:59:59Z"), 400);
        assertThat(as(s.apiKey).get("/leads?since=1970-01-01T00:00:00Z&until=9999-12-31T23:59:59Z").statusCode())
                .isEqualTo(200);

        String pageId = "7" + Scenario.newLeadgenId();
        assertError(asJson(s.apiKey, Map.of("providerType", "meta_lead_ads", "externalId", pageId,
                "accessToken", "EAAB-x", "expiresAt", "+10000-01-01T00:00:00Z")).post("/connections"), 422, "invalid");
        assertThat(as(s.apiKey).get("/connections").jsonPath().getList("items.externalId"))
                .containsExactly(s.pageId);
    }

    @Test
    void an_over_long_id_in_the_path_or_query_is_refused_not_a_server_error() {
        Scenario s = Scenario.withMetaPage();
        String huge = chars(3_000);
        assertError(as(s.apiKey).get("/leads/" + huge), 404, "not_found");
        assertError(as(s.apiKey).post("/crm/push/" + huge), 404);
        assertError(as(s.apiKey).get("/crm/destinations/" + huge), 404);
        assertError(as(s.apiKey).delete("/connections/" + huge), 404);
        assertError(as(s.apiKey).delete("/webhooks/subscriptions/" + huge), 404);
        assertError(as(Scenario.ADMIN_KEY).get("/leads?account_id=" + huge), 422, "invalid");
        assertError(as(Scenario.ADMIN_KEY).get("/crm/destinations?account_id=" + huge), 422);
        assertError(asJson(Scenario.ADMIN_KEY, Map.of("accountId", huge)).post("/crm/push"), 422);
    }
}
