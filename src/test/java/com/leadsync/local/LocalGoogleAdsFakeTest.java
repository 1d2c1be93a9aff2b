package com.leadsync.local;

import com.leadsync.connect.oauth.OAuthStates;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline Google Ads API and OAuth endpoint: GAQL over the samples, paging, and Google's refusals (providers.md §2). */
class LocalGoogleAdsFakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant WRITTEN_AT = Instant.parse("2026-03-07T15:00:00Z");
    /** Ten days later: sample times are shown 240 h later. */
    private static final Instant START = WRITTEN_AT.plus(Duration.ofDays(10));
    private static final String CID = "9876543210";
    private static final String URL = "http://localhost/_local/google-ads/v23/customers/" + CID + "/googleAds:search";
    private static final String LEAD_FIELDS = "lead_form_submission_data.resource_name, lead_form_submission_data.id,"
            + " lead_form_submission_data.asset, lead_form_submission_data.campaign, lead_form_submission_data.ad_group,"
            + " lead_form_submission_data.ad_group_ad, lead_form_submission_data.gclid,"
            + " lead_form_submission_data.submission_date_time, lead_form_submission_data.lead_form_submission_fields,"
            + " lead_form_submission_data.custom_lead_form_submission_fields";

    @TempDir
    Path samples;
    private final MovableClock clock = new MovableClock(START);
    private LocalGoogleAdsFake google;

    @BeforeEach
    void samples() throws IOException {
        row("lead-a", "2026-03-07 06:00:00-05:00", "246813579");
        row("lead-b", "2026-03-07 08:00:00-05:00", "246813579");
        row("lead-c", "2026-03-07 09:30:00-05:00", "246813580");
        google = fake(10_000);
    }

    @Test
    void the_access_check_query_answers_the_asked_customer_for_a_known_token() throws IOException {
        JsonNode body = body(search("SELECT customer.id FROM customer", null, "local-google-token"));

        assertThat(body.path("results").toString()).isEqualTo(
                "[{\"customer\":{\"resourceName\":\"customers/" + CID + "\",\"id\":\"" + CID + "\"}}]");
        assertThat(body.path("fieldMask").asText()).isEqualTo("customer.id");
    }

    @Test
    void an_unknown_or_missing_token_is_unauthenticated_in_googles_error_shape() throws IOException {
        for (String token : new String[] {"someone-else", null}) {
            FakeReply reply = search("SELECT customer.id FROM customer", null, token);
            JsonNode error = body(reply).path("error");
            assertThat(reply.status()).isEqualTo(401);
            assertThat(error.path("code").asInt()).isEqualTo(401);
            assertThat(error.path("status").asText()).isEqualTo("UNAUTHENTICATED");
            JsonNode failure = error.path("details").get(0);
            assertThat(failure.path("@type").asText())
                    .isEqualTo("type.googleapis.com/google.ads.googleads.v23.errors.GoogleAdsFailure");
            assertThat(failure.path("errors").get(0).path("errorCode").path("authenticationError").asText())
                    .isEqualTo("OAUTH_TOKEN_INVALID");
            assertThat(failure.path("requestId").asText()).isNotEmpty();
        }
    }

    @Test
    void the_developer_token_the_customer_id_and_a_page_size_are_checked_as_google_does() throws IOException {
        String body = "{\"query\":\"SELECT customer.id FROM customer\"}";
        assertThat(errorCode(google.search("v23", CID, FakeRequest.posting(URL, body,
                "Authorization", "Bearer local-google-token")))).isEqualTo("DEVELOPER_TOKEN_PARAMETER_MISSING");
        FakeReply wrongDeveloperToken = google.search("v23", CID, FakeRequest.posting(URL, body,
                "Authorization", "Bearer local-google-token", "developer-token", "another-app"));
        assertThat(wrongDeveloperToken.status()).isEqualTo(403);
        assertThat(errorCode(wrongDeveloperToken)).isEqualTo("DEVELOPER_TOKEN_NOT_APPROVED");
        assertThat(errorCode(google.search("v23", "987-654-3210", request(body, "local-google-token"))))
                .isEqualTo("INVALID_CUSTOMER_ID");
        assertThat(errorCode(google.search("v23", CID, request(
                "{\"query\":\"SELECT customer.id FROM customer\",\"pageSize\":100}", "local-google-token"))))
                .isEqualTo("PAGE_SIZE_NOT_SUPPORTED");
    }

    @Test
    void lead_rows_are_the_customers_with_their_times_moved_and_written_in_its_time_zone() throws IOException {
        JsonNode body = body(search("SELECT " + LEAD_FIELDS + " FROM lead_form_submission_data"
                + " ORDER BY lead_form_submission_data.submission_date_time DESC", null, "local-google-token"));

        JsonNode first = body.path("results").get(0).path("leadFormSubmissionData");
        assertThat(body.path("results").findValuesAsText("id")).containsExactly("lead-c", "lead-b", "lead-a");
        assertThat(first.path("resourceName").asText()).isEqualTo("customers/" + CID + "/leadFormSubmissionData/lead-c");
        assertThat(first.path("asset").asText()).isEqualTo("customers/" + CID + "/assets/246813580");
        assertThat(first.path("submissionDateTime").asText()).isEqualTo("2026-03-17 10:30:00-04:00");
        assertThat(first.path("leadFormSubmissionFields").get(0).path("fieldType").asText()).isEqualTo("EMAIL");
        assertThat(body.has("nextPageToken")).isFalse();
    }

    @Test
    void submission_date_time_literals_are_read_in_the_customers_zone_and_select_the_window() throws IOException {
        // lead-b is shown at 2026-03-17 09:00:00-04:00 (moved 240 h, New York on summer time by then).
        String window = "SELECT lead_form_submission_data.id FROM lead_form_submission_data"
                + " WHERE lead_form_submission_data.submission_date_time >= '2026-03-17 09:00:00'"
                + " AND lead_form_submission_data.submission_date_time < '2026-03-17 10:30:00'";
        assertThat(ids(search(window, null, "local-google-token"))).containsExactly("lead-b");

        String byForm = "SELECT lead_form_submission_data.id FROM lead_form_submission_data"
                + " WHERE lead_form_submission_data.asset = 'customers/" + CID + "/assets/246813579'"
                + " ORDER BY lead_form_submission_data.id";
        assertThat(ids(search(byForm, null, "local-google-token"))).containsExactly("lead-a", "lead-b");
        assertThat(body(search("SELECT lead_form_submission_data.id FROM lead_form_submission_data WHERE"
                + " lead_form_submission_data.submission_date_time >= '2030-01-01 00:00:00'", null,
                "local-google-token")).has("results")).as("an empty page leaves results out, as proto3 JSON does")
                .isFalse();
    }

    @Test
    void pages_follow_next_page_token_for_the_same_query_only_and_tokens_expire() throws IOException {
        google = fake(2);
        String query = "SELECT lead_form_submission_data.id FROM lead_form_submission_data"
                + " ORDER BY lead_form_submission_data.submission_date_time ASC";
        JsonNode first = body(search(query, null, "local-google-token"));
        assertThat(first.path("results").findValuesAsText("id")).containsExactly("lead-a", "lead-b");
        String token = first.path("nextPageToken").asText();
        assertThat(token).isNotEmpty();

        JsonNode second = body(search(query, token, "local-google-token"));
        assertThat(second.path("results").findValuesAsText("id")).containsExactly("lead-c");
        assertThat(second.has("nextPageToken")).isFalse();

        assertThat(errorCode(search(query + " LIMIT 3", token, "local-google-token"))).isEqualTo("INVALID_PAGE_TOKEN");
        assertThat(errorCode(search(query, "bm90LWEtdG9rZW4", "local-google-token"))).isEqualTo("INVALID_PAGE_TOKEN");
        clock.advance(Duration.ofHours(2).plusSeconds(1));
        assertThat(errorCode(search(query, token, "local-google-token"))).isEqualTo("EXPIRED_PAGE_TOKEN");
    }

    @Test
    void queries_outside_the_served_gaql_are_refused_with_googles_query_errors() throws IOException {
        assertThat(errorCode(search("SELECT lead_form_submission_data.column_data FROM lead_form_submission_data",
                null, "local-google-token"))).isEqualTo("UNRECOGNIZED_FIELD");
        assertThat(errorCode(search("SELECT campaign.id FROM campaign", null, "local-google-token")))
                .isEqualTo("BAD_RESOURCE_TYPE_IN_FROM_CLAUSE");
        assertThat(errorCode(search("SELECT lead_form_submission_data.id FROM lead_form_submission_data WHERE"
                + " lead_form_submission_data.id = 'a' OR lead_form_submission_data.id = 'b'", null,
                "local-google-token"))).isEqualTo("BAD_SYMBOL");
        assertThat(errorCode(search("SELECT lead_form_submission_data.id FROM lead_form_submission_data WHERE"
                + " lead_form_submission_data.submission_date_time >= 'yesterday'", null, "local-google-token")))
                .isEqualTo("INVALID_DATE_FORMAT");
        assertThat(errorCode(search("lead_form_submission_data.id FROM lead_form_submission_data", null,
                "local-google-token"))).isEqualTo("EXPECTED_SELECT");
        assertThat(errorCode(search("SELECT lead_form_submission_data.id FROM lead_form_submission_data WHERE"
                + " lead_form_submission_data.lead_form_submission_fields = 'x'", null, "local-google-token")))
                .isEqualTo("PROHIBITED_FIELD_IN_WHERE_CLAUSE");
    }

    @Test
    void a_refresh_issues_an_hour_token_the_api_accepts_until_it_expires() throws IOException {
        FakeReply refreshed = google.token(form("refresh_token", "local-google-refresh-token", "local-client",
                "local-secret"));
        assertThat(refreshed.status()).isEqualTo(200);
        JsonNode tokens = body(refreshed);
        assertThat(tokens.path("expires_in").asInt()).isEqualTo(3599);
        assertThat(tokens.path("token_type").asText()).isEqualTo("Bearer");
        String accessToken = tokens.path("access_token").asText();

        assertThat(search("SELECT customer.id FROM customer", null, accessToken).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(3599));
        FakeReply expired = search("SELECT customer.id FROM customer", null, accessToken);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(body(expired).path("error").path("details").get(0).path("errors").get(0).path("errorCode")
                .path("authenticationError").asText()).isEqualTo("OAUTH_TOKEN_EXPIRED");
    }

    @Test
    void an_unknown_refresh_token_is_invalid_grant_and_an_unknown_client_invalid_client() {
        FakeReply revoked = google.token(form("refresh_token", "revoked-refresh-token", "local-client", "local-secret"));
        assertThat(revoked.status()).isEqualTo(400);
        assertThat(revoked.text()).isEqualTo(
                "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}");

        FakeReply client = google.token(form("refresh_token", "local-google-refresh-token", "local-client", "guess"));
        assertThat(client.status()).isEqualTo(401);
        assertThat(client.text()).contains("\"error\":\"invalid_client\"");
        assertThat(google.token(form("password", "local-google-refresh-token", "local-client",
                "local-secret")).text()).contains("\"error\":\"unsupported_grant_type\"");
    }

    @Test
    void the_consent_stand_in_sends_a_code_back_that_the_token_endpoint_exchanges_once_with_its_pkce_verifier()
            throws IOException {
        String verifier = "local-verifier-0123456789012345678901234567890123";
        String redirect = "http://localhost:8080/oauth/google_ads/callback";
        FakeReply consent = google.authorize(FakeRequest.to("http://localhost/_local/google-oauth/authorize"
                + "?client_id=local-client&redirect_uri=" + enc(redirect) + "&response_type=code&scope="
                + enc("https://www.googleapis.com/auth/adwords") + "&access_type=offline&prompt=consent&state=s.t"
                + "&code_challenge=" + OAuthStates.challenge(verifier) + "&code_challenge_method=S256"));
        assertThat(consent.status()).isEqualTo(302);
        String location = consent.headers().get("location");
        assertThat(location).startsWith(redirect + "?code=").endsWith("&state=s.t");
        String code = FakeRequest.to(location).param("code");

        assertThat(google.token(exchange(code, redirect, "not-the-verifier")).text())
                .contains("\"error\":\"invalid_grant\"");
        FakeReply again = google.authorize(FakeRequest.to("http://localhost/_local/google-oauth/authorize"
                + "?client_id=local-client&redirect_uri=" + enc(redirect) + "&response_type=code&scope="
                + enc("https://www.googleapis.com/auth/adwords") + "&access_type=offline&state=s"
                + "&code_challenge=" + OAuthStates.challenge(verifier) + "&code_challenge_method=S256"));
        String second = FakeRequest.to(again.headers().get("location")).param("code");
        JsonNode tokens = body(google.token(exchange(second, redirect, verifier)));
        assertThat(tokens.path("refresh_token").asText()).isEqualTo("local-google-refresh-token");
        assertThat(google.token(exchange(second, redirect, verifier)).text()).contains("invalid_grant");
        String accessToken = tokens.path("access_token").asText();
        JsonNode listed = body(google.accessibleCustomers("v23", FakeRequest.to(
                "http://localhost/_local/google-ads/v23/customers:listAccessibleCustomers", "Authorization",
                "Bearer " + accessToken, "developer-token", "local-developer-token")));
        assertThat(listed.path("resourceNames").toString()).isEqualTo("[\"customers/1234567890\"]");
        assertThat(body(search("SELECT customer.id, customer.descriptive_name, customer.manager FROM customer",
                null, accessToken)).path("results").get(0).path("customer").path("manager").asBoolean(true)).isFalse();
    }

    @Test
    void the_consent_stand_in_refuses_another_client_and_gives_no_refresh_token_without_offline_access()
            throws IOException {
        String redirect = "http://localhost:8080/oauth/google_ads/callback";
        String base = "http://localhost/_local/google-oauth/authorize?redirect_uri=" + enc(redirect)
                + "&response_type=code&scope=" + enc("https://www.googleapis.com/auth/adwords") + "&state=s";
        assertThat(google.authorize(FakeRequest.to(base + "&client_id=guess")).status()).isEqualTo(400);

        FakeReply online = google.authorize(FakeRequest.to(base + "&client_id=local-client"));
        String code = FakeRequest.to(online.headers().get("location")).param("code");
        JsonNode tokens = body(google.token(exchange(code, redirect, null)));
        assertThat(tokens.has("access_token")).isTrue();
        assertThat(tokens.has("refresh_token")).isFalse();
    }

    private static FakeRequest exchange(String code, String redirect, String verifier) {
        return FakeRequest.posting("http://localhost/_local/google-oauth/token", "grant_type=authorization_code&code="
                + enc(code) + "&redirect_uri=" + enc(redirect) + "&client_id=local-client&client_secret=local-secret"
                + (verifier == null ? "" : "&code_verifier=" + verifier),
                "Content-Type", "application/x-www-form-urlencoded");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private LocalGoogleAdsFake fake(int pageSize) {
        return new LocalGoogleAdsFake(samples.toString(), Set.of("local-google-token"),
                Set.of("local-google-refresh-token"), Optional.of("local-developer-token"), Optional.of("local-client"),
                Optional.of("local-secret"), ZoneId.of("America/New_York"), pageSize, List.of("1234567890"),
                new SampleClock(WRITTEN_AT, START), clock, JSON);
    }

    private FakeReply search(String query, String pageToken, String token) {
        var body = JSON.createObjectNode().put("query", query);
        if (pageToken != null) {
            body.put("pageToken", pageToken);
        }
        return google.search("v23", CID, request(body.toString(), token));
    }

    private static FakeRequest request(String body, String token) {
        return token == null ? FakeRequest.posting(URL, body, "developer-token", "local-developer-token")
                : FakeRequest.posting(URL, body, "Authorization", "Bearer " + token, "developer-token",
                        "local-developer-token");
    }

    private static FakeRequest form(String grant, String refreshToken, String clientId, String secret) {
        return FakeRequest.posting("http://localhost/_local/google-oauth/token", "grant_type=" + grant
                + "&refresh_token=" + refreshToken + "&client_id=" + clientId + "&client_secret=" + secret,
                "Content-Type", "application/x-www-form-urlencoded");
    }

    private void row(String id, String submitted, String asset) throws IOException {
        Files.writeString(samples.resolve(id + ".json"), "{\"leadFormSubmissionData\":{"
                + "\"resourceName\":\"customers/1234567890/leadFormSubmissionData/" + id + "\",\"id\":\"" + id + "\","
                + "\"asset\":\"customers/1234567890/assets/" + asset + "\",\"submissionDateTime\":\"" + submitted + "\","
                + "\"leadFormSubmissionFields\":[{\"fieldType\":\"EMAIL\",\"fieldValue\":\"" + id + "@example.com\"}]}}");
    }

    private static JsonNode body(FakeReply reply) throws IOException {
        return JSON.readTree(reply.body());
    }

    private static List<String> ids(FakeReply reply) throws IOException {
        return body(reply).path("results").findValuesAsText("id");
    }

    private static String errorCode(FakeReply reply) throws IOException {
        JsonNode code = body(reply).path("error").path("details").get(0).path("errors").get(0).path("errorCode");
        return code.elements().next().asText();
    }
}
