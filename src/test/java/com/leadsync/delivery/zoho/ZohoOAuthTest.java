package com.leadsync.delivery.zoho;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.OAuthException;
import com.leadsync.connect.oauth.TokenEndpoint;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.store.DestinationStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.OAuthFlow;
import com.leadsync.testing.PipelineProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedDestination;
import org.junit.jupiter.api.Test;

/**
 * Connecting a Zoho CRM org through the real routes, against WireMock in Zoho's shapes (crm.md §A.3): the consent
 * page's scopes and offline access, the code exchanged at the data centre the callback's {@code accounts-server}
 * names (here a second "data centre" on the fake), the org read at the answer's {@code api_domain}, Zoho's
 * {@code {"error":"invalid_code"}} with status 200 as a refusal, an accounts server that is not Zoho's refused.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class ZohoOAuthTest {

    /** The configured (US) accounts server, and a second data centre's, both on the fake. */
    private static final String US = "/zoho-oauth/us";
    private static final String EU = "/zoho-oauth/eu";
    private static final String API = "/zoho-api-eu";

    @Inject
    DestinationStore destinations;
    @Inject
    TokenEndpoint endpoint;
    @Inject
    ZohoTokenRefresher refresher;

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody(body);
    }

    private record Grant(String code, String accessToken, String refreshToken, String orgId) {
        static Grant fresh(String orgId) {
            String id = UUID.randomUUID().toString().replace("-", "");
            return new Grant("1000.code." + id, "1000.at." + id, "1000.rt." + id, orgId);
        }
    }

    private static String newOrgId() {
        return Long.toString(4_000_000_000_000_000_000L + (long) (Math.random() * 999_999_999_999L));
    }

    /** The accounts server at {@code server} exchanges the grant's code; the org API names its org. */
    private static void stub(String server, Grant g) {
        Fakes.server().stubFor(post(urlPathEqualTo(server + "/oauth/v2/token")).withFormParam("code", equalTo(g.code()))
                .willReturn(json(200, """
                        {"access_token":"%s","refresh_token":"%s","scope":"ZohoCRM.modules.leads.ALL \
                        ZohoCRM.settings.fields.READ ZohoCRM.org.READ","api_domain":"%s%s","token_type":"Bearer",\
                        "expires_in":3600}""".formatted(g.accessToken(), g.refreshToken(), Fakes.baseUrl(), API))));
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/crm/v8/org"))
                .withHeader("Authorization", equalTo("Zoho-oauthtoken " + g.accessToken()))
                .willReturn(json(200, """
                        {"org":[{"country":"Germany","time_zone":"Europe/Berlin","currency":"Euro - EUR",
                         "id":"%s","zgid":"20080123456","company_name":"Zylker GmbH",
                         "domain_name":"org%s","primary_email":"admin@zylker.example","type":"production"}]}"""
                        .formatted(g.orgId(), g.orgId()))));
    }

    private static int exchangesAt(String server, String code) {
        return Fakes.server().findAll(postRequestedFor(urlPathEqualTo(server + "/oauth/v2/token"))
                .withFormParam("code", equalTo(code))).size();
    }

    private static Map<String, String> fromDataCentre(String server) {
        return Map.of("location", "eu", "accounts-server", Fakes.baseUrl() + server);
    }

    @Test
    void authorize_asks_for_the_leads_scopes_with_offline_access_and_consent() {
        OAuthFlow flow = OAuthFlow.forNewAccount("zoho");

        URI page = flow.consentPage();

        assertThat(page.toString()).startsWith("https://accounts.zoho.example.test/oauth/v2/auth?");
        assertThat(OAuthFlow.query(page)).containsEntry("response_type", "code")
                .containsEntry("client_id", "1000.TESTZOHOCLIENTID0000000000000")
                .containsEntry("scope", "ZohoCRM.modules.leads.ALL,ZohoCRM.settings.fields.READ,ZohoCRM.org.READ")
                .containsEntry("access_type", "offline").containsEntry("prompt", "consent")
                .containsEntry("redirect_uri", flow.redirectUri()).containsKey("state");
    }

    @Test
    void the_code_is_exchanged_at_the_data_centre_the_callback_names_and_the_org_becomes_a_disabled_destination() {
        OAuthFlow flow = OAuthFlow.forNewAccount("zoho");
        Grant g = Grant.fresh(newOrgId());
        stub(EU, g);

        Response done = flow.callback(g.code(), fromDataCentre(EU));

        done.then().statusCode(302);
        assertThat(done.header("location")).startsWith("/admin?connected=zoho&created=1&destinationId=dst_");
        assertThat(exchangesAt(EU, g.code())).isEqualTo(1);
        assertThat(exchangesAt(US, g.code())).isZero();
        List<Map<String, Object>> listed = flow.destinations();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0)).containsEntry("type", "zoho").containsEntry("enabled", false)
                .containsEntry("name", "Zoho CRM (Zylker GmbH, org " + g.orgId() + ")");
        assertThat(listed.get(0).get("config")).isEqualTo(Map.of("connectedAccount", g.orgId(),
                "apiDomain", Fakes.baseUrl() + API, "accountsServer", Fakes.baseUrl() + EU));
        assertThat(flow.destinationsText()).doesNotContain(g.accessToken()).doesNotContain(g.refreshToken());
        DestinationConfig stored = destinations.get(OAuthFlow.destinationId(done)).orElseThrow();
        assertThat(stored.config()).containsEntry("accessToken", g.accessToken())
                .containsEntry("refreshToken", g.refreshToken());
        assertThat(stored.tokenExpiresAt()).isCloseTo(Instant.now().plusSeconds(3600), within(60, ChronoUnit.SECONDS));
    }

    @Test
    void without_an_accounts_server_the_configured_one_is_used_and_a_reconnect_updates_the_same_destination() {
        OAuthFlow flow = OAuthFlow.forNewAccount("zoho");
        String org = newOrgId();
        Grant first = Grant.fresh(org);
        stub(US, first);
        String id = OAuthFlow.destinationId(flow.callback(first.code()));
        assertThat(destinations.get(id).orElseThrow().config()).containsEntry("accountsServer", Fakes.baseUrl() + US);
        Grant second = Grant.fresh(org);
        stub(EU, second);

        Response again = flow.callback(second.code(), fromDataCentre(EU));

        assertThat(again.header("location")).contains("updated=1&destinationId=" + id);
        assertThat(flow.destinations()).hasSize(1);
        assertThat(destinations.get(id).orElseThrow().config()).containsEntry("accessToken", second.accessToken())
                .containsEntry("accountsServer", Fakes.baseUrl() + EU);
    }

    @Test
    void an_invalid_code_answered_with_200_is_a_400_page_and_an_outage_a_502_page() {
        OAuthFlow flow = OAuthFlow.forNewAccount("zoho");
        String bad = "1000.bad." + UUID.randomUUID();
        Fakes.server().stubFor(post(urlPathEqualTo(US + "/oauth/v2/token")).withFormParam("code", equalTo(bad))
                .willReturn(json(200, "{\"error\":\"invalid_code\"}")));
        String down = "1000.down." + UUID.randomUUID();
        Fakes.server().stubFor(post(urlPathEqualTo(US + "/oauth/v2/token")).withFormParam("code", equalTo(down))
                .willReturn(aResponse().withStatus(500).withBody("Internal Server Error")));

        Response refused = flow.callback(bad);
        Response unavailable = flow.callback(down);

        refused.then().statusCode(400).contentType("text/html");
        assertThat(refused.asString()).contains("Zoho refused the authorization").contains("invalid_code");
        unavailable.then().statusCode(502);
        assertThat(unavailable.asString()).contains("Zoho answered 500");
        assertThat(flow.destinations()).isEmpty();
    }

    @Test
    void outside_local_mode_an_accounts_server_that_is_not_a_zoho_data_centre_is_refused_before_any_call() {
        UrlPolicy strictUrls = new UrlPolicy(false, host -> new InetAddress[] {InetAddress.getByAddress(host,
                new byte[] {(byte) 136, (byte) 143, (byte) 190, 1})});
        ZohoOAuth strict = new ZohoOAuth(endpoint, new ZohoEndpoints(strictUrls, false), refresher,
                "https://accounts.zoho.com/oauth/v2/auth", Fakes.baseUrl() + US + "/oauth/v2/token",
                Optional.of("1000.TESTZOHOCLIENTID0000000000000"), Optional.of("test-zoho-client-secret"));

        for (String server : List.of("https://accounts.zoho.eu.attacker.example", "http://accounts.zoho.eu",
                "https://accounts.zoho.xyz", "https://collector.example.com", "https://accounts.zoho.eu/steal")) {
            String code = "1000.code." + UUID.randomUUID();
            OAuthException e = catchThrowableOfType(OAuthException.class, () -> strict.complete(new CallbackRequest(
                    "acc_1", code, Map.of("accounts-server", server), OAuthFlow.REDIRECT_BASE + "zoho/callback",
                    null)));
            assertThat(e.kind()).as(server).isEqualTo(OAuthException.Kind.REFUSED);
            assertThat(e.getMessage()).contains("not one of Zoho's data centres");
            assertThat(exchangesAt(US, code)).isZero();
        }
    }

    @Inject
    ZohoEndpoints endpoints;

    @Test
    void local_mode_clicks_through_the_offline_zoho_which_names_itself_as_the_accounts_server() {
        String local = OAuthFlow.localBase() + "/_local/zoho";
        ZohoOAuth platform = new ZohoOAuth(endpoint, endpoints, refresher, local + "/oauth/v2/auth",
                "https://accounts.zoho.com/oauth/v2/token", Optional.of("1000.TESTZOHOCLIENTID0000000000000"),
                Optional.of("test-zoho-client-secret"));
        String redirect = OAuthFlow.REDIRECT_BASE + "zoho/callback";

        Map<String, String> back = OAuthFlow.consentedAt(platform.authorizeUrl(new AuthorizeRequest("acc_local",
                "state-1", redirect, null)));
        GrantedDestination granted = ((Granted.Destination) platform.complete(new CallbackRequest("acc_local",
                back.get("code"), back, redirect, null))).destination();

        assertThat(back).containsEntry("accounts-server", local).containsEntry("location", "us");
        assertThat(granted.identity()).isEqualTo("5725767000000000001");
        assertThat(granted.config()).containsEntry("apiDomain", local).containsEntry("accountsServer", local)
                .containsEntry("refreshToken", "local-zoho-refresh-token");
    }
}
