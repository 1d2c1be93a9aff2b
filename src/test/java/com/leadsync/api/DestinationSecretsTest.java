package com.leadsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Write-only secrets stay with the endpoint they were given for. */
@QuarkusTest
class DestinationSecretsTest {

    @Test
    void a_kept_secret_follows_its_url_but_not_a_new_one() {
        Scenario s = Scenario.withMetaPage();
        String id = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "http", "name", "CRM", "config", Map.of("url", Fakes.baseUrl() + "/crm-a",
                        "authorization", "Bearer crm-secret")))
                .post("/crm/destinations").then().statusCode(201).extract().path("id");

        // Same URL, secret left out: kept.
        var same = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("config", Map.of("url", Fakes.baseUrl() + "/crm-a"), "name", "CRM renamed"))
                .put("/crm/destinations/" + id).then().statusCode(200).extract();
        assertThat(same.jsonPath().getList("secretsSet")).containsExactly("authorization");
        assertThat(same.asString()).doesNotContain("crm-secret");

        // Another URL, secret left out: not carried over to the new host.
        var moved = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("config", Map.of("url", Fakes.baseUrl() + "/crm-b")))
                .put("/crm/destinations/" + id).then().statusCode(200).extract();
        assertThat(moved.jsonPath().getList("secretsSet")).isEmpty();
    }

    @Test
    void a_token_given_to_any_type_is_write_only_like_its_own_secrets() {
        Scenario s = Scenario.withMetaPage();
        var created = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "http", "name", "CRM", "config", Map.of("url", Fakes.baseUrl() + "/crm-a",
                        "accessToken", "tok-not-for-http", "apiToken", "api-not-for-http")))
                .post("/crm/destinations").then().statusCode(201).extract();
        assertThat(created.asString()).doesNotContain("tok-not-for-http").doesNotContain("api-not-for-http");
        assertThat(created.jsonPath().getList("secretsSet")).containsExactlyInAnyOrder("accessToken", "apiToken");
        String id = created.path("id");

        var listed = Scenario.given().header("x-api-key", s.apiKey).get("/crm/destinations").then().statusCode(200)
                .extract().asString();
        assertThat(listed).doesNotContain("tok-not-for-http").doesNotContain("api-not-for-http");
        // Left out of a PUT to the same URL: kept, as a secret the caller cannot see must be.
        var renamed = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("config", Map.of("url", Fakes.baseUrl() + "/crm-a"), "name", "CRM 2"))
                .put("/crm/destinations/" + id).then().statusCode(200).extract();
        assertThat(renamed.jsonPath().getList("secretsSet")).containsExactlyInAnyOrder("accessToken", "apiToken");
        assertThat(renamed.asString()).doesNotContain("tok-not-for-http");
    }

    @Test
    void a_salesforce_token_is_not_carried_to_another_instance_url() {
        Scenario s = Scenario.withMetaPage();
        String id = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "salesforce", "name", "SF", "config", Map.of("instanceUrl",
                        Fakes.baseUrl() + "/salesforce/org-a", "accessToken", "sf-secret-token")))
                .post("/crm/destinations").then().statusCode(201).extract().path("id");

        // Renamed on the same instance: the token stays.
        Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("config", Map.of("instanceUrl", Fakes.baseUrl() + "/salesforce/org-a"), "name", "SF 2"))
                .put("/crm/destinations/" + id).then().statusCode(200);

        // Pointed at another instance without giving the token again: refused, the token is not sent there.
        String message = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("config", Map.of("instanceUrl", Fakes.baseUrl() + "/salesforce/org-b")))
                .put("/crm/destinations/" + id).then().statusCode(422).extract().path("message");
        assertThat(message).contains("accessToken");
        var kept = Scenario.given().header("x-api-key", s.apiKey).get("/crm/destinations/" + id).then()
                .statusCode(200).extract();
        assertThat(kept.jsonPath().getString("config.instanceUrl")).endsWith("/org-a");
        assertThat(kept.jsonPath().getList("secretsSet")).containsExactly("accessToken");
    }

    @Test
    void a_malformed_whsec_secret_is_refused() {
        Scenario s = Scenario.withMetaPage();
        Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("callbackUrl", Fakes.baseUrl() + "/hook", "callbackSecret", "whsec_%%%not-base64"))
                .post("/webhooks/meta_lead_ads/subscribe").then().statusCode(422);
    }

    @Test
    void malformed_or_oversized_path_ids_are_client_errors() {
        Scenario s = Scenario.withMetaPage();
        // HTTP clients refuse to send "%zz" at all, so the router is asked directly.
        Router<String> router = new Router<String>().add("GET", "/leads/{leadId}", "lead");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> router.match("GET", "/leads/%zz"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400));
        Scenario.given().header("x-api-key", s.apiKey).get("/leads/" + "x".repeat(3000)).then().statusCode(404);
    }
}
