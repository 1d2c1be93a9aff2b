package com.leadsync.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.store.ConnectionStore;
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
 * Contract §5: a connection is stored only once its token is shown to reach its {@code externalId} (Meta:
 * {@code GET /{page-id}?fields=id,name} with the page token), so no account can claim another's page and
 * only a caller who proved access learns that a page is already connected.
 */
@QuarkusTest
class ConnectionVerificationTest {

    @Inject
    ConnectionStore connections;

    private static List<LoggedRequest> pageLookups(String pageId) {
        return Fakes.server().findAll(getRequestedFor(urlPathEqualTo("/" + Scenario.GRAPH_VERSION + "/" + pageId))
                .withQueryParam("fields", equalTo("id,name")));
    }

    private static String connectionId(String apiKey) {
        return as(apiKey).get("/connections").then().statusCode(200).extract().path("items[0].id");
    }

    @Test
    void a_page_is_connected_after_the_graph_api_answers_it_for_that_token() {
        Scenario s = Scenario.withMetaPage();

        List<LoggedRequest> lookups = pageLookups(s.pageId);
        assertThat(lookups).hasSize(1);
        assertThat(lookups.get(0).getHeader("Authorization")).isEqualTo("Bearer " + s.pageToken);
        assertThat(lookups.get(0).getUrl()).doesNotContain(s.pageToken);
    }

    @Test
    void a_token_the_graph_api_does_not_accept_is_refused_and_nothing_is_stored() {
        Scenario s = Scenario.withMetaPage();
        String pageId = Scenario.newPageId();

        JsonNode error = assertError(Scenario.connectPage(s.apiKey, pageId, "EAAB-expired-" + UUID.randomUUID()),
                422, "invalid");

        assertThat(error.get("message").asText()).contains("does not reach").contains(pageId).contains("190");
        assertThat(as(s.apiKey).get("/connections").jsonPath().getList("items.externalId")).containsExactly(s.pageId);
        assertThat(connections.findByRoute(ProviderType.META_LEAD_ADS, pageId)).isEmpty();
    }

    @Test
    void a_squatter_without_the_pages_token_is_refused_and_not_told_the_page_is_connected() {
        Scenario owner = Scenario.withMetaPage();
        Scenario squatter = Scenario.withMetaPage();

        // A token of the squatter's own page, and a token Meta does not know: neither reaches the owner's page.
        for (String token : List.of(squatter.pageToken, "EAAB-made-up-" + UUID.randomUUID())) {
            JsonNode error = assertError(Scenario.connectPage(squatter.apiKey, owner.pageId, token), 422, "invalid");
            assertThat(error.get("message").asText()).doesNotContainIgnoringCase("already")
                    .doesNotContainIgnoringCase("connected").doesNotContain(token);
        }

        assertThat(connections.findByRoute(ProviderType.META_LEAD_ADS, owner.pageId)).get()
                .extracting(Connection::accountId, Connection::accessToken)
                .containsExactly(owner.accountId, owner.pageToken);
    }

    @Test
    void the_graph_api_unreachable_is_503_and_nothing_is_stored() {
        Scenario s = Scenario.withMetaPage();
        String pageId = Scenario.newPageId();
        String token = Scenario.newPageToken(pageId);
        Fakes.server().stubFor(get(urlPathEqualTo("/" + Scenario.GRAPH_VERSION + "/" + pageId)).atPriority(1)
                .willReturn(aResponse().withStatus(500).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"An unexpected error has occurred. Please retry your"
                                + " request later.\",\"type\":\"OAuthException\",\"is_transient\":true,\"code\":2,"
                                + "\"fbtrace_id\":\"AfakeTrace2\"}}")));

        assertError(Scenario.connectPage(s.apiKey, pageId, token), 503, "unavailable");

