package com.leadsync.source.tiktok;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.testing.OAuthClickThrough.callback;
import static com.leadsync.testing.OAuthClickThrough.connections;
import static com.leadsync.testing.OAuthClickThrough.consentPage;
import static com.leadsync.testing.OAuthClickThrough.newAccountKey;
import static com.leadsync.testing.OAuthClickThrough.query;
import static com.leadsync.testing.OAuthClickThrough.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.leadsync.connect.ConnectionRepository;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.TikTokFake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Connecting TikTok advertisers through the real routes, against the auth_code exchange on the shared WireMock
 * server in providers.md §4.5's shape: TikTok's envelope, HTTP 200 for its errors too (codes §4.6). The token URL
 * defaults to the TikTok base URL's {@code /v1.3/oauth2/access_token/}.
 */
@QuarkusTest
class TikTokOAuthTest {

    private static final String TYPE = "tiktok_ads";
    private static final String TOKEN = TikTokFake.API + "/oauth2/access_token/";
    private static final String REDIRECT = "https://leadsync.example.test/oauth/tiktok_ads/callback";

    @Inject
    ConnectionRepository store;

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("content-type", "application/json").withBody(body);
    }

    private static String newCode() {
        return "auth" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The exchange of {@code code} answering {@code envelope} (HTTP 200, as TikTok does for errors too). */
    private static void stubExchange(String code, int status, String envelope) {
        Fakes.server().stubFor(post(urlPathEqualTo(TOKEN)).withRequestBody(matchingJsonPath("$.auth_code",
                equalTo(code))).willReturn(json(status, envelope)));
    }

    private static String granted(String token, String advertiserIds) {
        return TikTokFake.ok("{\"access_token\":\"" + token + "\",\"advertiser_ids\":" + advertiserIds
                + ",\"scope\":[4,10,16]}");
    }

    @Test
    void authorize_sends_the_advertiser_to_the_portal_with_the_app_id_the_state_and_the_redirect_uri() {
        String location = consentPage(newAccountKey(), TYPE);

        assertThat(location).startsWith("https://business-api.tiktok.com/portal/auth?");
        assertThat(query(location)).containsEntry("app_id", "test-tiktok-app-id")
                .containsEntry("redirect_uri", REDIRECT).containsKey("state");
    }

    @Test
    void an_auth_code_connects_every_advertiser_of_the_grant_with_the_long_term_token_ids_kept_exact() {
        String key = newAccountKey();
        String code = newCode();
        String token = TikTokFake.newToken();
        String a = TikTokFake.newId();
        String b = TikTokFake.newId(); // sent as a bare number beyond 2^53: must not pass through a double
        stubExchange(code, 200, granted(token, "[\"" + a + "\"," + b + "]"));

        Response done = callback(TYPE, "auth_code", code, state(key, TYPE));

        done.then().statusCode(302);
        assertThat(done.header("location")).isEqualTo("/admin?connected=" + TYPE
                + "&created=2&updated=0&connectedElsewhere=0");
        Response listed = connections(key);
        assertThat(listed.jsonPath().getList("items.externalId", String.class)).containsExactlyInAnyOrder(a, b);
        assertThat(listed.asString()).doesNotContain(token);
        Connection stored = store.findByRoute(ProviderType.TIKTOK_ADS, b).orElseThrow();
        assertThat(stored.accessToken()).isEqualTo(token);
        assertThat(stored.refreshToken()).isNull();
        assertThat(stored.expiresAt()).isNull();
        Fakes.server().verify(1, postRequestedFor(
                urlPathEqualTo(TOKEN)).withRequestBody(equalToJson("{\"app_id\":\"test-tiktok-app-id\","
                        + "\"secret\":\"test-tiktok-app-secret\",\"auth_code\":\"" + code + "\"}")));
    }

    @Test
    void connecting_again_gives_the_advertiser_the_new_token_without_a_second_connection() {
        String key = newAccountKey();
        String advertiser = TikTokFake.newId();
        String firstCode = newCode();
        stubExchange(firstCode, 200, granted(TikTokFake.newToken(), "[\"" + advertiser + "\"]"));
        callback(TYPE, "auth_code", firstCode, state(key, TYPE)).then().statusCode(302);
        String id = store.findByRoute(ProviderType.TIKTOK_ADS, advertiser).orElseThrow().connectionId();

        String second = TikTokFake.newToken();
        String secondCode = newCode();
        stubExchange(secondCode, 200, granted(second, "[\"" + advertiser + "\"]"));
        Response again = callback(TYPE, "auth_code", secondCode, state(key, TYPE));

        assertThat(again.header("location")).contains("created=0&updated=1");
        Connection now = store.findByRoute(ProviderType.TIKTOK_ADS, advertiser).orElseThrow();
        assertThat(now.connectionId()).isEqualTo(id);
        assertThat(now.accessToken()).isEqualTo(second);
        assertThat(connections(key).jsonPath().getList("items")).hasSize(1);
    }

    @ParameterizedTest(name = "HTTP {0} with code {1} is a {2} page")
    @CsvSource({
            "200, 40002, 400, 'auth_code is invalid or expired'",
            "200, 40001, 400, 'app_id or secret is incorrect'",
            "200, 40100, 502, 'Too many requests'",
            "200, 50000, 502, 'System error'",
            "500, 50000, 502, 'System error'"})
    void an_error_tiktok_reports_in_its_envelope_is_a_refusal_or_an_outage_by_its_code(int http, int code,
            int page, String message) {
        String key = newAccountKey();
        String authCode = newCode();
        stubExchange(authCode, http, TikTokFake.envelope(code, message, "{}"));

        Response r = callback(TYPE, "auth_code", authCode, state(key, TYPE));

        r.then().statusCode(page).contentType("text/html");
        assertThat(r.asString()).doesNotContain("test-tiktok-app-secret");
        if (http == 200) {
            assertThat(r.asString()).contains("code " + code).contains(message);
        }
        assertThat(connections(key).jsonPath().getList("items")).isEmpty();
    }

    @Test
    void a_grant_that_reaches_no_advertiser_is_refused() {
        String key = newAccountKey();
        String code = newCode();
        stubExchange(code, 200, granted(TikTokFake.newToken(), "[]"));

        Response r = callback(TYPE, "auth_code", code, state(key, TYPE));

        r.then().statusCode(400);
        assertThat(r.asString()).contains("reaches no tiktok_ads account");
    }

    @Test
    void the_callback_also_takes_the_code_as_code() {
        String key = newAccountKey();
        String code = newCode();
        String advertiser = TikTokFake.newId();
        stubExchange(code, 200, granted(TikTokFake.newToken(), "[\"" + advertiser + "\"]"));

        callback(TYPE, "code", code, state(key, TYPE)).then().statusCode(302);

        assertThat(store.findByRoute(ProviderType.TIKTOK_ADS, advertiser)).isPresent();
    }
}
