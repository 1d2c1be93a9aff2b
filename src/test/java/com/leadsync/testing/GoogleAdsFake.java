package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.UrlPathPattern;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Google Ads API and Google's OAuth token endpoint on the shared WireMock server, under their own path
 * prefixes ({@code %test} config points {@code google-ads} and {@code google-oauth} there), speaking the shapes
 * of providers.md §2 (error bodies included). The customer check answers tokens granted with
 * {@link #grantCustomer}; any other token gets Google's 401 UNAUTHENTICATED.
 */
public final class GoogleAdsFake {

    public static final String ADS = "/google-ads";
    public static final String OAUTH_TOKEN = "/google-oauth/token";
    public static final String VERSION = "v23";
    public static final String DEVELOPER_TOKEN = "test-google-developer-token";
    public static final String CLIENT_ID = "test-google-client-id.apps.googleusercontent.com";
    public static final String CLIENT_SECRET = "test-google-client-secret";
    public static final String CUSTOMER_QUERY = "SELECT customer.id FROM customer";
    /** The click id of the fake's leads unless a test names one. */
    public static final String GCLID = "EAIaIQobChMI0000000000000000000000000";

    private static boolean installed;

    private GoogleAdsFake() {
    }

    public static String searchPath(String customerId) {
        return ADS + "/" + VERSION + "/customers/" + customerId + "/googleAds:search";
    }

    /** Below every test's stubs: a token the fake was not told about is refused as Google refuses it. */
    private static synchronized void install() {
        if (installed) {
            return;
        }
        Fakes.server().stubFor(post(urlPathMatching(ADS + "/.*")).atPriority(9).willReturn(json(401, error(401,
                "UNAUTHENTICATED", "authenticationError", "OAUTH_TOKEN_INVALID", "Oauth token is invalid.", null))));
        installed = true;
    }

    /**
     * From now on the customer check with {@code token} answers {@code customerId}; with the same token on any
     * other customer it answers USER_PERMISSION_DENIED, as Google does for a customer the user cannot see.
     */
    public static void grantCustomer(String customerId, String token) {
        install();
        Fakes.server().stubFor(customerCheck(urlPathEqualTo(searchPath(customerId)), token).atPriority(3)
                .willReturn(json(200, customerAnswer(customerId))));
        Fakes.server().stubFor(customerCheck(urlPathMatching(ADS + "/v[0-9]+/customers/[0-9]+/googleAds:search"), token)
                .atPriority(4).willReturn(json(403, error(403, "PERMISSION_DENIED", "authorizationError",
                        "USER_PERMISSION_DENIED", "User doesn't have permission to access customer.", null))));
    }

    private static MappingBuilder customerCheck(UrlPathPattern path, String token) {
        return post(path).withHeader("Authorization", equalTo("Bearer " + token))
                .withRequestBody(matchingJsonPath("$.query", equalTo(CUSTOMER_QUERY)));
    }

    public static String newCustomerId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 10_000_000_000L));
    }

    /** A new access token the fake knows for that customer. */
    public static String newAccessToken(String customerId) {
        String token = "ya29.test-" + UUID.randomUUID();
        grantCustomer(customerId, token);
        return token;
    }

    public static String newWebhookKey() {
        return "gk-" + UUID.randomUUID();
    }

    /** {@code POST /connections} of a Google Ads customer as the account of {@code apiKey}. */
    public static Response connect(String apiKey, String customerId, String token, Map<String, String> config) {
        Map<String, Object> body = new HashMap<>(Map.of("providerType", "google_ads", "externalId", customerId,
                "accessToken", token, "refreshToken", "1//test-refresh-" + customerId,
                "expiresAt", "2099-01-01T00:00:00Z"));
        if (config != null) {
            body.put("config", config);
        }
        return Scenario.given().header("x-api-key", apiKey).contentType(ContentType.JSON).body(body)
                .post("/connections");
    }

    public static List<LoggedRequest> searches(String customerId) {
        return Fakes.server().findAll(postRequestedFor(urlPathEqualTo(searchPath(customerId))));
    }

    public static List<LoggedRequest> tokenRequests() {
        return Fakes.server().findAll(postRequestedFor(urlPathEqualTo(OAUTH_TOKEN)));
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("content-type", "application/json; charset=UTF-8")
                .withBody(body);
    }

    /** {@code googleAds:search} for the customer check: the customer's own id (int64 as a string). */
    public static String customerAnswer(String customerId) {
        return """
                {"results":[{"customer":{"resourceName":"customers/%s","id":"%s"}}],\
                "fieldMask":"customer.id","requestId":"fake-request-customer"}""".formatted(customerId, customerId);
    }

    /** A REST error (providers.md §2.6): rpc status plus one GoogleAdsFailure error. */
    public static String error(int code, String status, String errorType, String errorCode, String message,
            String details) {
        return """
                {"error":{"code":%d,"message":"%s","status":"%s","details":[{\
                "@type":"type.googleapis.com/google.ads.googleads.%s.errors.GoogleAdsFailure",\
                "errors":[{"errorCode":{"%s":"%s"},"message":"%s"%s}],"requestId":"fake-request-%s"}]}}"""
                .formatted(code, status.equals("UNAUTHENTICATED") ? "Request had invalid authentication credentials."
                        : "Request contains an invalid argument.", status, VERSION, errorType, errorCode, message,
                        details == null ? "" : ",\"details\":" + details, errorCode.toLowerCase());
    }

    /** One page of {@code googleAds:search} over lead_form_submission_data; no token on the last page. */
    public static String leadPage(String nextPageToken, String... rows) {
        return "{\"results\":[" + String.join(",", rows) + "]"
                + (nextPageToken == null ? "" : ",\"nextPageToken\":\"" + nextPageToken + "\"")
                + ",\"fieldMask\":\"leadFormSubmissionData.resourceName,leadFormSubmissionData.id,"
                + "leadFormSubmissionData.asset,leadFormSubmissionData.submissionDateTime\","
                + "\"requestId\":\"fake-request-leads\"}";
    }

    /** One search row, in the REST response's camelCase with ids and enums as strings. */
    public static String leadRow(String customerId, String id, String submissionDateTime, String email) {
        return leadRow(customerId, id, submissionDateTime, email, GCLID);
    }

    /** The same with that click id ({@code gclid}). */
    public static String leadRow(String customerId, String id, String submissionDateTime, String email,
            String gclid) {
        return """
                {"leadFormSubmissionData":{"resourceName":"customers/%1$s/leadFormSubmissionData/%2$s","id":"%2$s",\
                "asset":"customers/%1$s/assets/246813579","campaign":"customers/%1$s/campaigns/111222333",\
                "adGroup":"customers/%1$s/adGroups/444555666","adGroupAd":"customers/%1$s/adGroupAds/444555666~777888999",\
                "gclid":"%5$s","submissionDateTime":"%3$s",\
                "leadFormSubmissionFields":[{"fieldType":"FULL_NAME","fieldValue":"Jane Doe"},\
                {"fieldType":"EMAIL","fieldValue":"%4$s"},{"fieldType":"POSTAL_CODE","fieldValue":"94105"}],\
                "customLeadFormSubmissionFields":[{"questionText":"What is your monthly budget?","fieldValue":"$5k-$10k"}]}}"""
                .formatted(customerId, id, submissionDateTime, email, gclid);
    }

    /** A {@code WebhookLead} as Google POSTs it (providers.md §2.1), ids as JSON numbers. */
    public static String webhookLead(String googleKey, String leadId, String email, boolean isTest) {
        return webhookLead(googleKey, leadId, email, isTest, GCLID, "2026-03-07T14:30:00Z");
    }

    /** The same with that click id ({@code gcl_id}) and submission time ({@code lead_submit_time}). */
    public static String webhookLead(String googleKey, String leadId, String email, boolean isTest, String gclid,
            String submitTime) {
        return """
                {"lead_id":"%s","user_column_data":[\
                {"column_name":"Full Name","string_value":"  Jane   Doe ","column_id":"FULL_NAME"},\
                {"column_name":"User Email","string_value":"%s","column_id":"EMAIL"},\
                {"column_name":"User Phone","string_value":"(415) 555-0123","column_id":"PHONE_NUMBER"},\
                {"column_name":"Company Name","string_value":"Acme Inc","column_id":"COMPANY_NAME"},\
                {"column_name":"Postal Code","string_value":"94105","column_id":"POSTAL_CODE"},\
                {"column_name":"What is your monthly budget?","string_value":"$5k-$10k","column_id":"QUESTION_1"}],\
                "api_version":"1.0","form_id":40000000000,"campaign_id":50000000000,"google_key":"%s",\
                "is_test":%s,"gcl_id":"%s","adgroup_id":20000000000,\
                "creative_id":30000000000,"asset_group_id":0,"lead_stage":"","lead_submit_time":"%s"}"""
                .formatted(leadId, email, googleKey, isTest, gclid, submitTime);
    }

    public static String newLeadId() {
        return "TeSter-" + UUID.randomUUID();
    }

    /** The token endpoint's answers (providers.md §2.4). */
    public static String tokenAnswer(String accessToken) {
        return """
                {"access_token":"%s","expires_in":3599,"scope":"https://www.googleapis.com/auth/adwords",\
                "token_type":"Bearer"}""".formatted(accessToken);
    }

    public static String invalidGrant() {
        return "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}";
    }
}
