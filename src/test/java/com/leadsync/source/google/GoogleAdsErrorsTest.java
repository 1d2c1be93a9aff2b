package com.leadsync.source.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.ProviderCallException.Kind;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Google Ads REST error bodies (providers.md §2.6 shape; codes from the googleads error protos) → what to do. */
class GoogleAdsErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A REST error as the Ads API sends it: the rpc status plus one GoogleAdsFailure with one error. */
    static String adsError(int code, String status, String errorType, String errorCode, String details) {
        return """
                {"error":{"code":%d,"message":"Request contains an invalid argument.","status":"%s",
                 "details":[{"@type":"type.googleapis.com/google.ads.googleads.v23.errors.GoogleAdsFailure",
                  "errors":[{"errorCode":{"%s":"%s"},"message":"Google says no: %s"%s}],
                  "requestId":"xN_KaZRHZuU6Rlgt3cM2uQ"}]}}"""
                .formatted(code, status, errorType, errorCode, errorCode, details == null ? "" : ",\"details\":" + details);
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @ParameterizedTest(name = "{0} {1} {2}.{3} -> {4}")
    @CsvSource({
        "429, RESOURCE_EXHAUSTED, quotaError, RESOURCE_EXHAUSTED, THROTTLED",
        "429, RESOURCE_EXHAUSTED, quotaError, RESOURCE_TEMPORARILY_EXHAUSTED, THROTTLED",
        "400, INVALID_ARGUMENT, quotaError, EXCESSIVE_SHORT_TERM_QUERY_RESOURCE_CONSUMPTION, THROTTLED",
        "401, UNAUTHENTICATED, authenticationError, OAUTH_TOKEN_EXPIRED, UNAUTHORIZED",
        "401, UNAUTHENTICATED, authenticationError, OAUTH_TOKEN_INVALID, UNAUTHORIZED",
        "401, UNAUTHENTICATED, authenticationError, OAUTH_TOKEN_REVOKED, UNAUTHORIZED",
        "401, UNAUTHENTICATED, authenticationError, OAUTH_TOKEN_DISABLED, UNAUTHORIZED",
        "401, UNAUTHENTICATED, authenticationError, NOT_ADS_USER, FORBIDDEN",
        "400, INVALID_ARGUMENT, authenticationError, CUSTOMER_NOT_FOUND, NOT_FOUND",
        "403, PERMISSION_DENIED, authorizationError, USER_PERMISSION_DENIED, FORBIDDEN",
        "403, PERMISSION_DENIED, authorizationError, DEVELOPER_TOKEN_NOT_APPROVED, FORBIDDEN",
        "403, PERMISSION_DENIED, authorizationError, CUSTOMER_NOT_ENABLED, FORBIDDEN",
        "403, PERMISSION_DENIED, authorizationError, CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION, FORBIDDEN",
        "500, INTERNAL, internalError, INTERNAL_ERROR, TRANSIENT",
        "503, UNAVAILABLE, internalError, TRANSIENT_ERROR, TRANSIENT",
        "400, INVALID_ARGUMENT, queryError, UNRECOGNIZED_FIELD, INVALID",
        "400, INVALID_ARGUMENT, requestError, EXPIRED_PAGE_TOKEN, INVALID",
        "400, INVALID_ARGUMENT, requestError, PAGE_SIZE_NOT_SUPPORTED, INVALID",
        "400, INVALID_ARGUMENT, requestError, UNSUPPORTED_VERSION, INVALID",
        "404, NOT_FOUND, requestError, RESOURCE_NOT_FOUND, NOT_FOUND"})
    void ads_error_codes_decide_the_kind(int http, String status, String type, String code, Kind kind) throws IOException {
        GoogleAdsFailure failure = GoogleAdsErrors.classify(http, json(adsError(http, status, type, code, null)), "a test");

        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.has(type + "." + code)).isTrue();
        assertThat(failure.getMessage()).contains("Google Ads API " + http).contains(status).contains(type + "." + code)
                .contains("Google says no").contains("xN_KaZRHZuU6Rlgt3cM2uQ").contains("during a test");
    }

    @Test
    void the_quota_retry_delay_is_the_wait() throws IOException {
        // The shape of a real basic-access daily quota answer.
        GoogleAdsFailure failure = GoogleAdsErrors.classify(429, json(adsError(429, "RESOURCE_EXHAUSTED", "quotaError",
                "RESOURCE_EXHAUSTED", """
                        {"quotaErrorDetails":{"rateScope":"DEVELOPER","rateName":"Number of operations for basic access",\
                        "retryDelay":"40591s"}}""")), "lead listing");

        assertThat(failure.kind()).isEqualTo(Kind.THROTTLED);
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(40591));
    }

    @Test
    void a_fractional_delay_is_kept_and_a_huge_one_is_capped_at_a_day() throws IOException {
        assertThat(GoogleAdsErrors.classify(429, json(adsError(429, "RESOURCE_EXHAUSTED", "quotaError",
                "RESOURCE_TEMPORARILY_EXHAUSTED", "{\"quotaErrorDetails\":{\"retryDelay\":\"1.500s\"}}")), "x")
                .retryAfter()).contains(Duration.ofMillis(1500));
        assertThat(GoogleAdsErrors.classify(429, json(adsError(429, "RESOURCE_EXHAUSTED", "quotaError",
                "RESOURCE_EXHAUSTED", "{\"quotaErrorDetails\":{\"retryDelay\":\"999999999999s\"}}")), "x")
                .retryAfter()).contains(Duration.ofDays(1));
    }

    @Test
    void quota_exhaustion_without_a_delay_is_throttled_with_no_wait_given() throws IOException {
        GoogleAdsFailure failure = GoogleAdsErrors.classify(429, json(adsError(429, "RESOURCE_EXHAUSTED", "quotaError",
                "RESOURCE_EXHAUSTED", null)), "x");
        assertThat(failure.kind()).isEqualTo(Kind.THROTTLED);
        assertThat(failure.retryAfter()).isEmpty();
        assertThat(failure.isTransient()).isTrue();
    }

    @Test
    void a_google_front_end_error_without_ads_details_is_classified_by_its_status() throws IOException {
        // What Google's front end answers for a missing or expired access token, before the Ads API sees it.
        String body = """
                {"error":{"code":401,"message":"Request is missing required authentication credential. Expected OAuth 2\
                 access token, login cookie or other valid authentication credential.","status":"UNAUTHENTICATED",\
                "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"CREDENTIALS_MISSING",\
                "domain":"googleapis.com"}]}}""";
        GoogleAdsFailure failure = GoogleAdsErrors.classify(401, json(body), "x");
        assertThat(failure.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("missing required authentication credential");
    }

    @Test
    void a_generic_retry_info_delay_counts_too() throws IOException {
        String body = """
                {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).",\
                "status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo",\
                "retryDelay":"58s"}]}}""";
        assertThat(GoogleAdsErrors.classify(429, json(body), "x").retryAfter()).contains(Duration.ofSeconds(58));
    }

    @ParameterizedTest(name = "HTTP {0} without a body -> {1}")
    @CsvSource({"500, TRANSIENT", "502, TRANSIENT", "503, TRANSIENT", "429, THROTTLED", "401, UNAUTHORIZED",
        "403, FORBIDDEN", "404, NOT_FOUND", "400, INVALID"})
    void an_answer_without_a_readable_body_is_classified_by_its_http_status(int http, Kind kind) {
        assertThat(GoogleAdsErrors.classify(http, null, "x").kind()).isEqualTo(kind);
        assertThat(GoogleAdsErrors.classify(http, JSON.createObjectNode(), "x").kind()).isEqualTo(kind);
    }

    @Test
    void the_message_stays_short() throws IOException {
        String huge = adsError(400, "INVALID_ARGUMENT", "queryError", "UNRECOGNIZED_FIELD", null)
                .replace("Google says no", "x".repeat(5000));
        assertThat(GoogleAdsErrors.classify(400, json(huge), "x").getMessage()).hasSizeLessThanOrEqualTo(501);
    }
}
