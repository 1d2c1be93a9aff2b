package com.leadsync.testing;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A connect through the real routes, as the browser makes it: {@code GET /oauth/{type}/authorize} with an account's
 * key, the consent page's URL (its parameters, the {@code state}), then {@code GET /oauth/{type}/callback} as the
 * platform sends the person back — both from this flow's {@link #browser}, which keeps the connect's cookie between
 * them.
 */
public final class OAuthFlow {

    public static final String REDIRECT_BASE = "https://leadsync.example.test/oauth/";

    public final String type;
    public final String apiKey;
    /** The person's browser: it holds the cookie authorize sets until the callback clears it. */
    public final Browser browser = new Browser();

    public OAuthFlow(String type, String apiKey) {
        this.type = type;
        this.apiKey = apiKey;
    }

    /** A connect of {@code type} for a new account. */
    public static OAuthFlow forNewAccount(String type) {
        String key = Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme " + UUID.randomUUID())).post("/accounts").then().statusCode(201)
                .extract().path("apiKey");
        return new OAuthFlow(type, key);
    }

    public String redirectUri() {
        return REDIRECT_BASE + type + "/callback";
    }

    /** The consent page the authorize route sends the browser to. */
    public URI consentPage() {
        String location = browser.keep(browser.given().redirects().follow(false).header("x-api-key", apiKey)
                .get("/oauth/" + type + "/authorize")).then().statusCode(302).extract().header("location");
        return URI.create(location);
    }

    public static Map<String, String> query(URI url) {
        Map<String, String> out = new HashMap<>();
        for (String part : url.getRawQuery().split("&")) {
            String[] kv = part.split("=", 2);
            out.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The platform sending the person back with {@code code} (and {@code extra} parameters) for a fresh state. */
    public Response callback(String code, Map<String, String> extra) {
        return callback(consentPage(), code, extra);
    }

    /** The platform sending the person back from {@code consentPage} (its state) with {@code code}. */
    public Response callback(URI consentPage, String code, Map<String, String> extra) {
        Map<String, String> params = new HashMap<>(extra);
        params.put("code", code);
        params.put("state", query(consentPage).get("state"));
        return browser.keep(browser.given().redirects().follow(false).queryParams(params)
                .get("/oauth/" + type + "/callback"));
    }

    public Response callback(String code) {
        return callback(code, Map.of());
    }

    /** This test's LeadSync, where the local mode fakes are served ({@code /_local/...}). */
    public static String localBase() {
        String uri = io.quarkus.test.common.http.TestHTTPResourceManager.getUri();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** A local fake's consent stand-in answering {@code consentPage}: the parameters it sends the browser back with. */
    public static Map<String, String> consentedAt(URI consentPage) {
        String location = io.restassured.RestAssured.given().urlEncodingEnabled(false).redirects().follow(false).get(consentPage).then()
                .statusCode(302).extract().header("location");
        return query(URI.create(location));
    }

    /** The account's destinations as the API lists them (the raw text, to look for tokens in). */
    public String destinationsText() {
        return Scenario.given().header("x-api-key", apiKey).get("/crm/destinations").then().statusCode(200).extract()
                .asString();
    }

    public List<Map<String, Object>> destinations() {
        return JsonPath.from(destinationsText()).getList("items");
    }

    /** The destination id named by a callback's {@code /admin?…&destinationId=…} redirect. */
    public static String destinationId(Response callback) {
        String location = callback.header("location");
        return query(URI.create(location)).get("destinationId");
    }
}
