package com.leadsync.source.linkedin;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.leadsync.connect.ConnectionRepository;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.LinkedInFake;
import com.leadsync.testing.OAuthSteps;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Connecting LinkedIn ad accounts by OAuth through the real routes, against LinkedIn's token endpoint and Marketing
 * API on WireMock in the shapes of providers.md §3.1, §3.3, §3.5 and §3.6 (error bodies included).
 */
@QuarkusTest
class LinkedInOAuthTest {

    private static final String TYPE = "linkedin_ads";
    private static final String USERS = LinkedInFake.API + "/adAccountUsers";
    private static final long SIXTY_DAYS = Duration.ofDays(60).toSeconds();

    @Inject
    ConnectionRepository connections;

    private static String newCode() {
        return "AQTtest-" + UUID.randomUUID();
    }

    private static void tokenAnswer(String code, int status, String body) {
        Fakes.server().stubFor(post(urlPathEqualTo(LinkedInFake.TOKEN_PATH))
                .withRequestBody(containing("code=" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&"))
                .willReturn(LinkedInFake.json(status, body)));
    }

    private static String grant(String token) {
        return "{\"access_token\":\"" + token + "\",\"expires_in\":" + SIXTY_DAYS
                + ",\"scope\":\"r_ads,r_marketing_leadgen_automation\"}";
    }

    private static String role(String accountUrn, String role) {
        return "{\"account\":\"" + accountUrn + "\",\"user\":\"urn:li:person:qZXYVbTSPb\""
                + (role == null ? "" : ",\"role\":\"" + role + "\"")
                + ",\"changeAuditStamps\":{\"created\":{\"time\":1629581083000},\"lastModified\":{\"time\":1629581083000}}}";
    }

    private static void roles(String token, int start, int total, String... elements) {
        Fakes.server().stubFor(get(urlPathEqualTo(USERS)).withQueryParam("q", equalTo("authenticatedUser"))
                .withQueryParam("start", equalTo(Integer.toString(start)))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .withHeader("LinkedIn-Version", equalTo(LinkedInFake.VERSION))
                .withHeader("X-Restli-Protocol-Version", equalTo("2.0.0"))
                .willReturn(LinkedInFake.json(200, "{\"paging\":{\"start\":" + start + ",\"count\":100,\"links\":[],"
                        + "\"total\":" + total + "},\"elements\":[" + String.join(",", elements) + "]}")));
    }

    private static String sponsored(String id) {
        return "urn:li:sponsoredAccount:" + id;
    }

    private Connection connected(String adAccountId) {
        return connections.findByRoute(ProviderType.LINKEDIN_ADS, adAccountId).orElseThrow();
    }

    @Test
    void authorize_asks_linkedin_for_the_lead_sync_and_ads_scopes_space_separated_without_pkce() {
        String page = OAuthSteps.consentPage(TYPE, OAuthSteps.newAccountKey());

        assertThat(page).startsWith("https://www.linkedin.com/oauth/v2/authorization?")
                .contains("scope=r_marketing_leadgen_automation%20r_ads");
        assertThat(OAuthSteps.query(page)).containsEntry("response_type", "code")
                .containsEntry("client_id", LinkedInFake.CLIENT_ID)
                .containsEntry("redirect_uri", "https://leadsync.example.test/oauth/linkedin_ads/callback")
                .containsEntry("scope", "r_marketing_leadgen_automation r_ads").containsKey("state")
                .doesNotContainKey("code_challenge");
    }

    @Test
    void a_callback_connects_every_sponsored_account_the_member_holds_a_lead_reading_role_on() {
        String key = OAuthSteps.newAccountKey();
        String code = newCode();
        String token = LinkedInFake.newToken();
        String manager = LinkedInFake.newAdAccountId();
        String viewer = LinkedInFake.newAdAccountId();
        String unknownRole = LinkedInFake.newAdAccountId();
        String noRole = LinkedInFake.newAdAccountId();
        String hidden = LinkedInFake.newAdAccountId();
        String secondPage = LinkedInFake.newAdAccountId();
        tokenAnswer(code, 200, grant(token));
        // A short first page is not the end (providers.md §3.7): the total says one more is there.
        roles(token, 0, 6, role(sponsored(manager), "CAMPAIGN_MANAGER"), role(sponsored(viewer), "VIEWER"),
                role(sponsored(unknownRole), "LEAD_GEN_SPECTATOR"), role(sponsored(noRole), null),
                role(sponsored(hidden), "ACCOUNT_MANAGER"));
        roles(token, 100, 6, role(sponsored(secondPage), "ACCOUNT_BILLING_ADMIN"));
        LinkedInFake.grantAccount(manager, token);
        LinkedInFake.grantAccount(viewer, token);
        LinkedInFake.grantAccount(secondPage, token);
        Fakes.server().stubFor(get(urlPathEqualTo(LinkedInFake.API + "/adAccounts/" + hidden))
                .withHeader("Authorization", equalTo("Bearer " + token)).willReturn(LinkedInFake.json(403,
                        LinkedInFake.error(403, 100, "ACCESS_DENIED", "Not enough permissions to access: adAccounts"))));

        Response done = OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), code);

        done.then().statusCode(302);
        assertThat(done.header("location")).isEqualTo("/admin?connected=linkedin_ads&created=3&updated=0"
                + "&connectedElsewhere=0");
        for (String id : List.of(manager, viewer, secondPage)) {
            Connection c = connected(id);
            assertThat(c.accessToken()).isEqualTo(token);
            assertThat(c.refreshToken()).isNull();
            assertThat(c.expiresAt()).isCloseTo(Instant.now().plusSeconds(SIXTY_DAYS), within(1, ChronoUnit.MINUTES));
        }
        for (String left : List.of(unknownRole, noRole, hidden)) {
            assertThat(connections.findByRoute(ProviderType.LINKEDIN_ADS, left)).as(left).isEmpty();
        }
        Map<String, String> exchange = OAuthSteps.form(Fakes.server().findAll(postRequestedFor(
                urlPathEqualTo(LinkedInFake.TOKEN_PATH))).stream()
                .filter(r -> r.getBodyAsString().contains(URLEncoder.encode(code, StandardCharsets.UTF_8)))
                .findFirst().orElseThrow().getBodyAsString());
        assertThat(exchange).containsEntry("grant_type", "authorization_code").containsEntry("code", code)
                .containsEntry("redirect_uri", "https://leadsync.example.test/oauth/linkedin_ads/callback")
                .containsEntry("client_id", LinkedInFake.CLIENT_ID)
                .containsEntry("client_secret", LinkedInFake.CLIENT_SECRET);
        String listed = Scenario.given().header("x-api-key", key).get("/connections").then().statusCode(200)
                .extract().asString();
        assertThat(listed).contains(manager, viewer, secondPage).doesNotContain(token);
    }

