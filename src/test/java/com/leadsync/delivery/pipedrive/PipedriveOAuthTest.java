package com.leadsync.delivery.pipedrive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedDestination;
import com.leadsync.connect.oauth.TokenEndpoint;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Connecting a Pipedrive company through the real routes, against WireMock in Pipedrive's shapes (crm.md §A.4): the
 * consent page, the code exchanged with HTTP Basic client authentication, the company named by
 * {@code GET {api_domain}/api/v1/users/me}, {@code api_domain} kept as the API base, a reconnect of the same company
 * updating its destination, and Pipedrive's refusals and outages as pages.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class PipedriveOAuthTest {

    private static final String TOKEN_PATH = "/pipedrive-oauth/oauth/token";
    private static final String COMPANY = "/pipedrive-company";
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            "test-pipedrive-client-id:test-pipedrive-client-secret".getBytes(StandardCharsets.UTF_8));

    @Inject
    DestinationStore destinations;

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(body);
    }

    private record Grant(String code, String accessToken, String refreshToken, long companyId) {
        static Grant fresh(long companyId) {
            String id = UUID.randomUUID().toString();
            return new Grant("pd-code-" + id, "v1u:at-" + id, "pd-rt-" + id, companyId);
        }
    }

    private static long newCompanyId() {
        return 1_000_000L + (long) (Math.random() * 8_000_000L);
    }

    private static void stub(Grant g) {
        Fakes.server().stubFor(post(urlPathEqualTo(TOKEN_PATH)).withHeader("Authorization", equalTo(BASIC))
                .withFormParam("code", equalTo(g.code())).willReturn(json(200, """
                        {"access_token":"%s","token_type":"Bearer","refresh_token":"%s",
                         "scope":"base,leads:full,contacts:full","expires_in":3599,"api_domain":"%s%s"}"""
                        .formatted(g.accessToken(), g.refreshToken(), Fakes.baseUrl(), COMPANY))));
        Fakes.server().stubFor(get(urlPathEqualTo(COMPANY + "/api/v1/users/me"))
                .withHeader("Authorization", equalTo("Bearer " + g.accessToken())).willReturn(json(200, """
                        {"success":true,"data":{"id":11223,"name":"Jane Doe","default_currency":"EUR",
                         "locale":"en_US","lang":1,"email":"jane@acme.test","activated":true,"is_admin":1,
                         "active_flag":true,"timezone_name":"Europe/Berlin","timezone_offset":"+01:00",
                         "is_you":true,"company_id":%d,"company_name":"Acme GmbH","company_domain":"acme",
                         "company_country":"DE"}}""".formatted(g.companyId()))));
    }

    private static List<LoggedRequest> exchanges(String code) {
        return Fakes.server().findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withFormParam("code", equalTo(code)));
    }

    @Test
    void authorize_sends_the_person_to_pipedrive_with_the_client_id_and_state() {
        OAuthFlow flow = OAuthFlow.forNewAccount("pipedrive");

        URI page = flow.consentPage();

        assertThat(page.toString()).startsWith(Fakes.baseUrl() + "/pipedrive-oauth/oauth/authorize?");
        assertThat(OAuthFlow.query(page)).containsEntry("client_id", "test-pipedrive-client-id")
                .containsEntry("redirect_uri", flow.redirectUri()).containsKey("state");
    }

    @Test
    void a_callback_creates_the_company_as_a_disabled_destination_on_its_api_domain() {
        OAuthFlow flow = OAuthFlow.forNewAccount("pipedrive");
        Grant g = Grant.fresh(newCompanyId());
        stub(g);

        Response done = flow.callback(g.code());

        done.then().statusCode(302);
        assertThat(done.header("location")).startsWith("/admin?connected=pipedrive&created=1&destinationId=dst_");
        LoggedRequest exchange = exchanges(g.code()).get(0);
        assertThat(exchange.getHeader("Authorization")).isEqualTo(BASIC);
        assertThat(exchange.getBodyAsString()).contains("grant_type=authorization_code")
                .doesNotContain("client_secret");
        List<Map<String, Object>> listed = flow.destinations();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0)).containsEntry("type", "pipedrive").containsEntry("enabled", false)
                .containsEntry("name", "Pipedrive (Acme GmbH, company " + g.companyId() + ")");
        assertThat(listed.get(0).get("config")).isEqualTo(Map.of("connectedAccount", Long.toString(g.companyId()),
                "apiDomain", Fakes.baseUrl() + COMPANY));
        assertThat(flow.destinationsText()).doesNotContain(g.accessToken()).doesNotContain(g.refreshToken());
        DestinationConfig stored = destinations.get(OAuthFlow.destinationId(done)).orElseThrow();
        assertThat(stored.config()).containsEntry("accessToken", g.accessToken())
                .containsEntry("refreshToken", g.refreshToken());
        assertThat(stored.tokenExpiresAt()).isNotNull();
    }

    @Test
    void reconnecting_the_same_company_gives_its_destination_the_new_tokens_without_a_second_one() {
        OAuthFlow flow = OAuthFlow.forNewAccount("pipedrive");
        long company = newCompanyId();
        Grant first = Grant.fresh(company);
        stub(first);
        String id = OAuthFlow.destinationId(flow.callback(first.code()));
        Grant second = Grant.fresh(company);
        stub(second);

        Response again = flow.callback(second.code());

        assertThat(again.header("location")).contains("updated=1&destinationId=" + id);
        assertThat(flow.destinations()).hasSize(1);
        assertThat(destinations.get(id).orElseThrow().config()).containsEntry("accessToken", second.accessToken())
                .containsEntry("refreshToken", second.refreshToken());
    }

    @Test
    void a_refused_code_is_a_400_page_and_an_outage_a_502_page_and_neither_stores_anything() {
        OAuthFlow flow = OAuthFlow.forNewAccount("pipedrive");
        String bad = "pd-bad-" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlPathEqualTo(TOKEN_PATH)).withFormParam("code", equalTo(bad))
                .willReturn(json(400, """
                        {"success":false,"error":"invalid_grant",\
                        "error_description":"Invalid grant: authorization code is invalid"}""")));
        String down = "pd-down-" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlPathEqualTo(TOKEN_PATH)).withFormParam("code", equalTo(down))
                .willReturn(json(502, "{\"success\":false,\"error\":\"Bad gateway\"}")));

        Response refused = flow.callback(bad);
        Response unavailable = flow.callback(down);

        refused.then().statusCode(400).contentType("text/html");
        assertThat(refused.asString()).contains("Pipedrive refused the authorization")
                .contains("authorization code is invalid");
        unavailable.then().statusCode(502);
        assertThat(unavailable.asString()).contains("Pipedrive answered 502");
        assertThat(flow.destinations()).isEmpty();
    }

    @Inject
    TokenEndpoint endpoint;
    @Inject
    PipedriveTokenRefresher refresher;

    @Test
    void outside_local_mode_the_new_token_goes_only_to_an_https_pipedrive_company_domain() {
        assertThat(PipedriveOAuth.isPipedriveHost("https://acme.pipedrive.com")).isTrue();
        assertThat(PipedriveOAuth.isPipedriveHost("https://api.pipedrive.com/")).isTrue();
        assertThat(PipedriveOAuth.isPipedriveHost("http://acme.pipedrive.com")).isFalse();
        assertThat(PipedriveOAuth.isPipedriveHost("https://acme.pipedrive.com.evil.example")).isFalse();
        assertThat(PipedriveOAuth.isPipedriveHost("https://evilpipedrive.com")).isFalse();
        assertThat(PipedriveOAuth.isPipedriveHost("https://user@acme.pipedrive.com")).isFalse();
        assertThat(PipedriveOAuth.isPipedriveHost("https://acme.pipedrive.com:8443")).isFalse();
        assertThat(PipedriveOAuth.isPipedriveHost("https://127.0.0.1")).isFalse();
    }

    @Test
    void local_mode_clicks_through_the_offline_pipedrive_consent_and_token_endpoints() {
        String local = OAuthFlow.localBase();
        PipedriveOAuth platform = new PipedriveOAuth(endpoint, refresher, local + "/_local/pipedrive-oauth/oauth/authorize",
                local + "/_local/pipedrive-oauth/oauth/token", "https://api.pipedrive.com",
                Optional.of("test-pipedrive-client-id"), Optional.of("test-pipedrive-client-secret"), true);
        String redirect = OAuthFlow.REDIRECT_BASE + "pipedrive/callback";

        Map<String, String> back = OAuthFlow.consentedAt(platform.authorizeUrl(new AuthorizeRequest("acc_local",
                "state-1", redirect, null)));
        GrantedDestination granted = ((Granted.Destination) platform.complete(new CallbackRequest("acc_local",
                back.get("code"), back, redirect, null))).destination();

        assertThat(granted.identity()).isEqualTo("7654321");
        assertThat(granted.config()).containsEntry("apiDomain", local + "/_local/pipedrive")
                .containsKey("accessToken").containsKey("refreshToken");
    }
}
