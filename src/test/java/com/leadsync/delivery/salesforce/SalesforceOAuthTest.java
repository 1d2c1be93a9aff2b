package com.leadsync.delivery.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.store.DestinationStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.OAuthFlow;
import com.leadsync.testing.PipelineProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedDestination;
import com.leadsync.connect.oauth.OAuthException;
import com.leadsync.connect.oauth.TokenEndpoint;
import java.util.Optional;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import org.junit.jupiter.api.Test;

/**
 * Connecting a Salesforce org with the web server flow and PKCE through the real routes, against WireMock in
 * Salesforce's shapes (crm.md §A.2): the consent page's parameters, the verifier sent with the code, the org named
 * by the answer's identity URL, {@code instance_url} kept as the API base, a reconnect of the same org updating its
 * destination, and Salesforce's refusals and outages as pages.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class SalesforceOAuthTest {

    private static final String TOKEN_PATH = "/salesforce-oauth/services/oauth2/token";

    @Inject
    DestinationStore destinations;

    private static String newOrgId() {
        return "00D" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase() + "EAQ";
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody(body);
    }

    /** Salesforce's answer to the code exchange (remoteaccess_oauth_web_server_flow). */
    private static void onCode(String code, String accessToken, String refreshToken, String orgId) {
        Fakes.server().stubFor(post(urlPathEqualTo(TOKEN_PATH)).withFormParam("code", equalTo(code))
                .willReturn(json(200, """
                        {"access_token":"%s","refresh_token":"%s","signature":"d9Yb3n0MAd3Hu2WZbLbSuGz6bS0yYDzSEvqPUmlPHJU=",
                         "scope":"refresh_token api","instance_url":"%s/salesforce-instance",
                         "id":"https://login.salesforce.com/id/%s/0055g00000AbCdEAAZ","token_type":"Bearer",
                         "issued_at":"1767225600000"}""".formatted(accessToken, refreshToken, Fakes.baseUrl(), orgId))));
    }

    private static Map<String, String> form(String code) {
        String body = Fakes.server().findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withRequestBody(containing("code=" + code))).get(0).getBodyAsString();
        Map<String, String> out = new HashMap<>();
        for (String part : body.split("&")) {
            String[] kv = part.split("=", 2);
            out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void authorize_asks_for_api_and_refresh_token_with_a_pkce_challenge() {
        OAuthFlow flow = OAuthFlow.forNewAccount("salesforce");

        URI page = flow.consentPage();

        assertThat(page.toString()).startsWith("https://login.salesforce.example.test/services/oauth2/authorize?");
        assertThat(OAuthFlow.query(page)).containsEntry("response_type", "code")
                .containsEntry("client_id", "test-salesforce-client-id").containsEntry("scope", "api refresh_token")
                .containsEntry("redirect_uri", flow.redirectUri()).containsEntry("code_challenge_method", "S256")
                .containsKey("state");
        assertThat(OAuthFlow.query(page).get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void a_callback_sends_the_verifier_and_creates_the_org_as_a_disabled_destination_on_its_instance_url()
            throws Exception {
        OAuthFlow flow = OAuthFlow.forNewAccount("salesforce");
        String code = "aPrx" + UUID.randomUUID();
        String access = "00D!at-" + UUID.randomUUID();
        String refresh = "5Aep-rt-" + UUID.randomUUID();
        String org = newOrgId();
        onCode(code, access, refresh, org);
        URI page = flow.consentPage();

        Response done = flow.callback(page, code, Map.of());

        done.then().statusCode(302);
        assertThat(done.header("location")).startsWith("/admin?connected=salesforce&created=1&destinationId=dst_");
        Map<String, String> sent = form(code);
        assertThat(sent).containsEntry("grant_type", "authorization_code")
                .containsEntry("client_id", "test-salesforce-client-id")
                .containsEntry("client_secret", "test-salesforce-client-secret")
                .containsEntry("redirect_uri", flow.redirectUri());
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(sent.get("code_verifier").getBytes(StandardCharsets.US_ASCII)));
        assertThat(challenge).isEqualTo(OAuthFlow.query(page).get("code_challenge"));
        List<Map<String, Object>> listed = flow.destinations();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0)).containsEntry("type", "salesforce").containsEntry("enabled", false)
                .containsEntry("status", "active");
        assertThat(listed.get(0).get("config")).isEqualTo(Map.of("connectedAccount", org,
                "instanceUrl", Fakes.baseUrl() + "/salesforce-instance",
                "loginUrl", Fakes.baseUrl() + "/salesforce-oauth"));
        assertThat(flow.destinationsText()).doesNotContain(access).doesNotContain(refresh);
        DestinationConfig stored = destinations.get(OAuthFlow.destinationId(done)).orElseThrow();
        assertThat(stored.config()).containsEntry("accessToken", access).containsEntry("refreshToken", refresh);
        assertThat(stored.tokenExpiresAt()).isNull();
    }

    @Test
    void reconnecting_the_same_org_gives_its_destination_the_new_tokens_without_a_second_one() {
        OAuthFlow flow = OAuthFlow.forNewAccount("salesforce");
        String org = newOrgId();
        String firstCode = "aPrx" + UUID.randomUUID();
        onCode(firstCode, "00D!first-" + UUID.randomUUID(), "5Aep-first-" + UUID.randomUUID(), org);
        String id = OAuthFlow.destinationId(flow.callback(firstCode));
        String code = "aPrx" + UUID.randomUUID();
        String access = "00D!second-" + UUID.randomUUID();
        String refresh = "5Aep-second-" + UUID.randomUUID();
        onCode(code, access, refresh, org);

        Response again = flow.callback(code);

        assertThat(again.header("location")).contains("updated=1&destinationId=" + id);
        assertThat(flow.destinations()).hasSize(1);
        DestinationConfig stored = destinations.get(id).orElseThrow();
        assertThat(stored.config()).containsEntry("accessToken", access).containsEntry("refreshToken", refresh);
        assertThat(stored.tokenVersion()).isEqualTo(1);
    }

    @Test
    void a_refused_code_is_a_400_page_and_an_outage_a_502_page_and_neither_stores_anything() {
        OAuthFlow flow = OAuthFlow.forNewAccount("salesforce");
        String bad = "aPrx-bad-" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlPathEqualTo(TOKEN_PATH)).withFormParam("code", equalTo(bad))
                .willReturn(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}")));
        String down = "aPrx-down-" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlPathEqualTo(TOKEN_PATH)).withFormParam("code", equalTo(down))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Service Unavailable</body></html>")));

        Response refused = flow.callback(bad);
        Response unavailable = flow.callback(down);

        refused.then().statusCode(400).contentType("text/html");
        assertThat(refused.asString()).contains("Salesforce refused the authorization")
                .contains("invalid_grant: authentication failure");
        unavailable.then().statusCode(502);
        assertThat(unavailable.asString()).contains("Salesforce answered 503");
        assertThat(flow.destinations()).isEmpty();
    }

    @Inject
    TokenEndpoint endpoint;

    @Test
    void local_mode_clicks_through_the_offline_org_which_checks_the_pkce_verifier() throws Exception {
        String local = OAuthFlow.localBase() + "/_local/salesforce";
        SalesforceOAuth platform = new SalesforceOAuth(endpoint, local + "/services/oauth2/authorize",
                local + "/services/oauth2/token", Optional.of("test-salesforce-client-id"),
                Optional.of("test-salesforce-client-secret"));
        String redirect = OAuthFlow.REDIRECT_BASE + "salesforce/callback";
        String verifier = "local-verifier-" + UUID.randomUUID();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));

        Map<String, String> back = OAuthFlow.consentedAt(platform.authorizeUrl(new AuthorizeRequest("acc_local",
                "state-1", redirect, challenge)));
        Map<String, String> again = OAuthFlow.consentedAt(platform.authorizeUrl(new AuthorizeRequest("acc_local",
                "state-2", redirect, challenge)));
        GrantedDestination granted = ((Granted.Destination) platform.complete(new CallbackRequest("acc_local",
                back.get("code"), back, redirect, verifier))).destination();

        assertThat(granted.identity()).isEqualTo("00DLOCAL");
        assertThat(granted.config()).containsEntry("instanceUrl", local).containsEntry("loginUrl", local)
                .containsEntry("refreshToken", "local-salesforce-refresh-token");
        OAuthException wrongVerifier = catchThrowableOfType(OAuthException.class, () -> platform.complete(
                new CallbackRequest("acc_local", again.get("code"), again, redirect, verifier + "x")));
        assertThat(wrongVerifier.kind()).isEqualTo(OAuthException.Kind.REFUSED);
    }
}
