package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.source.meta.MetaSignature;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test set-up through the public API, and the fakes' documented shapes (providers.md §1, crm.md §A.1,
 * contract §3): an account with a Meta page connected, destinations, subscribers, signed webhooks.
 */
public final class Scenario {

    public static final String ADMIN_KEY = "test-admin-key";
    /** When the leads of the Graph stubs were submitted (Meta's format), unless a test says otherwise. */
    private static final String META_CREATED_TIME = "2026-03-07T14:30:00+0000";
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String META_APP_SECRET = "test-meta-app-secret";
    public static final String GRAPH_VERSION = "v25.0";
    public static final String HUBSPOT_UPSERT = "/crm/v3/objects/contacts/batch/upsert";

    public final String accountId;
    public final String apiKey;
    public final String pageId;
    public final String pageToken;

    /**
     * A request to local mode's HTTP API. (RestAssured's default port is the Lambda mock event server's in
     * a Funqy test, so the HTTP gateway's URI is set explicitly.)
     */
    public static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given().baseUri(io.quarkus.test.common.http.TestHTTPResourceManager.getUri())
                .filter(ApiDocument.CONFORMS);
    }

    private Scenario(String accountId, String apiKey, String pageId, String pageToken) {
        this.accountId = accountId;
        this.apiKey = apiKey;
        this.pageId = pageId;
        this.pageToken = pageToken;
    }

    /** A new account with a Meta page connected. */
    public static Scenario withMetaPage() {
        Response r = given().header("x-api-key", ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme " + UUID.randomUUID())).post("/accounts");
        r.then().statusCode(201);
        String accountId = r.path("accountId");
        String apiKey = r.path("apiKey");
        String pageId = newPageId();
        String token = newPageToken(pageId);
        connectPage(apiKey, pageId, token).then().statusCode(201);
        return new Scenario(accountId, apiKey, pageId, token);
    }

    public static String newPageId() {
        return Long.toString(100000000000000L + (long) (Math.random() * 899999999999999L));
    }

    /** A new page access token that the Graph fake knows for that page. */
    public static String newPageToken(String pageId) {
        String token = "EAAB-page-token-" + UUID.randomUUID();
        Fakes.grantPage(pageId, token);
        return token;
    }

    /** {@code POST /connections} of a Meta page with that token, as the account of {@code apiKey}. */
    public static Response connectPage(String apiKey, String pageId, String token) {
        return given().header("x-api-key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("providerType", "meta_lead_ads", "externalId", pageId, "accessToken", token))
                .post("/connections");
    }

    public String addHubSpot() {
        return given().header("x-api-key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "hubspot", "name", "HubSpot", "config", Map.of("accessToken", "pat-na1-" + accountId)))
                .post("/crm/destinations").then().statusCode(201).extract().path("id");
    }

    public String addHttpCrm(String path) {
        return given().header("x-api-key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "http", "name", "Custom CRM", "config", Map.of("url", Fakes.baseUrl() + path),
                        "fieldMapping", Map.of("customFields.what_is_your_monthly_budget?", "budget")))
                .post("/crm/destinations").then().statusCode(201).extract().path("id");
    }

    public String subscribe(String path, String secret) {
        return given().header("x-api-key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("callbackUrl", Fakes.baseUrl() + path, "eventType", "leadgen", "callbackSecret", secret))
                .post("/webhooks/meta_lead_ads/subscribe").then().statusCode(201).extract().path("id");
    }

    /** The Graph API answers GET /{leadgen_id} for this page's token with a realistic lead. */
    public void stubGraphLead(String leadgenId, String email) {
        stubGraphLead(leadgenId, email, "Acme Inc");
    }

    /** {@link #stubGraphLead(String, String)} with another company. */
    public void stubGraphLead(String leadgenId, String email, String company) {
        stubGraphLead(leadgenId, standardFields(email, company), META_CREATED_TIME);
    }

    /** {@link #stubGraphLead(String, String)} submitted at {@code created} (its {@code receivedAt}). */
    public void stubGraphLead(String leadgenId, String email, Instant created) {
        stubGraphLead(leadgenId, standardFields(email, "Acme Inc"), DateTimeFormatter
                .ofPattern("yyyy-MM-dd'T'HH:mm:ssxx").withZone(ZoneOffset.UTC).format(created));
    }

    private static Map<String, String> standardFields(String email, String company) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("full_name", "  Jane   Doe ");
        fields.put("email", email);
        fields.put("phone_number", "(415) 555-0123");
        fields.put("company_name", company);
        fields.put("city", "San Francisco");
        fields.put("what_is_your_monthly_budget?", "$5k-$10k");
        return fields;
    }

    /** The Graph API answers GET /{leadgen_id} for this page's token with a lead of these form fields. */
    public void stubGraphLead(String leadgenId, Map<String, String> fields) {
        stubGraphLead(leadgenId, fields, META_CREATED_TIME);
    }

    private void stubGraphLead(String leadgenId, Map<String, String> fields, String createdTime) {
        ObjectNode lead = JSON.createObjectNode().put("id", leadgenId).put("created_time", createdTime)
                .put("ad_id", "120210000000000002").put("adset_id", "120210000000000001")
                .put("campaign_id", "120210000000000000").put("form_id", "987654321098765").put("is_organic", false)
                .put("platform", "fb");
        ArrayNode data = lead.putArray("field_data");
        fields.forEach((name, value) -> data.addObject().put("name", name).putArray("values").add(value));
        Fakes.server().stubFor(get(urlPathEqualTo("/" + GRAPH_VERSION + "/" + leadgenId))
                .withHeader("Authorization", equalTo("Bearer " + pageToken))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(lead.toString())));
    }

    public static void stubHubSpotOk() {
        Fakes.server().stubFor(post(urlEqualTo(HUBSPOT_UPSERT)).atPriority(10).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json")
                .withBody("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"512\",\"new\":true,\"properties\":{}}],"
                        + "\"startedAt\":\"2026-03-07T14:30:01Z\",\"completedAt\":\"2026-03-07T14:30:01Z\"}")));
    }

    public static void stubOk(String path) {
        Fakes.server().stubFor(post(urlEqualTo(path)).atPriority(10).willReturn(aResponse().withStatus(200)));
    }

    public static List<LoggedRequest> posts(String path, String containing) {
        return Fakes.server().findAll(postRequestedFor(urlEqualTo(path))
                .withRequestBody(WireMock.containing(containing)));
    }

    public String webhookBody(String... leadgenIds) {
        StringBuilder changes = new StringBuilder();
        for (String id : leadgenIds) {
            if (changes.length() > 0) {
                changes.append(',');
            }
            changes.append("""
                    {"field":"leadgen","value":{"leadgen_id":"%s","page_id":"%s","form_id":"987654321098765",
                     "adgroup_id":"120210000000000002","ad_id":"120210000000000002","created_time":1772893800}}"""
                    .formatted(id, pageId));
        }
        return """
                {"object":"page","entry":[{"id":"%s","time":1772893800,"changes":[%s]}]}""".formatted(pageId, changes);
    }

    public static String sign(String body) {
        return MetaSignature.sign(body.getBytes(StandardCharsets.UTF_8), META_APP_SECRET);
    }

    public static Response postWebhook(String body) {
        return given().header("X-Hub-Signature-256", sign(body)).contentType(ContentType.JSON).body(body)
                .post("/webhook/meta_lead_ads");
    }

    public static String newLeadgenId() {
        return Long.toString(1000000000000000L + (long) (Math.random() * 8999999999999999L));
    }

    public Response getLead(String leadId) {
        return given().header("x-api-key", apiKey).get("/leads/" + leadId);
    }

    public Response listLeads() {
        return given().header("x-api-key", apiKey).get("/leads");
    }
}
