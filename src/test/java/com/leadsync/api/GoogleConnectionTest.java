package com.leadsync.api;

import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.store.ConnectionStore;
import com.leadsync.testing.GoogleAdsFake;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Google Ads connections (contract §5): a 10-digit customer id, a secret {@code webhookKey} that is unique across
 * connections (409) and never shown, an optional manager {@code loginCustomerId}; the customer check comes first.
 */
@QuarkusTest
class GoogleConnectionTest {

    @Inject
    ConnectionStore connections;

    private static String newAccountKey() {
        Response r = Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme " + UUID.randomUUID())).post("/accounts");
        r.then().statusCode(201);
        return r.path("apiKey");
    }

    private static Map<String, String> key(String webhookKey) {
        return Map.of(Connection.WEBHOOK_KEY, webhookKey);
    }

    @Test
    void a_customer_is_connected_and_its_webhook_key_is_never_shown() {
        String apiKey = newAccountKey();
        String customerId = GoogleAdsFake.newCustomerId();
        String token = GoogleAdsFake.newAccessToken(customerId);
        String webhookKey = GoogleAdsFake.newWebhookKey();

        Response created = GoogleAdsFake.connect(apiKey, customerId, token,
                Map.of(Connection.WEBHOOK_KEY, webhookKey, "loginCustomerId", "9876543210"));

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.asString()).doesNotContain(webhookKey).doesNotContain(token);
        assertThat(created.jsonPath().getMap("config")).containsExactly(Map.entry("loginCustomerId", "9876543210"));
        assertThat(created.jsonPath().getList("secretsSet")).containsExactly(Connection.WEBHOOK_KEY);
        assertThat(created.jsonPath().getString("expiresAt")).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(created.jsonPath().getBoolean("hasRefreshToken")).isTrue();
        Response listed = as(apiKey).get("/connections");
        assertThat(listed.asString()).doesNotContain(webhookKey).contains(customerId);
        assertThat(listed.jsonPath().getList("items[0].secretsSet")).containsExactly(Connection.WEBHOOK_KEY);
        assertThat(connections.findByWebhookKey(webhookKey)).hasValueSatisfying(
                c -> assertThat(c.externalId()).isEqualTo(customerId));
    }

    @Test
    void a_webhook_key_another_connection_uses_is_a_conflict_and_nothing_is_stored() {
        String webhookKey = GoogleAdsFake.newWebhookKey();
        String first = GoogleAdsFake.newCustomerId();
        GoogleAdsFake.connect(newAccountKey(), first, GoogleAdsFake.newAccessToken(first), key(webhookKey))
                .then().statusCode(201);
        String other = GoogleAdsFake.newCustomerId();

        JsonNode error = assertError(GoogleAdsFake.connect(newAccountKey(), other, GoogleAdsFake.newAccessToken(other),
                key(webhookKey)), 409, "conflict");

        assertThat(error.get("message").asText()).contains("webhookKey is already used").doesNotContain(webhookKey);
        assertThat(connections.findByRoute(ProviderType.GOOGLE_ADS, other)).isEmpty();
        assertThat(connections.findByWebhookKey(webhookKey)).hasValueSatisfying(
                c -> assertThat(c.externalId()).isEqualTo(first));
    }

    @Test
    void the_customer_check_comes_before_the_webhook_key_conflict() {
        String webhookKey = GoogleAdsFake.newWebhookKey();
        String first = GoogleAdsFake.newCustomerId();
        GoogleAdsFake.connect(newAccountKey(), first, GoogleAdsFake.newAccessToken(first), key(webhookKey))
                .then().statusCode(201);

        JsonNode error = assertError(GoogleAdsFake.connect(newAccountKey(), GoogleAdsFake.newCustomerId(),
                "ya29.made-up-" + UUID.randomUUID(), key(webhookKey)), 422, "invalid");

        assertThat(error.get("message").asText()).contains("does not reach").doesNotContain("webhookKey");
    }

    @Test
    void the_same_post_again_is_already_connected() {
        String apiKey = newAccountKey();
        String customerId = GoogleAdsFake.newCustomerId();
        String token = GoogleAdsFake.newAccessToken(customerId);
        String webhookKey = GoogleAdsFake.newWebhookKey();
        GoogleAdsFake.connect(apiKey, customerId, token, key(webhookKey)).then().statusCode(201);

        JsonNode error = assertError(GoogleAdsFake.connect(apiKey, customerId, token, key(webhookKey)), 409, "conflict");

        assertThat(error.get("message").asText()).contains("already connected");
    }

    @Test
    void a_deleted_connection_frees_its_webhook_key() {
        String apiKey = newAccountKey();
        String customerId = GoogleAdsFake.newCustomerId();
        String webhookKey = GoogleAdsFake.newWebhookKey();
        String id = GoogleAdsFake.connect(apiKey, customerId, GoogleAdsFake.newAccessToken(customerId), key(webhookKey))
                .then().statusCode(201).extract().path("id");
        as(apiKey).delete("/connections/" + id).then().statusCode(204);
        String other = GoogleAdsFake.newCustomerId();

        GoogleAdsFake.connect(newAccountKey(), other, GoogleAdsFake.newAccessToken(other), key(webhookKey))
                .then().statusCode(201);

        assertThat(connections.findByWebhookKey(webhookKey)).hasValueSatisfying(
                c -> assertThat(c.externalId()).isEqualTo(other));
    }

    @Test
    void bad_customer_ids_and_configs_are_refused_before_google_is_asked() {
        String apiKey = newAccountKey();
        String customerId = GoogleAdsFake.newCustomerId();
        String token = GoogleAdsFake.newAccessToken(customerId);
        String webhookKey = GoogleAdsFake.newWebhookKey();

        assertThat(message(GoogleAdsFake.connect(apiKey, "123-456-7890", token, key(webhookKey)))).contains("'externalId'");
        assertThat(message(GoogleAdsFake.connect(apiKey, "123456789", token, key(webhookKey)))).contains("10 digits");
        assertThat(message(GoogleAdsFake.connect(apiKey, customerId, token, null))).contains("'config.webhookKey'");
        assertThat(message(GoogleAdsFake.connect(apiKey, customerId, token, key("too-short-key")))).contains("16");
        assertThat(message(GoogleAdsFake.connect(apiKey, customerId, token,
                Map.of(Connection.WEBHOOK_KEY, webhookKey, "loginCustomerId", "987-654-3210"))))
                .contains("'config.loginCustomerId'");

        assertThat(GoogleAdsFake.searches(customerId)).isEmpty();
        assertThat(connections.findByRoute(ProviderType.GOOGLE_ADS, customerId)).isEmpty();
        assertThat(connections.findByWebhookKey(webhookKey)).isEmpty();
    }

    @Test
    void replacing_tokens_keeps_the_webhook_key_unshown_and_refuses_a_new_one() {
        String apiKey = newAccountKey();
        String customerId = GoogleAdsFake.newCustomerId();
        String webhookKey = GoogleAdsFake.newWebhookKey();
        String id = GoogleAdsFake.connect(apiKey, customerId, GoogleAdsFake.newAccessToken(customerId), key(webhookKey))
                .then().statusCode(201).extract().path("id");
        String rotated = GoogleAdsFake.newAccessToken(customerId);

        Response withoutConfig = asJson(apiKey, Map.of("accessToken", rotated, "refreshToken", "1//r2",
                "expiresAt", "2099-01-01T00:00:00Z")).put("/connections/" + id);
        Response withOtherConfig = asJson(apiKey, Map.of("accessToken", rotated, "refreshToken", "1//r2",
                "expiresAt", "2099-01-01T00:00:00Z", "config", Map.of("loginCustomerId", "9876543210")))
                .put("/connections/" + id);
        JsonNode newKey = assertError(asJson(apiKey, Map.of("accessToken", rotated,
                "config", key(GoogleAdsFake.newWebhookKey()))).put("/connections/" + id), 422, "invalid");

        assertThat(withoutConfig.statusCode()).as(withoutConfig.asString()).isEqualTo(200);
        assertThat(withOtherConfig.statusCode()).as(withOtherConfig.asString()).isEqualTo(200);
        assertThat(withOtherConfig.asString()).doesNotContain(webhookKey);
        assertThat(withOtherConfig.jsonPath().getList("secretsSet")).containsExactly(Connection.WEBHOOK_KEY);
        assertThat(withOtherConfig.jsonPath().getMap("config")).containsExactly(Map.entry("loginCustomerId", "9876543210"));
        assertThat(newKey.get("message").asText()).contains("cannot be changed in place");
        assertThat(connections.findByWebhookKey(webhookKey)).hasValueSatisfying(c -> {
            assertThat(c.accessToken()).isEqualTo(rotated);
            assertThat(c.webhookKey()).isEqualTo(webhookKey);
            assertThat(c.config()).containsEntry("loginCustomerId", "9876543210");
        });
    }

    @Test
    void a_connection_without_its_refresh_token_or_expiry_is_refused_naming_the_field_before_google_is_asked() {
        // contract §5: a google_ads connection's tokens are accessToken, refreshToken, expiresAt. Without a refresh
        // token the connection would stop working once its access token expires, an hour later.
        String apiKey = newAccountKey();
        String customerId = GoogleAdsFake.newCustomerId();
        String token = GoogleAdsFake.newAccessToken(customerId);
        String webhookKey = GoogleAdsFake.newWebhookKey();
        Map<String, Object> complete = Map.of("providerType", "google_ads", "externalId", customerId,
                "accessToken", token, "refreshToken", "1//test-refresh", "expiresAt", "2099-01-01T00:00:00Z",
                "config", key(webhookKey));

        assertThat(message(asJson(apiKey, without(complete, "refreshToken")).post("/connections")))
                .contains("'refreshToken'");
        assertThat(message(asJson(apiKey, with(complete, "refreshToken", " ")).post("/connections")))
                .contains("'refreshToken'");
        assertThat(message(asJson(apiKey, without(complete, "expiresAt")).post("/connections")))
                .contains("'expiresAt'");
        assertThat(message(asJson(apiKey, with(complete, "expiresAt", "2020-01-01T00:00:00Z")).post("/connections")))
                .contains("'expiresAt'").contains("past");

        assertThat(GoogleAdsFake.searches(customerId)).isEmpty();
        assertThat(connections.findByRoute(ProviderType.GOOGLE_ADS, customerId)).isEmpty();
        assertThat(connections.findByWebhookKey(webhookKey)).isEmpty();
    }

    @Test
    void replacing_tokens_needs_the_refresh_token_and_expiry_too() {
        String apiKey = newAccountKey();
        String customerId = GoogleAdsFake.newCustomerId();
        String id = GoogleAdsFake.connect(apiKey, customerId, GoogleAdsFake.newAccessToken(customerId),
                key(GoogleAdsFake.newWebhookKey())).then().statusCode(201).extract().path("id");
        String rotated = GoogleAdsFake.newAccessToken(customerId);

        assertThat(message(asJson(apiKey, Map.of("accessToken", rotated, "expiresAt", "2099-01-01T00:00:00Z"))
                .put("/connections/" + id))).contains("'refreshToken'");
        assertThat(message(asJson(apiKey, Map.of("accessToken", rotated, "refreshToken", "1//r2"))
                .put("/connections/" + id))).contains("'expiresAt'");

        assertThat(connections.findById(id)).hasValueSatisfying(c -> {
            assertThat(c.accessToken()).isNotEqualTo(rotated);
            assertThat(c.refreshToken()).isEqualTo("1//test-refresh-" + customerId);
        });
    }

    private static Map<String, Object> without(Map<String, Object> body, String field) {
        Map<String, Object> out = new HashMap<>(body);
        out.remove(field);
        return out;
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> out = new HashMap<>(body);
        out.put(field, value);
        return out;
    }

    private static String message(Response r) {
        return assertError(r, 422, "invalid").get("message").asText();
    }
}
