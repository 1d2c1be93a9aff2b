package com.leadsync.testing;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An OAuth connect as the browser goes through it, over the real routes: {@code /oauth/{type}/authorize} with an
 * account's key, the state out of the consent page's URL, then the platform's redirect to the callback, both from
 * one person's browser (which keeps the connect's cookie from one to the other).
 */
public final class OAuthSteps {

    private static final Browser BROWSER = new Browser();

    private OAuthSteps() {
    }

    /** A new LeadSync account; its API key. */
    public static String newAccountKey() {
        return Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "OAuth " + UUID.randomUUID())).post("/accounts").then().statusCode(201)
                .extract().path("apiKey");
    }

    /** The consent page's URL {@code /oauth/{type}/authorize} sends the key's account to. */
    public static String consentPage(String type, String apiKey) {
        return BROWSER.keep(BROWSER.given().redirects().follow(false).header("x-api-key", apiKey)
                .get("/oauth/" + type + "/authorize")).then().statusCode(302).extract().header("location");
    }

    /** The decoded query parameters of a URL (the first of each name). */
    public static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        Arrays.stream(raw == null ? new String[0] : raw.split("&")).map(p -> p.split("=", 2))
                .forEach(kv -> out.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8)));
        return out;
    }

    /** The platform sending the browser back with {@code code} for the state of {@code consentPage}. */
    public static Response callback(String type, String consentPage, String code) {
        return BROWSER.keep(BROWSER.given().redirects().follow(false).queryParam("code", code)
                .queryParam("state", query(consentPage).get("state")).get("/oauth/" + type + "/callback"));
    }

    /** A form-encoded body, decoded. */
    public static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return out;
    }
}
