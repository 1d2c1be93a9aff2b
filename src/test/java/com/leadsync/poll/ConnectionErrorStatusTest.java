package com.leadsync.poll;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.poll.PollTests.awaitPolled;
import static com.leadsync.poll.PollTests.connectionId;
import static com.leadsync.poll.PollTests.lead;
import static com.leadsync.poll.PollTests.leadId;
import static com.leadsync.poll.PollTests.sync;
import static com.leadsync.poll.PollTests.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.leadsync.connect.CredentialRepository;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.store.ConnectionStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.GoogleAdsFake;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Contract §5's {@code status: error}: a poll that fails for a reason a person must look at, and that is not a
 * dead grant (a permission removed, the account gone, a refused request), marks its connection {@code error} with
 * the reason; the connection is still polled, and the next poll that completes, or new tokens, make it
 * {@code active} again. Rate limits and transient failures never mark it.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class ConnectionErrorStatusTest {

    @Inject
    PollStates states;
    @Inject
    ConnectionStore connections;
    @Inject
    CredentialRepository<Connection> grants;

    /** Graph's answer when the token lacks a permission (providers.md §1.6: code 200, "Requires leads_retrieval"). */
    private static StubMapping refuseForms(Scenario s) {
        return Fakes.server().stubFor(get(urlPathEqualTo("/" + Scenario.GRAPH_VERSION + "/" + s.pageId
                + "/leadgen_forms")).atPriority(1).willReturn(aResponse().withStatus(400)
                .withHeader("content-type", "application/json")
                .withBody("{\"error\":{\"message\":\"(#200) Requires leads_retrieval permission to manage the"
                        + " object\",\"type\":\"OAuthException\",\"code\":200,\"fbtrace_id\":\"AfakePerm200\"}}")));
    }

    @Test
    void a_poll_refused_for_a_missing_permission_marks_the_connection_error_until_a_poll_works_again() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        StubMapping refused = refuseForms(s);

        sync(s, connectionId);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("failed"));
        JsonPath failed = view(s, connectionId);
        assertThat(failed.getString("status")).isEqualTo("error");
        assertThat(failed.getString("statusReason")).contains("permission").contains("code 200")
                .contains("Requires leads_retrieval permission");
        assertThat(failed.getString("lastPollError")).contains("code 200");
        Map<String, Object> listed = Scenario.given().header("x-api-key", s.apiKey).get("/connections").jsonPath()
                .getMap("items.find { it.id == '" + connectionId + "' }");
        assertThat(listed).containsEntry("status", "error").containsEntry("statusReason",
                failed.getString("statusReason"));

        // Granted again on Meta's side: an error connection is still polled, and the poll that works heals it.
        Fakes.server().removeStub(refused);
        String form = s.pageId + "01";
        String leadgenId = Scenario.newLeadgenId();
        MetaListingFake.of(s).forms(5, form).leads(form, 5, lead(leadgenId, form));
        sync(s, connectionId);

        awaitPolled(s, connectionId);
        JsonPath healed = view(s, connectionId);
        assertThat(healed.getString("status")).isEqualTo("active");
        assertThat(healed.getMap("")).doesNotContainKey("statusReason");
        assertThat(healed.getString("lastPollError")).isNull();
        await().atMost(Duration.ofSeconds(20)).until(() -> s.getLead(leadId(s, leadgenId)).statusCode() == 200);
    }

    @Test
    void a_google_customer_the_user_may_no_longer_see_marks_the_connection_error_until_new_tokens_are_put() {
        Scenario s = Scenario.withMetaPage();
        String customerId = GoogleAdsFake.newCustomerId();
        GoogleAdsFake.connect(s.apiKey, customerId, GoogleAdsFake.newAccessToken(customerId),
                Map.of(Connection.WEBHOOK_KEY, GoogleAdsFake.newWebhookKey())).then().statusCode(201);
        String connectionId = Scenario.given().header("x-api-key", s.apiKey).get("/connections").then()
                .statusCode(200).extract().jsonPath().getString("items.find { it.externalId == '" + customerId
                        + "' }.id");
        // providers.md §2.6: AuthorizationError USER_PERMISSION_DENIED, HTTP 403 PERMISSION_DENIED.
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.searchPath(customerId))).atPriority(1)
                .withRequestBody(containing("lead_form_submission_data"))
                .willReturn(GoogleAdsFake.json(403, GoogleAdsFake.error(403, "PERMISSION_DENIED",
                        "authorizationError", "USER_PERMISSION_DENIED",
                        "User doesn't have permission to access customer.", null))));

        sync(s, connectionId);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("failed"));
        assertThat(view(s, connectionId).getString("status")).isEqualTo("error");
        assertThat(view(s, connectionId).getString("statusReason")).contains("USER_PERMISSION_DENIED");

        String token = GoogleAdsFake.newAccessToken(customerId);
        Response put = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("accessToken", token, "refreshToken", "1//test-refresh-" + customerId,
                        "expiresAt", "2099-01-01T00:00:00Z"))
                .put("/connections/" + connectionId);

        assertThat(put.statusCode()).as(put.asString()).isEqualTo(200);
        assertThat(put.jsonPath().getString("status")).isEqualTo("active");
        assertThat(view(s, connectionId).getString("status")).isEqualTo("active");
        assertThat(view(s, connectionId).getMap("")).doesNotContainKey("statusReason");
    }

    @Test
    void transient_failures_that_fail_the_poll_leave_the_connection_active() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        String form = s.pageId + "01";
        MetaListingFake.of(s).forms(5, form).leads(form, 5, lead(Scenario.newLeadgenId(), form)).outage(form, 0, 0);

        sync(s, connectionId);

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(view(s, connectionId).getString("lastPollStatus")).isEqualTo("failed"));
        assertThat(view(s, connectionId).getString("lastPollError")).contains("transient failures in a row");
        assertThat(view(s, connectionId).getString("status")).isEqualTo("active");
        assertThat(view(s, connectionId).getMap("")).doesNotContainKey("statusReason");
    }

    @Test
    void an_error_never_overwrites_a_dead_grant_found_meanwhile_nor_tokens_put_since_the_failed_poll() {
        Scenario s = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        String route = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);
        Connection page = connections.findByRoute(ProviderType.META_LEAD_ADS, s.pageId).orElseThrow();
        long failedWith = grants.read(page).orElseThrow().tokenVersion();

        // A webhook's fetch found the grant dead while the poll failed: needs_reauth stands.
        assertThat(grants.markNeedsReauth(page, failedWith, "the provider rejected the access token")).isTrue();
        assertThat(states.markError(route, connectionId, failedWith, "polling failed: code 200")).isFalse();
        states.clearError(route, connectionId);
        assertThat(view(s, connectionId).getString("status")).isEqualTo("needs_reauth");

        // New tokens were put after the poll failed with the old ones: active stands.
        Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("accessToken", Scenario.newPageToken(s.pageId))).put("/connections/" + connectionId)
                .then().statusCode(200);
        assertThat(states.markError(route, connectionId, failedWith, "polling failed: code 200")).isFalse();
        assertThat(view(s, connectionId).getString("status")).isEqualTo("active");

        // Failed with the tokens stored now: error, until a poll completes.
        long current = grants.read(page).orElseThrow().tokenVersion();
        assertThat(states.markError(route, connectionId, current, "polling failed: code 200")).isTrue();
        assertThat(view(s, connectionId).getString("status")).isEqualTo("error");
        assertThat(view(s, connectionId).getString("statusReason")).isEqualTo("polling failed: code 200");
        states.clearError(route, connectionId);
        assertThat(view(s, connectionId).getString("status")).isEqualTo("active");
        assertThat(view(s, connectionId).getMap("")).doesNotContainKey("statusReason");
    }
}
