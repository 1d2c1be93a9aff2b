package com.leadsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.connect.ConnectionRepository;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Browser;
import com.leadsync.testing.Scenario;
import com.leadsync.testing.TestOAuthPlatform;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The connect routes over a test platform: authorize, callback, state checks, the binding to the browser that started
 * the connect, what is stored and what is not.
 */
@QuarkusTest
class OAuthRoutesTest {

    private static final String TYPE = TestOAuthPlatform.TYPE;
    /** The test profile's public URL is https: the prefixed, Secure cookie. */
    private static final String COOKIE = "__Host-leadsync-oauth";

    @Inject
    ConnectionRepository connections;
    @Inject
    TestOAuthPlatform platform;
    /** The browser of the person connecting (a new one for each test). */
    private final Browser browser = new Browser();

    private static String newAccountKey() {
        return Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme " + UUID.randomUUID())).post("/accounts").then().statusCode(201)
                .extract().path("apiKey");
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new HashMap<>();
        String q = URI.create(url).getRawQuery();
        for (String part : q.split("&")) {
            String[] kv = part.split("=", 2);
            out.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Authorize as the key's account in {@code from}; the state the consent page would send back. */
    private static String startConnect(Browser from, String apiKey) {
        String location = from.keep(from.given().redirects().follow(false).header("x-api-key", apiKey)
                .get("/oauth/" + TYPE + "/authorize")).then().statusCode(302).extract().header("location");
        return query(location).get("state");
    }

    private String startConnect(String apiKey) {
        return startConnect(browser, apiKey);
    }

    /** The platform sending {@code to} back to the callback with {@code params}. */
    private static Response callback(Browser to, Map<String, String> params) {
        return to.keep(to.given().redirects().follow(false).queryParams(params).get("/oauth/" + TYPE + "/callback"));
    }

    private Response callback(Map<String, String> params) {
        return callback(browser, params);
    }

    private void assertNotExchanged(String code) {
        CallbackRequest last = platform.last();
        assertThat(last == null ? null : last.code()).as("the code was never exchanged").isNotEqualTo(code);
    }

    /** The {@code Set-Cookie} of {@code r} for the connect's cookie,  (the only one it sets). */
    private static String setCookie(Response r) {
        List<String> all = r.headers().getValues("set-cookie");
        assertThat(all).as("Set-Cookie headers").hasSize(1);
        assertThat(all.get(0)).startsWith(COOKIE + "=");
        return all.get(0);
    }

    private List<Connection> pagesOf(String apiKey) {
        String account = Scenario.given().header("x-api-key", apiKey).get("/connections").then().statusCode(200)
                .extract().path("items[0].accountId");
        return account == null ? List.of() : connections.listByAccount(account);
    }

    @Test
    void authorize_sends_the_person_to_the_consent_page_with_a_state_a_redirect_uri_and_a_pkce_challenge() {
        String key = newAccountKey();

        Response r = Scenario.given().redirects().follow(false).header("x-api-key", key)
                .get("/oauth/" + TYPE + "/authorize");

        r.then().statusCode(302).header("cache-control", "no-store");
        String location = r.header("location");
        assertThat(location).startsWith(TestOAuthPlatform.CONSENT_PAGE + "?");
        Map<String, String> q = query(location);
        assertThat(q.get("redirect_uri")).isEqualTo("https://leadsync.example.test/oauth/" + TYPE + "/callback");
        assertThat(q.get("state")).contains(".");
        assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void authorize_answers_json_to_the_admin_panel_and_refuses_without_a_key_or_for_an_unknown_type() {
        String key = newAccountKey();

        String url = Scenario.given().header("x-api-key", key).accept(ContentType.JSON)
                .get("/oauth/" + TYPE + "/authorize").then().statusCode(200).extract().path("authorizeUrl");
        assertThat(url).startsWith(TestOAuthPlatform.CONSENT_PAGE);

        ApiTestSupport.assertError(Scenario.given().get("/oauth/" + TYPE + "/authorize"), 401);
        ApiTestSupport.assertError(Scenario.given().header("x-api-key", key).get("/oauth/myspace/authorize"), 404);
        ApiTestSupport.assertError(Scenario.given().header("x-api-key", Scenario.ADMIN_KEY)
                .get("/oauth/" + TYPE + "/authorize"), 422);
        ApiTestSupport.assertError(Scenario.given().header("x-api-key", key)
                .get("/oauth/" + TYPE + "/authorize?account_id=acc_someone_else"), 404);
    }

    @Test
    void a_callback_connects_every_page_the_grant_reaches_once_and_its_state_cannot_be_used_again() {
        String key = newAccountKey();
        String state = startConnect(key);
        String a = Scenario.newPageId();
        String b = Scenario.newPageId();

        Response done = callback(Map.of("code", "pages:" + a + "," + b, "state", state));

        done.then().statusCode(302);
        assertThat(done.header("location")).isEqualTo("/admin?connected=" + TYPE
                + "&created=2&updated=0&connectedElsewhere=0");
        assertThat(pagesOf(key)).extracting(Connection::externalId).containsExactlyInAnyOrder(a, b);
        assertThat(platform.last().codeVerifier()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(platform.last().redirectUri()).isEqualTo("https://leadsync.example.test/oauth/" + TYPE
                + "/callback");
        String listed = Scenario.given().header("x-api-key", key).get("/connections").asString();
        assertThat(listed).doesNotContain("tok-");

        Response again = callback(Map.of("code", "pages:" + Scenario.newPageId(), "state", state));
        again.then().statusCode(400).contentType("text/html");
        assertThat(again.asString()).contains("used already");
        assertThat(pagesOf(key)).hasSize(2);
    }

    @Test
    void connecting_again_gives_the_connected_pages_their_new_tokens_without_a_second_connection() {
        String key = newAccountKey();
        String page = Scenario.newPageId();
        callback(Map.of("code", "pages:" + page, "state", startConnect(key), "nonce", "first")).then()
                .statusCode(302);
        String id = connections.findByRoute(ProviderType.META_LEAD_ADS, page).orElseThrow().connectionId();

        Response again = callback(Map.of("code", "pages:" + page, "state", startConnect(key), "nonce", "second"));

        assertThat(again.header("location")).contains("created=0&updated=1");
        Connection now = connections.findByRoute(ProviderType.META_LEAD_ADS, page).orElseThrow();
        assertThat(now.connectionId()).isEqualTo(id);
        assertThat(now.accessToken()).isEqualTo("tok-" + page + "-second");
        assertThat(now.config()).containsEntry("label", "label-second")
                .as("the webhook key is routed by an item written on create: it stays")
                .containsEntry("webhookKey", "key-" + page + "-first");
        assertThat(pagesOf(key)).hasSize(1);
    }

    @Test
    void a_page_connected_to_another_leadsync_account_stays_with_it() {
        String first = newAccountKey();
        String second = newAccountKey();
        String page = Scenario.newPageId();
        callback(Map.of("code", "pages:" + page, "state", startConnect(first))).then().statusCode(302);

        Response r = callback(Map.of("code", "pages:" + page, "state", startConnect(second)));

        assertThat(r.header("location")).contains("created=0&updated=0&connectedElsewhere=1");
        assertThat(pagesOf(first)).hasSize(1);
        assertThat(pagesOf(second)).isEmpty();
    }

    @Test
    void a_denied_consent_is_a_plain_escaped_page_stores_nothing_and_voids_the_state() {
        String key = newAccountKey();
        String state = startConnect(key);

        Response denied = callback(Map.of("error", "access_denied", "error_description",
                "<script>alert(1)</script>", "state", state));

        denied.then().statusCode(400).contentType("text/html").header("content-security-policy", "default-src 'none'");
        assertThat(denied.asString()).contains("not allowed").contains("&lt;script&gt;").doesNotContain("<script>");
        assertThat(callback(Map.of("code", "pages:" + Scenario.newPageId(), "state", state)).asString())
                .contains("used already");
        assertThat(pagesOf(key)).isEmpty();
    }

    @Test
    void a_tampered_or_missing_state_or_code_is_refused_and_stores_nothing() {
        String key = newAccountKey();
        String state = startConnect(key);

        assertThat(callback(Map.of("code", "pages:1", "state", state + "x")).then().statusCode(400).extract()
                .asString()).contains("altered");
        assertThat(callback(Map.of("code", "pages:1")).then().statusCode(400).extract().asString())
                .contains("no state");
        assertThat(callback(Map.of("state", startConnect(key))).then().statusCode(400).extract().asString())
                .contains("no authorization code");
        assertThat(pagesOf(key)).isEmpty();
    }

    @Test
    void a_refused_code_is_400_and_an_unreachable_platform_502_each_saying_so_escaped() {
        String key = newAccountKey();

        Response refused = callback(Map.of("code", "refuse", "state", startConnect(key)));
        refused.then().statusCode(400);
        assertThat(refused.asString()).contains("&lt;b&gt;(invalid_grant)&lt;/b&gt;");

        Response down = callback(Map.of("code", "down", "state", startConnect(key)));
        down.then().statusCode(502);
        assertThat(down.asString()).contains("could not be reached");
        assertThat(pagesOf(key)).isEmpty();
    }

    @Test
    void a_grant_that_reaches_nothing_is_refused() {
        String key = newAccountKey();

        Response r = callback(Map.of("code", "pages:", "state", startConnect(key)));

        r.then().statusCode(400);
        assertThat(r.asString()).contains("reaches no meta_lead_ads account");
    }

    @Test
    void authorize_sets_the_browser_cookie_httponly_lax_for_the_life_of_a_state_and_binds_the_state_to_it() {
        String key = newAccountKey();

        Response r = browser.keep(browser.given().redirects().follow(false).header("x-api-key", key)
                .get("/oauth/" + TYPE + "/authorize"));

        r.then().statusCode(302);
        String cookie = setCookie(r);
        String value = browser.cookie(COOKIE);
        assertThat(value).matches("[A-Za-z0-9_-]{43}");
        assertThat(cookie).isEqualTo(COOKIE + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600");
        assertThat(r.header("location")).as("the browser key never travels in the URL").doesNotContain(value);

        Response json = browser.keep(browser.given().header("x-api-key", key).accept(ContentType.JSON)
                .get("/oauth/" + TYPE + "/authorize"));
        json.then().statusCode(200);
        assertThat(setCookie(json)).endsWith("; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600")
                .doesNotContain(value);
        assertThat(browser.cookie(COOKIE)).as("a new connect, a new key").isNotEqualTo(value).isNotNull();
    }

    @Test
    void a_callback_clears_the_cookie_when_it_connects_and_when_it_refuses() {
        String key = newAccountKey();

        Response done = callback(Map.of("code", "pages:" + Scenario.newPageId(), "state", startConnect(key)));

        done.then().statusCode(302);
        assertThat(setCookie(done)).isEqualTo(COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
        assertThat(browser.cookie(COOKIE)).isNull();

        startConnect(key);
        Response refused = callback(Map.of("code", "pages:1", "state", "not-a-state"));
        refused.then().statusCode(400);
        assertThat(setCookie(refused)).endsWith("Max-Age=0");
        assertThat(browser.cookie(COOKIE)).isNull();
    }

    @Test
    void a_callback_for_an_unknown_type_is_a_page_that_clears_the_cookie_too() {
        startConnect(newAccountKey());

        Response r = browser.keep(browser.given().redirects().follow(false).queryParam("code", "c")
                .get("/oauth/myspace/callback"));

        r.then().statusCode(404).contentType("text/html");
        assertThat(setCookie(r)).endsWith("Max-Age=0");
        assertThat(browser.cookie(COOKIE)).isNull();
    }

    @Test
    void a_callback_without_the_cookie_is_refused_stores_nothing_and_uses_the_state_up() {
        String key = newAccountKey();
        String state = startConnect(new Browser(), key);
        String code = "pages:" + Scenario.newPageId();

        Response r = callback(Map.of("code", code, "state", state));

        r.then().statusCode(400).contentType("text/html").header("content-security-policy", "default-src 'none'");
        assertThat(r.asString()).contains("started in another browser").contains("start again from the admin panel");
        assertThat(pagesOf(key)).isEmpty();
        assertNotExchanged(code);
    }

    @Test
    void a_callback_with_another_browsers_cookie_stores_nothing_either_way_round() {
        String victim = newAccountKey();
        String attacker = newAccountKey();
        Browser victims = new Browser();
        Browser attackers = new Browser();
        startConnect(victims, victim);
        // The attacker's own consent link, finished in the victim's browser (which holds a cookie of its own).
        String attackersState = startConnect(attackers, attacker);

        String code = "pages:" + Scenario.newPageId();
        Response lured = callback(victims, Map.of("code", code, "state", attackersState));

        lured.then().statusCode(400).contentType("text/html");
        assertThat(lured.asString()).contains("started in another browser");
        assertThat(pagesOf(attacker)).isEmpty();
        assertThat(pagesOf(victim)).isEmpty();
        // Used up: the attacker's browser cannot finish it afterwards either.
        Response late = callback(attackers, Map.of("code", code, "state", attackersState));
        late.then().statusCode(400);
        assertThat(late.asString()).contains("used already");
        assertThat(pagesOf(attacker)).isEmpty();
        assertNotExchanged(code);
    }
}
