package com.leadsync.source.meta;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import com.leadsync.connect.oauth.OAuthException;

import com.leadsync.connect.oauth.CallbackRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import static com.leadsync.testing.MetaOAuthFake.ACCOUNTS;
import static com.leadsync.testing.MetaOAuthFake.ALL_TASKS;
import static com.leadsync.testing.MetaOAuthFake.REDIRECT;
import static com.leadsync.testing.MetaOAuthFake.TOKEN;
import static com.leadsync.testing.MetaOAuthFake.TYPE;
import static com.leadsync.testing.MetaOAuthFake.V;
import static com.leadsync.testing.MetaOAuthFake.accounts;
import static com.leadsync.testing.MetaOAuthFake.json;
import static com.leadsync.testing.MetaOAuthFake.newCode;
import static com.leadsync.testing.MetaOAuthFake.newToken;
import static com.leadsync.testing.MetaOAuthFake.page;
import static com.leadsync.testing.MetaOAuthFake.subscribe;
import static com.leadsync.testing.MetaOAuthFake.tokens;

import com.leadsync.connect.ConnectionRepository;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;


/**
 * Connecting Meta pages by Facebook Login through the real routes, against the Graph API's token endpoint,
 * {@code /me/accounts} and {@code /{page-id}/subscribed_apps} on the shared WireMock server in providers.md §1.4 and
 * §1.6's shapes (the token URL defaults to the Graph base URL's {@code /{version}/oauth/access_token}).
 */
@QuarkusTest
class MetaOAuthTest {

    @Inject
    ConnectionRepository store;
    @Inject
    MetaOAuth meta;

