package com.leadsync.testing;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a person's browser does in an OAuth connect, through the real routes: authorize with an account's key (the
 * consent page's URL), then the callback the platform would send back, redirects not followed — from one person's
 * browser, which keeps the connect's cookie from the one to the other.
 */
public final class OAuthClickThrough {

    private static final Browser BROWSER = new Browser();

    private OAuthClickThrough() {
    }

    /** A new LeadSync account's API key. */
    public static String newAccountKey() {
        return Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme " + UUID.randomUUID())).post("/accounts").then().statusCode(201)
                .extract().path("apiKey");
    }

    /** {@code GET /oauth/{type}/authorize} as that key's account: the consent page's URL (302 Location). */
    public static String consentPage(String apiKey, String type) {
        return BROWSER.keep(BROWSER.given().redirects().follow(false).header("x-api-key", apiKey)
                .get("/oauth/" + type + "/authorize")).then().statusCode(302).extract().header("location");
    }

    /** The decoded query parameters of {@code url}. */
    public static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = URI.create(url).getRawQuery();
        for (String part : q == null ? new String[0] : q.split("&")) {
            String[] kv = part.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A fresh state of a connect of {@code type} started by that key's account. */
    public static String state(String apiKey, String type) {
        return query(consentPage(apiKey, type)).get("state");
    }

    /** The platform sending the browser back: {@code GET /oauth/{type}/callback?{codeParam}=code&state=state}. */
    public static Response callback(String type, String codeParam, String code, String state) {
        return BROWSER.keep(BROWSER.given().redirects().follow(false).queryParam(codeParam, code)
                .queryParam("state", state).get("/oauth/" + type + "/callback"));
    }

    /** {@code GET /connections} as that key's account, the raw JSON. */
    public static Response connections(String apiKey) {
        return Scenario.given().header("x-api-key", apiKey).get("/connections");
    }
}
