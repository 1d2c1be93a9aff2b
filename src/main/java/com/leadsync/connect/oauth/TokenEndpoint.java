package com.leadsync.connect.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The calls a connect makes to a platform's token and account-listing endpoints (fixed platform URLs from config,
 * not customer URLs), each answer read as JSON and classified once: 2xx is the answer; 400/401/403 is the platform
 * refusing (a used or expired code, a wrong redirect URI, a denied scope: the person must start again) unless its
 * body says the error is transient; 429, 5xx, a transport failure or an unreadable answer is the platform being
 * unavailable (try again). Messages carry the platform's error code and description, never a token or the client
 * secret.
 */
@ApplicationScoped
public class TokenEndpoint {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_DESCRIBED = 300;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ObjectMapper json;

    TokenEndpoint(ObjectMapper json) {
        this.json = json;
    }

    /** {@code POST} of an {@code application/x-www-form-urlencoded} body (the OAuth 2.0 token request). */
    public JsonNode postForm(String platform, String url, Map<String, String> form, Map<String, String> headers) {
        return call(platform, request(url, headers).header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))));
    }

    /** {@code POST} of a JSON body (TikTok's token request). */
    public JsonNode postJson(String platform, String url, JsonNode body, Map<String, String> headers) {
        return call(platform, request(url, headers).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** {@code GET url?query} (Meta's token exchange, account listings). */
    public JsonNode get(String platform, String url, Map<String, String> query, Map<String, String> headers) {
        String full = query.isEmpty() ? url : appendQuery(url, encode(query));
        return call(platform, request(full, headers).GET());
    }

    /** {@code url} with {@code encodedQuery} added after its {@code ?}, or after its own query with {@code &}. */
    public static String appendQuery(String url, String encodedQuery) {
        return url + (url.contains("?") ? "&" : "?") + encodedQuery;
    }

    /** {@code key=value&…}, each part URL-encoded; entries with a null value are left out. */
    public static String encode(Map<String, String> params) {
        StringJoiner out = new StringJoiner("&");
        params.forEach((k, v) -> {
            if (v != null) {
                out.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return out.toString();
    }

    private static HttpRequest.Builder request(String url, Map<String, String> headers) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            // Not the URL itself in the message: its query may carry a client secret or a code.
            throw OAuthException.notConfigured("an OAuth endpoint URL is not valid; check the"
                    + " leadsync.oauth.<name>.token-url and REST-client URL settings");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("accept", "application/json");
        headers.forEach(b::header);
        return b;
    }

    private JsonNode call(String platform, HttpRequest.Builder builder) {
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw OAuthException.unavailable(platform + " could not be reached (" + e.getClass().getSimpleName()
                    + "); try again in a moment.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OAuthException.unavailable("interrupted while asking " + platform, e);
        }
        int status = response.statusCode();
        JsonNode body = read(response.body());
        if (status / 100 == 2) {
            if (body == null) {
                throw OAuthException.unavailable(platform + " answered " + status + " with something other than"
                        + " JSON; try again in a moment.", null);
            }
            return body;
        }
        String said = describe(body);
        // Meta's Graph marks a passing failure in its 400 body ({"error":{"is_transient":true}}): not a refusal.
        boolean passing = body != null && body.path("error").path("is_transient").asBoolean(false);
        if (!passing && (status == 400 || status == 401 || status == 403)) {
            throw OAuthException.refused(platform + " refused the authorization (" + status + said + "): start the"
                    + " connection again.");
        }
        throw OAuthException.unavailable(platform + " answered " + status + said + "; try again in a moment.", null);
    }

    private JsonNode read(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(text);
            return node != null && node.isContainerNode() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * ": code: description" from the usual error shapes: OAuth's {@code error}/{@code error_description}, Meta's
     * {@code error{message,type,code}}, HubSpot's {@code status}/{@code message}, TikTok's {@code code}/{@code message}.
     */
    static String describe(JsonNode body) {
        if (body == null) {
            return "";
        }
        JsonNode error = body.path("error");
        String code = error.isTextual() ? error.asText() : error.path("type").asText(body.path("status").asText(""));
        String text = error.isObject() ? error.path("message").asText("")
                : body.path("error_description").asText(body.path("message").asText(""));
        String said = code.isEmpty() ? text : text.isEmpty() ? code : code + ": " + text;
        if (said.isEmpty()) {
            return "";
        }
        return ", " + (said.length() > MAX_DESCRIBED ? said.substring(0, MAX_DESCRIBED) + "…" : said);
    }
}