    @Test
    void connecting_again_gives_the_account_the_new_token_and_a_refresh_token_when_linkedin_issues_one() {
        String key = OAuthSteps.newAccountKey();
        String account = LinkedInFake.newAdAccountId();
        String first = LinkedInFake.newToken();
        String firstCode = newCode();
        tokenAnswer(firstCode, 200, grant(first));
        roles(first, 0, 1, role(sponsored(account), "ACCOUNT_MANAGER"));
        LinkedInFake.grantAccount(account, first);
        OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), firstCode).then().statusCode(302);
        String id = connected(account).connectionId();
        String second = LinkedInFake.newToken();
        String secondCode = newCode();
        tokenAnswer(secondCode, 200, "{\"access_token\":\"" + second + "\",\"expires_in\":" + SIXTY_DAYS
                + ",\"refresh_token\":\"AQX-refresh\",\"refresh_token_expires_in\":31536000,"
                + "\"scope\":\"r_ads,r_marketing_leadgen_automation\"}");
        roles(second, 0, 1, role(sponsored(account), "ACCOUNT_MANAGER"));
        LinkedInFake.grantAccount(account, second);

        Response again = OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), secondCode);

        assertThat(again.header("location")).contains("created=0&updated=1");
        Connection now = connected(account);
        assertThat(now.connectionId()).isEqualTo(id);
        assertThat(now.accessToken()).isEqualTo(second);
        assertThat(now.refreshToken()).isEqualTo("AQX-refresh");
        assertThat(connections.listByAccount(now.accountId())).hasSize(1);
    }

    @Test
    void a_refused_code_is_a_400_page_a_failing_listing_a_502_and_a_member_without_accounts_is_told_so() {
        String key = OAuthSteps.newAccountKey();
        String used = newCode();
        tokenAnswer(used, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"The provided authorization"
                + " grant or refresh token is invalid, expired or revoked\"}");
        String down = newCode();
        String downToken = LinkedInFake.newToken();
        tokenAnswer(down, 200, grant(downToken));
        Fakes.server().stubFor(get(urlPathEqualTo(USERS)).withHeader("Authorization", equalTo("Bearer " + downToken))
                .willReturn(LinkedInFake.json(500, LinkedInFake.error(500, 0, "INTERNAL_SERVER_ERROR",
                        "Internal Server Error"))));
        String empty = newCode();
        String emptyToken = LinkedInFake.newToken();
        tokenAnswer(empty, 200, grant(emptyToken));
        roles(emptyToken, 0, 0);

        Response refused = OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), used);
        refused.then().statusCode(400);
        assertThat(refused.asString()).contains("invalid_grant");
        Response unavailable = OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), down);
        unavailable.then().statusCode(502);
        assertThat(unavailable.asString()).contains("try again").doesNotContain(downToken);
        Response nothing = OAuthSteps.callback(TYPE, OAuthSteps.consentPage(TYPE, key), empty);
        nothing.then().statusCode(400);
        assertThat(nothing.asString()).contains("reaches no linkedin_ads account");
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(USERS))
                .withHeader("Authorization", equalTo("Bearer " + emptyToken)))).hasSize(1);
        assertThat(Scenario.given().header("x-api-key", key).get("/connections").then().statusCode(200).extract()
                .<List<?>>path("items")).isEmpty();
    }
}
