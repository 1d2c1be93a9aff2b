package com.leadsync.source.google;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.leadsync.connect.ConnectionRepository;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.GoogleAdsFake;
import com.leadsync.testing.OAuthSteps;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Connecting Google Ads by OAuth through the real routes, against Google's token endpoint and the Ads API on
 * WireMock in the shapes of providers.md §2.2, §2.4 and §2.6 (error bodies included).
 */
@QuarkusTest
class GoogleOAuthTest {

    private static final String TYPE = "google_ads";
    private static final String LIST = GoogleAdsFake.ADS + "/" + GoogleAdsFake.VERSION
            + "/customers:listAccessibleCustomers";

    @Inject
    ConnectionRepository connections;

    private static String newCode() {
        return "4/0test-" + UUID.randomUUID();
    }

    private static String newToken() {
        return "ya29.test-" + UUID.randomUUID();
    }

    private static void tokenAnswer(String code, int status, String body) {
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.OAUTH_TOKEN))
                .withRequestBody(containing("code=" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&"))
                .willReturn(GoogleAdsFake.json(status, body)));
    }

    private static String grant(String accessToken, String refreshToken) {
        return """
                {"access_token":"%s","expires_in":3599,"refresh_token":"%s",\
                "scope":"https://www.googleapis.com/auth/adwords","token_type":"Bearer"}"""
                .formatted(accessToken, refreshToken);
    }

    private static void accessible(String token, String... customerIds) {
        StringBuilder names = new StringBuilder();
        for (String id : customerIds) {
            names.append(names.isEmpty() ? "" : ",").append("\"customers/").append(id).append('"');
        }
        Fakes.server().stubFor(get(urlPathEqualTo(LIST)).withHeader("Authorization", equalTo("Bearer " + token))
                .withHeader("developer-token", equalTo(GoogleAdsFake.DEVELOPER_TOKEN))
                .willReturn(GoogleAdsFake.json(200, "{\"resourceNames\":[" + names + "]}")));
    }

    private static void customer(String token, String id, String name, boolean manager) {
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.searchPath(id)))
                .withHeader("Authorization", equalTo("Bearer " + token)).withHeader("login-customer-id", absent())
                .withRequestBody(matchingJsonPath("$.query", equalTo(GoogleOAuth.CUSTOMER_QUERY)))
                .willReturn(GoogleAdsFake.json(200, """
                        {"results":[{"customer":{"resourceName":"customers/%s","id":"%s","descriptiveName":"%s",\
                        "manager":%s}}],"fieldMask":"customer.id,customer.descriptiveName,customer.manager",\
                        "requestId":"fake-customer"}""".formatted(id, id, name, manager))));
    }

    private static String client(String id, String name, boolean manager, String status, int level) {
        return """
                {"customerClient":{"resourceName":"customers/M/customerClients/%s","id":"%s","descriptiveName":"%s",\
                "manager":%s,"status":"%s","level":"%d"}}""".formatted(id, id, name, manager, status, level);
    }

    private static void clients(String token, String manager, String... rows) {
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.searchPath(manager)))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .withHeader("login-customer-id", equalTo(manager))
                .withRequestBody(matchingJsonPath("$.query", equalTo(GoogleOAuth.CLIENT_QUERY)))
                .willReturn(GoogleAdsFake.json(200, "{\"results\":[" + String.join(",", rows) + "],"
                        + "\"fieldMask\":\"customerClient.id\",\"requestId\":\"fake-clients\"}")));
    }

    private static String s256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private Connection connected(String customerId) {
        return connections.findByRoute(ProviderType.GOOGLE_ADS, customerId).orElseThrow();
    }

    @Test
    void authorize_asks_google_for_the_adwords_scope_offline_with_consent_and_a_pkce_challenge() {
        String page = OAuthSteps.consentPage(TYPE, OAuthSteps.newAccountKey());

        assertThat(page).startsWith("https://accounts.google.com/o/oauth2/v2/auth?");
        Map<String, String> q = OAuthSteps.query(page);
        assertThat(q).containsEntry("client_id", GoogleAdsFake.CLIENT_ID)
                .containsEntry("redirect_uri", "https://leadsync.example.test/oauth/google_ads/callback")
                .containsEntry("response_type", "code")
                .containsEntry("scope", "https://www.googleapis.com/auth/adwords")
                .containsEntry("access_type", "offline").containsEntry("prompt", "consent")
                .containsEntry("code_challenge_method", "S256").containsKey("state");
        assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void a_callback_connects_each_customer_leadsync_can_read_and_the_clients_of_a_manager_through_it()
            throws Exception {
        String key = OAuthSteps.newAccountKey();
        String code = newCode();
        String token = newToken();
        String refresh = "1//0g-refresh-" + UUID.randomUUID();
        String direct = GoogleAdsFake.newCustomerId();
        String manager = GoogleAdsFake.newCustomerId();
        String cancelled = GoogleAdsFake.newCustomerId();
        String viaManager = GoogleAdsFake.newCustomerId();
        String closedClient = GoogleAdsFake.newCustomerId();
        String subManager = GoogleAdsFake.newCustomerId();
        tokenAnswer(code, 200, grant(token, refresh));
        accessible(token, direct, manager, cancelled);
        customer(token, direct, "Acme US", false);
        customer(token, manager, "Acme Agency", true);
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.searchPath(cancelled)))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(GoogleAdsFake.json(403, GoogleAdsFake.error(403, "PERMISSION_DENIED",
                        "authorizationError", "CUSTOMER_NOT_ENABLED", "The customer account is not enabled.", null))));
        clients(token, manager, client(manager, "Acme Agency", true, "ENABLED", 0),
                client(viaManager, "Acme EU", false, "ENABLED", 1),
                client(closedClient, "Acme Old", false, "CANCELED", 1),
                client(subManager, "Acme Sub-agency", true, "ENABLED", 1),
                client(direct, "Acme US", false, "ENABLED", 1));
        String page = OAuthSteps.consentPage(TYPE, key);

        Response done = OAuthSteps.callback(TYPE, page, code);

        done.then().statusCode(302);
        assertThat(done.header("location")).isEqualTo("/admin?connected=google_ads&created=2&updated=0"
                + "&connectedElsewhere=0");
        Connection d = connected(direct);
        assertThat(d.accessToken()).isEqualTo(token);
        assertThat(d.refreshToken()).isEqualTo(refresh);
        assertThat(d.expiresAt()).isCloseTo(Instant.now().plusSeconds(3599), within(30, ChronoUnit.SECONDS));
        assertThat(d.config()).doesNotContainKey("loginCustomerId");
        assertThat(d.webhookKey()).matches("[A-Za-z0-9_-]{43}");
        Connection c = connected(viaManager);
        assertThat(c.config()).containsEntry("loginCustomerId", manager);
        assertThat(c.webhookKey()).isNotEqualTo(d.webhookKey());
        for (String left : new String[] {manager, cancelled, closedClient, subManager}) {
            assertThat(connections.findByRoute(ProviderType.GOOGLE_ADS, left)).as(left).isEmpty();
        }
        Map<String, String> exchange = OAuthSteps.form(GoogleAdsFake.tokenRequests().stream()
                .filter(r -> r.getBodyAsString().contains(URLEncoder.encode(code, StandardCharsets.UTF_8)))
                .findFirst().orElseThrow().getBodyAsString());
        assertThat(exchange).containsEntry("grant_type", "authorization_code").containsEntry("code", code)
                .containsEntry("redirect_uri", "https://leadsync.example.test/oauth/google_ads/callback")
                .containsEntry("client_id", GoogleAdsFake.CLIENT_ID)
                .containsEntry("client_secret", GoogleAdsFake.CLIENT_SECRET);
        assertThat(s256(exchange.get("code_verifier"))).isEqualTo(OAuthSteps.query(page).get("code_challenge"));
        String listed = Scenario.given().header("x-api-key", key).get("/connections").then().statusCode(200)
                .extract().asString();
        assertThat(listed).contains(direct, viaManager).doesNotContain(token).doesNotContain(refresh)
                .doesNotContain(d.webhookKey());
    }

    @Test
    void connecting_again_gives_the_customer_new_tokens_and_keeps_its_connection_and_webhook_key() {
        String key = OAuthSteps.newAccountKey();
        String customerId = GoogleAdsFake.newCustomerId();
        String first = newToken();
        String firstCode = newCode();
        tokenAnswer(firstCode, 200, grant(first, "1//0g-first"));
        accessible(first, customerId);
        customer(first, customerId, "Acme", false);
        OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), firstCode).then().statusCode(302);
        Connection before = connected(customerId);
        String second = newToken();
        String secondCode = newCode();
        tokenAnswer(secondCode, 200, grant(second, "1//0g-second"));
        accessible(second, customerId);
        customer(second, customerId, "Acme", false);

        Response again = OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), secondCode);

        assertThat(again.header("location")).contains("created=0&updated=1");
        Connection after = connected(customerId);
        assertThat(after.connectionId()).isEqualTo(before.connectionId());
        assertThat(after.accessToken()).isEqualTo(second);
        assertThat(after.refreshToken()).isEqualTo("1//0g-second");
        assertThat(after.webhookKey()).isEqualTo(before.webhookKey());
        assertThat(connections.listByAccount(after.accountId())).hasSize(1);
    }

    @Test
    void a_grant_without_a_refresh_token_is_refused_saying_how_to_consent_offline_and_stores_nothing() {
        String key = OAuthSteps.newAccountKey();
        String code = newCode();
        String token = newToken();
        tokenAnswer(code, 200, GoogleAdsFake.tokenAnswer(token));

        Response r = OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), code);

        r.then().statusCode(400).contentType("text/html");
        assertThat(r.asString()).contains("no refresh token").contains("myaccount.google.com/permissions")
                .doesNotContain(token);
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(LIST))
                .withHeader("Authorization", equalTo("Bearer " + token)))).isEmpty();
        assertThat(Scenario.given().header("x-api-key", key).get("/connections").then().statusCode(200).extract()
                .<List<?>>path("items")).isEmpty();
    }

    @Test
    void a_refused_code_is_a_400_page_with_googles_error_and_an_outage_a_502() {
        String key = OAuthSteps.newAccountKey();
        String used = newCode();
        tokenAnswer(used, 400, GoogleAdsFake.invalidGrant());
        String down = newCode();
        tokenAnswer(down, 503, "{\"error\":\"temporarily_unavailable\",\"error_description\":\"Try again\"}");
        String unlisted = newCode();
        String token = newToken();
        tokenAnswer(unlisted, 200, grant(token, "1//0g-x"));
        Fakes.server().stubFor(get(urlPathEqualTo(LIST)).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(GoogleAdsFake.json(500, GoogleAdsFake.error(500, "INTERNAL", "internalError",
                        "INTERNAL_ERROR", "An internal error has occurred.", null))));

        Response refused = OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), used);
        refused.then().statusCode(400);
        assertThat(refused.asString()).contains("invalid_grant").contains("Token has been expired or revoked");
        OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), down).then().statusCode(502);
        Response unlistedPage = OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), unlisted);
        unlistedPage.then().statusCode(502);
        assertThat(unlistedPage.asString()).contains("try again");
        assertThat(Scenario.given().header("x-api-key", key).get("/connections").then().statusCode(200).extract()
                .<List<?>>path("items")).isEmpty();
    }
}
