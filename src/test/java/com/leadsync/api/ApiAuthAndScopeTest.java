package com.leadsync.api;

import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.model.StoredLead;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Caller authentication (x-api-key / Bearer) and tenant scope: an account key sees only its own account. */
@QuarkusTest
class ApiAuthAndScopeTest {

    @Inject
    LeadStore leads;

    private static String newAccountKey() {
        return asJson(Scenario.ADMIN_KEY, Map.of("name", "Auth " + UUID.randomUUID())).post("/accounts")
                .then().statusCode(201).extract().path("apiKey");
    }

    // --- authentication ---------------------------------------------------------------------------------------

    @Test
    void no_key_is_unauthenticated() {
        assertError(Scenario.given().get("/leads"), 401, "unauthenticated");
        assertError(Scenario.given().get("/crm/destinations"), 401);
        assertError(Scenario.given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/accounts"), 401);
        assertError(Scenario.given().header("x-api-key", "").get("/leads"), 401);
    }

    @Test
    void an_unknown_key_is_unauthenticated() {
        assertError(as("lsk_" + UUID.randomUUID()).get("/leads"), 401, "unauthenticated");
        assertError(Scenario.given().header("Authorization", "Bearer lsk_" + UUID.randomUUID()).get("/leads"), 401);
        // The admin key with a different case or extra text is not the admin key.
        assertError(as(Scenario.ADMIN_KEY.toUpperCase()).get("/leads?account_id=acc_x"), 401);
        assertError(as(Scenario.ADMIN_KEY + "x").get("/leads?account_id=acc_x"), 401);
    }

    @Test
    void a_bearer_token_works_like_x_api_key() {
        Scenario s = Scenario.withMetaPage();

        Response viaHeader = as(s.apiKey).get("/connections");
        Response viaBearer = Scenario.given().header("Authorization", "Bearer " + s.apiKey).get("/connections");
        Response viaLowerBearer = Scenario.given().header("Authorization", "bearer " + s.apiKey).get("/connections");

        assertThat(viaHeader.statusCode()).isEqualTo(200);
        assertThat(viaBearer.statusCode()).isEqualTo(200);
        assertThat(viaLowerBearer.statusCode()).isEqualTo(200);
        assertThat(viaBearer.jsonPath().getList("items.externalId")).containsExactly(s.pageId);
        assertThat(viaBearer.asString()).isEqualTo(viaHeader.asString());
        // Admin by Bearer too.
        assertThat(Scenario.given().header("Authorization", "Bearer " + Scenario.ADMIN_KEY)
                .get("/connections?account_id=" + s.accountId).jsonPath().getList("items.externalId"))
                .containsExactly(s.pageId);
        // Other schemes are not keys.
        assertError(Scenario.given().header("Authorization", "Basic " + s.apiKey).get("/connections"), 401);
        assertError(Scenario.given().header("Authorization", s.apiKey).get("/connections"), 401);
    }

    // --- POST /accounts ---------------------------------------------------------------------------------------

    @Test
    void creating_accounts_needs_the_admin_key() {
        Scenario s = Scenario.withMetaPage();

        assertError(asJson(s.apiKey, Map.of("name", "Sneaky")).post("/accounts"), 403, "forbidden");
    }

    @Test
    void the_admin_creates_an_account_whose_key_works_at_once() {
        String name = "Created " + UUID.randomUUID();

        Response r = asJson(Scenario.ADMIN_KEY, Map.of("name", name)).post("/accounts");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        String accountId = r.path("accountId");
        String apiKey = r.path("apiKey");
        assertThat(accountId).isNotBlank();
        assertThat(apiKey).isNotBlank();
        assertThat((String) r.path("name")).isEqualTo(name);
        Response leadsOfNew = as(apiKey).get("/leads");
        assertThat(leadsOfNew.statusCode()).as(leadsOfNew.asString()).isEqualTo(200);
        assertThat(leadsOfNew.jsonPath().getList("items")).isEmpty();
        // The key acts for its own account only.
        assertThat(as(apiKey).get("/leads?account_id=" + accountId).statusCode()).isEqualTo(200);
        // Each account gets its own key.
        Response second = asJson(Scenario.ADMIN_KEY, Map.of("name", name)).post("/accounts");
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat((String) second.path("apiKey")).isNotEqualTo(apiKey);
        assertThat((String) second.path("accountId")).isNotEqualTo(accountId);
    }

    @Test
    void account_bodies_are_validated() {
        assertError(asJson(Scenario.ADMIN_KEY, Map.of("title", "no name")).post("/accounts"), 422, "invalid");
        assertError(asJson(Scenario.ADMIN_KEY, Map.of("name", "   ")).post("/accounts"), 422);
        assertError(asJson(Scenario.ADMIN_KEY, Map.of("name", 42)).post("/accounts"), 422);
        assertError(as(Scenario.ADMIN_KEY).contentType(ContentType.JSON).body("{\"name\": ").post("/accounts"), 400,
                "bad_request");
        assertError(as(Scenario.ADMIN_KEY).contentType(ContentType.JSON).body("name=Acme").post("/accounts"), 400);
        assertError(as(Scenario.ADMIN_KEY).contentType(ContentType.JSON).body("[{\"name\":\"Acme\"}]")
                .post("/accounts"), 400);
        assertError(as(Scenario.ADMIN_KEY).post("/accounts"), 400);
        assertError(asJson(Scenario.ADMIN_KEY, Map.of("name", "Acme", "defaultRegion", "ZZ")).post("/accounts"), 422);
        Response withRegion = asJson(Scenario.ADMIN_KEY, Map.of("name", "Acme FR", "defaultRegion", "fr"))
                .post("/accounts");
        assertThat(withRegion.statusCode()).as(withRegion.asString()).isEqualTo(201);
        assertThat((String) withRegion.path("defaultRegion")).isEqualTo("FR");
    }

    // --- tenant scope -------------------------------------------------------------------------------------------

    @Test
    void another_accounts_lead_is_not_found() {
        Scenario a = Scenario.withMetaPage();
        Scenario b = Scenario.withMetaPage();
        StoredLead lead = ApiTestSupport.storeLead(leads, a.accountId, Instant.now().truncatedTo(ChronoUnit.SECONDS));

        assertThat(a.getLead(lead.leadId()).then().statusCode(200).extract().jsonPath().getString("leadId"))
                .isEqualTo(lead.leadId());
        assertError(b.getLead(lead.leadId()), 404, "not_found");
        assertError(as(b.apiKey).post("/crm/push/" + lead.leadId()), 404);
        assertThat(as(b.apiKey).get("/leads").jsonPath().getList("items.leadId")).doesNotContain(lead.leadId());
        // The owner and the admin see it.
        assertThat(as(a.apiKey).post("/crm/push/" + lead.leadId()).statusCode()).isEqualTo(202);
        assertThat(as(Scenario.ADMIN_KEY).get("/leads/" + lead.leadId()).statusCode()).isEqualTo(200);
        // A lead id that does not exist at all looks the same.
        assertError(b.getLead("ld_" + UUID.randomUUID().toString().replace("-", "")), 404);
    }

    @Test
    void another_accounts_leads_cannot_be_listed_by_account_id() {
        Scenario a = Scenario.withMetaPage();
        Scenario b = Scenario.withMetaPage();
        ApiTestSupport.storeLead(leads, a.accountId, Instant.now().truncatedTo(ChronoUnit.SECONDS));

        assertError(as(b.apiKey).get("/leads?account_id=" + a.accountId), 404);
        assertThat(as(a.apiKey).get("/leads?account_id=" + a.accountId).jsonPath().getList("items")).hasSize(1);
        // Naming another account in a body is refused the same way.
        assertError(asJson(b.apiKey, Map.of("accountId", a.accountId)).post("/crm/push"), 404);
        assertError(asJson(b.apiKey, Map.of("accountId", a.accountId, "type", "http", "name", "x", "config",
                Map.of("url", Fakes.baseUrl() + "/x"))).post("/crm/destinations"), 404);
        assertThat(as(a.apiKey).get("/crm/destinations").jsonPath().getList("items")).isEmpty();
    }

    @Test
    void another_accounts_destination_is_not_found_and_stays_unchanged() {
        Scenario a = Scenario.withMetaPage();
        Scenario b = Scenario.withMetaPage();
        String id = asJson(a.apiKey, Map.of("type", "http", "name", "A's CRM", "config",
                Map.of("url", Fakes.baseUrl() + "/scope/" + UUID.randomUUID()))).post("/crm/destinations")
                .then().statusCode(201).extract().path("id");

        assertError(as(b.apiKey).get("/crm/destinations/" + id), 404, "not_found");
        assertError(asJson(b.apiKey, Map.of("name", "Hijacked")).put("/crm/destinations/" + id), 404);
        assertError(as(b.apiKey).post("/crm/destinations/" + id + "/test"), 404);
        assertError(as(b.apiKey).delete("/crm/destinations/" + id), 404);
        assertThat(as(b.apiKey).get("/crm/destinations").jsonPath().getList("items.id")).doesNotContain(id);

        Response still = as(a.apiKey).get("/crm/destinations/" + id);
        assertThat(still.statusCode()).isEqualTo(200);
        assertThat(still.jsonPath().getString("name")).isEqualTo("A's CRM");
        assertThat(as(a.apiKey).get("/crm/destinations").jsonPath().getList("items.id")).containsExactly(id);
    }

    @Test
    void another_accounts_connection_cannot_be_deleted() {
        Scenario a = Scenario.withMetaPage();
        Scenario b = Scenario.withMetaPage();
        String connectionId = as(a.apiKey).get("/connections").then().statusCode(200).extract().path("items[0].id");

        assertError(as(b.apiKey).delete("/connections/" + connectionId), 404, "not_found");

        List<String> ids = as(a.apiKey).get("/connections").jsonPath().getList("items.id");
        assertThat(ids).containsExactly(connectionId);
        // Still routing: connecting the same page again, with a token of that page, is a conflict.
        assertError(Scenario.connectPage(b.apiKey, a.pageId, Scenario.newPageToken(a.pageId)), 409);
        assertThat(as(b.apiKey).get("/connections").jsonPath().getList("items.externalId")).containsExactly(b.pageId);
    }

    @Test
    void another_accounts_subscription_cannot_be_deleted() {
        Scenario a = Scenario.withMetaPage();
        Scenario b = Scenario.withMetaPage();
        String id = a.subscribe("/scope/hook/" + UUID.randomUUID(), "a-secret");

        assertError(as(b.apiKey).delete("/webhooks/subscriptions/" + id), 404, "not_found");

        assertThat(as(a.apiKey).get("/webhooks/subscriptions").jsonPath().getList("items.id")).containsExactly(id);
        assertThat(as(b.apiKey).get("/webhooks/subscriptions").jsonPath().getList("items")).isEmpty();
    }

    // --- the admin key ------------------------------------------------------------------------------------------

    @Test
    void the_admin_key_cannot_create_anything_for_an_account_that_does_not_exist() {
        String missing = "acc_" + UUID.randomUUID().toString().replace("-", "");
        String pageId = Scenario.newPageId();
        String token = Scenario.newPageToken(pageId);

        assertError(asJson(Scenario.ADMIN_KEY, Map.of("accountId", missing, "type", "http", "name", "CRM",
                "config", Map.of("url", Fakes.baseUrl() + "/nobody"))).post("/crm/destinations"), 404, "not_found");
        assertError(asJson(Scenario.ADMIN_KEY, Map.of("accountId", missing, "providerType", "meta_lead_ads",
                "externalId", pageId, "accessToken", token)).post("/connections"), 404, "not_found");
        assertError(asJson(Scenario.ADMIN_KEY, Map.of("accountId", missing, "callbackUrl",
                Fakes.baseUrl() + "/nobody")).post("/webhooks/meta_lead_ads/subscribe"), 404, "not_found");
        assertError(as(Scenario.ADMIN_KEY).get("/crm/destinations?account_id=" + missing), 404, "not_found");
        // An id longer than any query value may be is refused before it is looked up.
        assertError(as(Scenario.ADMIN_KEY).get("/crm/destinations?account_id=" + "a".repeat(3000)), 422, "invalid");

        // Nothing was stored: the page is still free for an account that does exist.
        Scenario s = Scenario.withMetaPage();
        Response connected = asJson(Scenario.ADMIN_KEY, Map.of("accountId", s.accountId, "providerType",
                "meta_lead_ads", "externalId", pageId, "accessToken", token)).post("/connections");
        assertThat(connected.statusCode()).as(connected.asString()).isEqualTo(201);
        assertThat(as(Scenario.ADMIN_KEY).get("/crm/destinations?account_id=" + s.accountId).statusCode())
                .isEqualTo(200);
    }

    @Test
    void the_admin_key_must_name_the_account_when_listing_leads() {
        Scenario a = Scenario.withMetaPage();
        StoredLead lead = ApiTestSupport.storeLead(leads, a.accountId, Instant.now().truncatedTo(ChronoUnit.SECONDS));

        assertError(as(Scenario.ADMIN_KEY).get("/leads"), 422, "invalid");
        assertError(as(Scenario.ADMIN_KEY).get("/crm/destinations"), 422);
        assertError(as(Scenario.ADMIN_KEY).get("/connections"), 422);
        assertError(as(Scenario.ADMIN_KEY).get("/webhooks/subscriptions"), 422);

        Response r = as(Scenario.ADMIN_KEY).get("/leads?account_id=" + a.accountId);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getList("items.leadId")).containsExactly(lead.leadId());
        assertThat(r.jsonPath().getList("items.accountId")).containsOnly(a.accountId);
    }
}