        assertThat(connections.findByRoute(ProviderType.META_LEAD_ADS, pageId)).isEmpty();
    }

    @Test
    void an_external_id_that_is_no_page_id_is_422_naming_the_field_and_never_reaches_the_graph_api() {
        Scenario s = Scenario.withMetaPage();
        String huge = "1".repeat(5000);

        for (String externalId : List.of(huge, "my-page", "12 34", "-1")) {
            JsonNode error = assertError(Scenario.connectPage(s.apiKey, externalId, s.pageToken), 422, "invalid");
            assertThat(error.get("message").asText()).contains("externalId");
        }
        assertThat(pageLookups(huge)).isEmpty();
    }

    @Test
    void a_token_too_long_to_be_one_is_422_naming_the_field_and_never_reaches_the_graph_api() {
        Scenario s = Scenario.withMetaPage();
        String pageId = Scenario.newPageId();
        String huge = "EAAB" + "x".repeat(20_000);
        Fakes.grantPage(pageId, huge);

        JsonNode error = assertError(Scenario.connectPage(s.apiKey, pageId, huge), 422, "invalid");

        assertThat(error.get("message").asText()).contains("accessToken");
        assertThat(pageLookups(pageId)).isEmpty();
        assertError(asJson(s.apiKey, Map.of("accessToken", s.pageToken, "refreshToken", huge))
                .put("/connections/" + connectionId(s.apiKey)), 422);
    }

    // --- PUT /connections/{id}: token rotation -----------------------------------------------------------

    @Test
    void put_replaces_the_tokens_in_place_once_the_new_token_is_shown_to_reach_the_page() {
        Scenario s = Scenario.withMetaPage();
        String id = connectionId(s.apiKey);
        String rotated = Scenario.newPageToken(s.pageId);

        Response r = asJson(s.apiKey, Map.of("accessToken", rotated, "refreshToken", "r-" + UUID.randomUUID(),
                "expiresAt", "2027-01-01T00:00:00Z")).put("/connections/" + id);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("id")).isEqualTo(id);
        assertThat(r.jsonPath().getString("expiresAt")).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(r.jsonPath().getBoolean("hasRefreshToken")).isTrue();
        assertThat(r.asString()).doesNotContain(rotated);
        Connection stored = connections.findByRoute(ProviderType.META_LEAD_ADS, s.pageId).orElseThrow();
        assertThat(stored.connectionId()).isEqualTo(id);
        assertThat(stored.accessToken()).isEqualTo(rotated);
        assertThat(pageLookups(s.pageId).stream().map(l -> l.getHeader("Authorization")))
                .contains("Bearer " + rotated);
    }

    @Test
    void put_with_a_token_that_does_not_reach_the_page_changes_nothing() {
        Scenario s = Scenario.withMetaPage();
        Scenario other = Scenario.withMetaPage();
        String id = connectionId(s.apiKey);

        assertError(asJson(s.apiKey, Map.of("accessToken", other.pageToken)).put("/connections/" + id), 422);
        assertError(asJson(s.apiKey, Map.of("refreshToken", "only")).put("/connections/" + id), 422);
        assertError(asJson(s.apiKey, Map.of("accessToken", s.pageToken, "expiresAt", "soon"))
                .put("/connections/" + id), 422);

        assertThat(connections.findByRoute(ProviderType.META_LEAD_ADS, s.pageId).orElseThrow().accessToken())
                .isEqualTo(s.pageToken);
    }

    @Test
    void put_on_another_accounts_connection_is_not_found_and_changes_nothing() {
        Scenario a = Scenario.withMetaPage();
        Scenario b = Scenario.withMetaPage();
        String id = connectionId(a.apiKey);

        assertError(asJson(b.apiKey, Map.of("accessToken", Scenario.newPageToken(a.pageId)))
                .put("/connections/" + id), 404, "not_found");
        assertError(asJson(b.apiKey, Map.of("accessToken", b.pageToken)).put("/connections/con_nope"), 404);

        Connection stored = connections.findByRoute(ProviderType.META_LEAD_ADS, a.pageId).orElseThrow();
        assertThat(stored.accountId()).isEqualTo(a.accountId);
        assertThat(stored.accessToken()).isEqualTo(a.pageToken);
    }
}
