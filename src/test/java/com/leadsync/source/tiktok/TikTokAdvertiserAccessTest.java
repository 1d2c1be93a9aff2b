package com.leadsync.source.tiktok;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.source.AccessCheck;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import com.leadsync.testing.TikTokFake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A TikTok connection is accepted only once {@code advertiser/info} lists its advertiser for its token (contract §5),
 * TikTok's errors arriving as codes inside HTTP 200.
 */
@QuarkusTest
class TikTokAdvertiserAccessTest {

    @Inject
    TikTokAdvertiserAccess access;

    private static Connection connection(String advertiserId, String token) {
        return new Connection("con_test", "acc_test", ProviderType.TIKTOK_ADS, advertiserId, token, null, null, null,
                Instant.now(), ConnectionStatus.ACTIVE, null);
    }

    @Test
    void a_token_the_advertiser_info_lists_the_advertiser_for_reaches_it() {
        String advertiser = TikTokFake.newId();
        String token = TikTokFake.newToken();
        TikTokFake.grantAdvertiser(advertiser, token);

        assertThat(access.check(connection(advertiser, token))).isEqualTo(new AccessCheck.Reached());
    }

    @Test
    void an_invalid_or_revoked_token_does_not_reach_it() {
        String advertiser = TikTokFake.newId();
        TikTokFake.grantAdvertiser(advertiser, TikTokFake.newToken());

        AccessCheck check = access.check(connection(advertiser, TikTokFake.newToken()));

        assertThat(check).isInstanceOfSatisfying(AccessCheck.NotReached.class,
                no -> assertThat(no.reason()).contains("code 40105", "revoked"));
    }

    @Test
    void a_token_of_another_advertiser_does_not_reach_it() {
        String mine = TikTokFake.newId();
        String theirs = TikTokFake.newId();
        String token = TikTokFake.newToken();
        TikTokFake.grantAdvertiser(mine, token);
        TikTokFake.stubAdvertiserInfo(theirs, token, 200, TikTokFake.envelope(40001,
                "No permission to operate advertiser " + theirs + ".", "{}"));

        assertThat(access.check(connection(theirs, token))).isInstanceOfSatisfying(AccessCheck.NotReached.class,
                no -> assertThat(no.reason()).contains("code 40001"));
    }

    @Test
    void an_answer_that_does_not_list_the_advertiser_does_not_reach_it() {
        String advertiser = TikTokFake.newId();
        String token = TikTokFake.newToken();
        TikTokFake.stubAdvertiserInfo(advertiser, token, 200, TikTokFake.ok("{\"list\":[{\"advertiser_id\":\""
                + TikTokFake.newId() + "\"}]}"));

        assertThat(access.check(connection(advertiser, token))).isInstanceOfSatisfying(AccessCheck.NotReached.class,
                no -> assertThat(no.reason()).contains("did not list advertiser " + advertiser));
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {40100, 40133, 61000, 50000, 50002})
    void throttling_and_system_errors_inside_http_200_leave_it_unknown(int code) {
        String advertiser = TikTokFake.newId();
        String token = TikTokFake.newToken();
        TikTokFake.stubAdvertiserInfo(advertiser, token, 200, TikTokFake.envelope(code, "Try again later.", "{}"));

        assertThat(access.check(connection(advertiser, token))).isInstanceOfSatisfying(AccessCheck.Unavailable.class,
                down -> assertThat(down.reason()).contains("code " + code));
    }

    @Test
    void an_outage_or_a_cut_connection_leaves_it_unknown() {
        String advertiser = TikTokFake.newId();
        String token = TikTokFake.newToken();
        TikTokFake.stubAdvertiserInfo(advertiser, token, 503, "<html>Service Unavailable</html>");
        String cut = TikTokFake.newToken();
        Fakes.server().stubFor(get(urlPathEqualTo(TikTokFake.ADVERTISER_INFO)).withHeader("Access-Token", equalTo(cut))
                .atPriority(1).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(access.check(connection(advertiser, token))).isInstanceOf(AccessCheck.Unavailable.class);
        assertThat(access.check(connection(advertiser, cut))).isInstanceOf(AccessCheck.Unavailable.class);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "adv-7012345678901234567", "7012345678901234567 ", "-7012345678901234567",
        "123456789012345678901234567890123"})
    void an_external_id_that_is_not_an_advertiser_id_is_named(String externalId) {
        assertThat(access.externalIdProblem(externalId)).hasValueSatisfying(
                problem -> assertThat(problem).contains("'externalId'", "TikTok advertiser id"));
    }

    @Test
    void a_nineteen_digit_advertiser_id_is_an_advertiser_id() {
        assertThat(access.externalIdProblem("7012345678901234567")).isEmpty();
    }

    // --- through POST /connections --------------------------------------------------------------------------

    private static String newAccountKey() {
        return Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "TikTok " + UUID.randomUUID())).post("/accounts")
                .then().statusCode(201).extract().path("apiKey");
    }

    @Test
    void a_connection_is_stored_once_its_token_reaches_the_advertiser_and_keeps_the_id_exact() {
        String key = newAccountKey();
        String advertiser = TikTokFake.newId();
        String token = TikTokFake.newToken();
        TikTokFake.grantAdvertiser(advertiser, token);

        Response r = TikTokFake.connect(key, advertiser, token);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.asString()).contains("\"externalId\":\"" + advertiser + "\"").doesNotContain(token);
    }

    @Test
    void a_token_that_does_not_reach_it_is_refused_and_nothing_is_stored() {
        String key = newAccountKey();
        String advertiser = TikTokFake.newId();
        TikTokFake.grantAdvertiser(advertiser, TikTokFake.newToken());

        assertError(TikTokFake.connect(key, advertiser, TikTokFake.newToken()), 422);
        assertThat(Scenario.given().header("x-api-key", key).get("/connections").then().statusCode(200)
                .extract().jsonPath().getList("items")).isEmpty();
    }

    @Test
    void a_malformed_advertiser_id_is_refused_naming_the_field() {
        assertThat(assertError(TikTokFake.connect(newAccountKey(), "adv-1", TikTokFake.newToken()), 422)
                .get("message").asText()).contains("externalId");
    }

    @Test
    void a_throttled_check_is_unavailable() {
        String advertiser = TikTokFake.newId();
        String token = TikTokFake.newToken();
        TikTokFake.stubAdvertiserInfo(advertiser, token, 200, TikTokFake.envelope(40100, "Too many requests.", "{}"));

        assertError(TikTokFake.connect(newAccountKey(), advertiser, token), 503);
    }
}