    private static String graphError(int code, String type, String message, String extra) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"code\":" + code + extra
                + ",\"fbtrace_id\":\"AfakeTraceOAuth\"}}";
    }

    @Test
    void authorize_sends_the_person_to_the_facebook_login_dialog_with_the_app_the_lead_scopes_and_the_state() {
        String location = consentPage(newAccountKey(), TYPE);

        assertThat(location).startsWith("https://www.facebook.com/v25.0/dialog/oauth?");
        Map<String, String> q = query(location);
        assertThat(q).containsEntry("client_id", "test-meta-app-id").containsEntry("redirect_uri", REDIRECT)
                .containsEntry("response_type", "code").containsKey("state");
        assertThat(q.get("scope").split(",")).containsExactlyInAnyOrder("leads_retrieval", "pages_show_list",
                "pages_manage_metadata", "pages_read_engagement", "ads_management");
    }

    @Test
    void a_callback_connects_every_listed_page_the_person_may_read_leads_of_with_its_page_token_and_subscribes_each() {
        String key = newAccountKey();
        String code = newCode();
        String userToken = tokens(code);
        String a = Scenario.newPageId();
        String b = Scenario.newPageId();
        String analystOnly = Scenario.newPageId();
        String tokenA = newToken();
        String tokenB = newToken();
        accounts(userToken, List.of(page(a, tokenA, ALL_TASKS), page(analystOnly, newToken(), "[\"ANALYZE\"]")),
                List.of(page(b, tokenB, null)));
        subscribe(a, tokenA);
        subscribe(b, tokenB);

        Response done = callback(TYPE, "code", code, state(key, TYPE));

        done.then().statusCode(302);
        assertThat(done.header("location")).isEqualTo("/admin?connected=" + TYPE
                + "&created=2&updated=0&connectedElsewhere=0");
        Response listed = connections(key);
        assertThat(listed.jsonPath().getList("items.externalId", String.class)).containsExactlyInAnyOrder(a, b);
        assertThat(listed.asString()).doesNotContain(tokenA).doesNotContain(tokenB).doesNotContain(userToken);
        Connection stored = store.findByRoute(ProviderType.META_LEAD_ADS, a).orElseThrow();
        assertThat(stored.accessToken()).isEqualTo(tokenA);
        assertThat(stored.expiresAt()).isNull();
        assertThat(stored.refreshToken()).isNull();
        assertThat(store.findByRoute(ProviderType.META_LEAD_ADS, b).orElseThrow().accessToken()).isEqualTo(tokenB);
        assertThat(store.findByRoute(ProviderType.META_LEAD_ADS, analystOnly)).isEmpty();
        Fakes.server().verify(1, postRequestedFor(urlPathEqualTo(V + "/" + a + "/subscribed_apps"))
                .withHeader("Authorization", equalTo("Bearer " + tokenA)));
        Fakes.server().verify(1, postRequestedFor(urlPathEqualTo(V + "/" + b + "/subscribed_apps"))
                .withHeader("Authorization", equalTo("Bearer " + tokenB)));
        Fakes.server().verify(0, postRequestedFor(urlPathEqualTo(V + "/" + analystOnly + "/subscribed_apps")));
        Fakes.server().verify(2, getRequestedFor(urlPathEqualTo(ACCOUNTS))
                .withHeader("Authorization", equalTo("Bearer " + userToken)));
    }

    @Test
    void a_callback_out_of_time_stops_before_listing_or_subscribing_anything_and_says_so() {
        String code = newCode();
        String userToken = tokens(code);
        String pageId = Scenario.newPageId();
        String pageToken = newToken();
        accounts(userToken, List.of(page(pageId, pageToken, ALL_TASKS)), List.of());
        subscribe(pageId, pageToken);

        OAuthException e = catchThrowableOfType(OAuthException.class, () -> meta.complete(new CallbackRequest(
                "acc_" + UUID.randomUUID(), code, Map.of("code", code), REDIRECT, null,
                CallbackRequest.deadlineIn(Duration.ZERO))));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("took longer than LeadSync can wait").contains("listing your pages")
                .contains("Nothing was stored");
        Fakes.server().verify(0, getRequestedFor(urlPathEqualTo(ACCOUNTS))
                .withHeader("Authorization", equalTo("Bearer " + userToken)));
        Fakes.server().verify(0, postRequestedFor(urlPathEqualTo(V + "/" + pageId + "/subscribed_apps")));
    }

    @Test
    void connecting_again_gives_the_page_its_new_token_without_a_second_connection() {
        String key = newAccountKey();
        String pageId = Scenario.newPageId();
        String first = newToken();
        String firstCode = newCode();
        accounts(tokens(firstCode), List.of(page(pageId, first, ALL_TASKS)), List.of());
        subscribe(pageId, first);
        callback(TYPE, "code", firstCode, state(key, TYPE)).then().statusCode(302);
        String id = store.findByRoute(ProviderType.META_LEAD_ADS, pageId).orElseThrow().connectionId();

        String second = newToken();
        String secondCode = newCode();
        accounts(tokens(secondCode), List.of(page(pageId, second, ALL_TASKS)), List.of());
        subscribe(pageId, second);
        Response again = callback(TYPE, "code", secondCode, state(key, TYPE));

        assertThat(again.header("location")).contains("created=0&updated=1");
        Connection now = store.findByRoute(ProviderType.META_LEAD_ADS, pageId).orElseThrow();
        assertThat(now.connectionId()).isEqualTo(id);
        assertThat(now.accessToken()).isEqualTo(second);
        assertThat(connections(key).jsonPath().getList("items")).hasSize(1);
    }

    @Test
    void a_code_meta_refuses_is_a_400_page_and_nothing_is_stored() {
        String key = newAccountKey();
        String code = newCode();
        Fakes.server().stubFor(get(urlPathEqualTo(TOKEN)).withQueryParam("code", equalTo(code)).willReturn(json(400,
                graphError(100, "OAuthException", "This authorization code has been used.",
                        ",\"error_subcode\":36009"))));

        Response r = callback(TYPE, "code", code, state(key, TYPE));

        r.then().statusCode(400).contentType("text/html");
        assertThat(r.asString()).contains("Meta refused").contains("This authorization code has been used.")
                .doesNotContain("test-meta-app-secret");
        assertThat(connections(key).jsonPath().getList("items")).isEmpty();
    }

    @Test
    void a_meta_outage_or_an_error_meta_calls_transient_is_a_502_page() {
        String key = newAccountKey();
        String down = newCode();
        Fakes.server().stubFor(get(urlPathEqualTo(TOKEN)).withQueryParam("code", equalTo(down)).willReturn(json(500,
                graphError(2, "OAuthException", "An unexpected error has occurred. Please retry your request later.",
                        ",\"is_transient\":true"))));
        String passing = newCode();
        Fakes.server().stubFor(get(urlPathEqualTo(TOKEN)).withQueryParam("code", equalTo(passing)).willReturn(json(
                400, graphError(1, "OAuthException", "Please reduce the amount of data you're asking for.",
                        ",\"is_transient\":true"))));

        Response r = callback(TYPE, "code", down, state(key, TYPE));
        Response s = callback(TYPE, "code", passing, state(key, TYPE));

        r.then().statusCode(502);
        assertThat(r.asString()).contains("try again");
        s.then().statusCode(502);
        assertThat(connections(key).jsonPath().getList("items")).isEmpty();
    }

    @Test
    void a_page_meta_will_not_subscribe_fails_the_whole_connect_naming_the_page_and_stores_nothing() {
        String key = newAccountKey();
        String code = newCode();
        String ok = Scenario.newPageId();
        String refused = Scenario.newPageId();
        String okToken = newToken();
        String refusedToken = newToken();
        accounts(tokens(code), List.of(page(ok, okToken, ALL_TASKS), page(refused, refusedToken, ALL_TASKS)),
                List.of());
        subscribe(ok, okToken);
        Fakes.server().stubFor(post(urlPathEqualTo(V + "/" + refused + "/subscribed_apps")).willReturn(json(403,
                graphError(200, "OAuthException", "(#200) The user must be an administrator, editor, or moderator of"
                        + " the page in order to impersonate it.", ""))));

        Response r = callback(TYPE, "code", code, state(key, TYPE));

        r.then().statusCode(400);
        assertThat(r.asString()).contains("page " + refused).contains("(#200)");
        assertThat(connections(key).jsonPath().getList("items")).isEmpty();
        assertThat(store.findByRoute(ProviderType.META_LEAD_ADS, ok)).isEmpty();
    }

    @Test
    void an_expired_long_lived_exchange_token_is_refused() {
        String key = newAccountKey();
        String code = newCode();
        Fakes.server().stubFor(get(urlPathEqualTo(TOKEN)).withQueryParam("code", equalTo(code)).willReturn(json(200,
                "{\"access_token\":\"EAAshort-expired\",\"token_type\":\"bearer\",\"expires_in\":5183}")));
        Fakes.server().stubFor(get(urlPathEqualTo(TOKEN)).withQueryParam("fb_exchange_token",
                equalTo("EAAshort-expired")).willReturn(json(400, graphError(190, "OAuthException",
                        "Error validating access token: Session has expired.", ",\"error_subcode\":463"))));

        Response r = callback(TYPE, "code", code, state(key, TYPE));

        r.then().statusCode(400);
        assertThat(r.asString()).contains("Session has expired").doesNotContain("EAAshort-expired");
        assertThat(connections(key).jsonPath().getList("items")).isEmpty();
    }
}
