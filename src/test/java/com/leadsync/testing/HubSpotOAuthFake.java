package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * HubSpot's OAuth token endpoint and its contacts API as an OAuth app sees them (crm.md §A.1), on the shared WireMock
 * server: the token endpoint under {@code /hubspot-oauth} ({@code %test.quarkus.rest-client.hubspot-oauth.url}),
 * the contacts batch upsert at the API root as {@link Scenario} serves it, answered per bearer token.
 */
public final class HubSpotOAuthFake {

    public static final String TOKEN = "/hubspot-oauth/oauth/v1/token";
    public static final String CLIENT_ID = "test-hubspot-client-id";
    public static final String CLIENT_SECRET = "test-hubspot-client-secret";

    private HubSpotOAuthFake() {
    }

    /** Tokens and a portal of one grant, unique per test (the fake is shared). */
    public record Grant(String code, String accessToken, String refreshToken, long hubId) {
        public static Grant fresh(long hubId) {
            String id = UUID.randomUUID().toString();
            return new Grant("code-" + id, "CJSP-at-" + id, "na1-rt-" + id, hubId);
        }

        public static long newHubId() {
            return 10_000_000L + (long) (Math.random() * 80_000_000L);
        }
    }

    /** HubSpot exchanges the grant's code and names its portal. */
    public static void exchanges(Grant g) {
        Fakes.server().stubFor(post(urlPathEqualTo(TOKEN)).withFormParam("code", equalTo(g.code()))
                .willReturn(json(200, tokenAnswer(g.accessToken(), g.refreshToken(), 1800))));
        Fakes.server().stubFor(get(urlPathEqualTo("/hubspot-oauth/oauth/v1/access-tokens/" + g.accessToken()))
                .willReturn(json(200, """
                        {"token":"%s","user":"jane@acme.test","hub_domain":"acme-%d.hubspot.com",
                         "scopes":["oauth","crm.objects.contacts.read","crm.objects.contacts.write",
                         "crm.schemas.contacts.read"],"hub_id":%d,"app_id":456789,"expires_in":1799,
                         "user_id":123,"token_type":"access"}""".formatted(g.accessToken(), g.hubId(), g.hubId()))));
    }

    /** HubSpot's answer to a refresh: the refresh token comes back with it, rotated or not. */
    public static String tokenAnswer(String accessToken, String refreshToken, long expiresIn) {
        return """
                {"token_type":"bearer","refresh_token":"%s","access_token":"%s","expires_in":%d}"""
                .formatted(refreshToken, accessToken, expiresIn);
    }

    /** A revoked or uninstalled grant (crm.md §A.1). */
    public static String badHub() {
        return """
                {"status":"BAD_HUB","message":"The app was uninstalled from this HubSpot account",\
                "error":"access_denied","correlationId":"3d8a1f52-4b7e-4c55-9e3a-6f0b2d1c9a01"}""";
    }

    /** OAuth's dead-grant answer. */
    public static String invalidGrant() {
        return """
                {"status":"error","error":"invalid_grant","error_description":"refresh token is invalid, expired or \
                revoked","correlationId":"8e2c4b1a-7d3f-4a9e-b6c5-1f0e9d8c7b62"}""";
    }

    /** HubSpot's 401 for an access token past its 30 minutes. */
    public static String expiredToken() {
        return """
                {"status":"error","message":"The OAuth token used to make this call expired 2 minute(s) ago.",\
                "correlationId":"b7f3e2a1-9c4d-4e8f-a1b2-c3d4e5f60718","category":"EXPIRED_AUTHENTICATION"}""";
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=utf-8")
                .withBody(body);
    }

    /** The token endpoint answers a refresh with {@code refreshToken} this way. */
    public static void onRefresh(String refreshToken, ResponseDefinitionBuilder answer) {
        Fakes.server().stubFor(post(urlPathEqualTo(TOKEN)).withRequestBody(containing(formEncoded(refreshToken)))
                .willReturn(answer));
    }

    /** The contacts batch upsert answers requests bearing {@code accessToken} this way. */
    public static void onUpsert(String accessToken, ResponseDefinitionBuilder answer) {
        Fakes.server().stubFor(post(urlEqualTo(Scenario.HUBSPOT_UPSERT)).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + accessToken)).willReturn(answer));
    }

    public static ResponseDefinitionBuilder upserted() {
        return json(200, """
                {"status":"COMPLETE","results":[{"id":"512","new":true,"properties":{}}],\
                "startedAt":"2026-03-07T14:30:01Z","completedAt":"2026-03-07T14:30:01Z"}""");
    }

    /** Refresh requests made with {@code refreshToken}. */
    public static List<LoggedRequest> refreshes(String refreshToken) {
        return Fakes.server().findAll(postRequestedFor(urlPathEqualTo(TOKEN))
                .withRequestBody(containing(formEncoded(refreshToken))));
    }

    /** Upserts sent with {@code accessToken}. */
    public static List<LoggedRequest> upserts(String accessToken) {
        return Fakes.server().findAll(postRequestedFor(urlEqualTo(Scenario.HUBSPOT_UPSERT))
                .withHeader("Authorization", equalTo("Bearer " + accessToken)));
    }

    public static String formEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
