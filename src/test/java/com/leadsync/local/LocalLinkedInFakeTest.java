package com.leadsync.local;

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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline LinkedIn API: the owner finder's filters, paging and projection, and LinkedIn's refusals (§3). */
class LocalLinkedInFakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant WRITTEN_AT = Instant.parse("2026-03-07T15:00:00Z");
    /** Ten days later: sample times are shown 240 h later. */
    private static final Instant START = WRITTEN_AT.plus(Duration.ofDays(10));
    private static final long SHIFT_MS = Duration.ofDays(10).toMillis();
    private static final String REST = "http://localhost/_local/linkedin/rest/";
    private static final String FORM_URN = "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:3162,1)";
    private static final String FINDER = REST + "leadFormResponses?q=owner"
            + "&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A42)&leadType=(leadType:SPONSORED)";
    private static final String[] HEADERS = {"Authorization", "Bearer local-linkedin-token", "LinkedIn-Version", "202601",
        "X-Restli-Protocol-Version", "2.0.0"};

    @TempDir
    Path samples;
    private final MovableClock clock = new MovableClock(START);
    private LocalLinkedInFake linkedin;

    @BeforeEach
    void samples() throws IOException {
        Files.createDirectories(samples.resolve("responses"));
        Files.createDirectories(samples.resolve("forms"));
        response("r-1", 1_772_880_000_000L, false, FORM_URN);
        response("r-2", 1_772_883_600_000L, false, FORM_URN);
        response("r-3", 1_772_887_200_000L, true, "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:3163,1)");
        Files.writeString(samples.resolve("forms/3162.json"), "{\"id\":3162,\"name\":\"Demo request\",\"state\":"
                + "\"PUBLISHED\",\"content\":{\"questions\":[{\"questionId\":1,\"predefinedField\":\"EMAIL\"}]},"
                + "\"hiddenFields\":[{\"name\":\"utm_source\",\"value\":\"linkedin\"}]}");
        linkedin = new LocalLinkedInFake(samples.toString(), Set.of("local-linkedin-token"),
                Set.of("local-linkedin-refresh-token"), Optional.of("local-client"), Optional.of("local-secret"),
                List.of("508915158"), new SampleClock(WRITTEN_AT, START), clock, JSON);
    }

    @Test
    void the_owner_finder_lists_the_samples_as_the_asked_accounts_oldest_first_with_moved_times() throws IOException {
        JsonNode body = body(linkedin.responses(FakeRequest.to(FINDER, HEADERS)));

        assertThat(body.path("elements").findValuesAsText("id")).containsExactly("r-1", "r-2", "r-3");
        JsonNode first = body.path("elements").get(0);
        assertThat(first.path("owner").path("sponsoredAccount").asText()).isEqualTo("urn:li:sponsoredAccount:42");
        assertThat(first.path("submittedAt").asLong()).isEqualTo(1_772_880_000_000L + SHIFT_MS);
        assertThat(first.has("form")).as("only with the form projection").isFalse();
        assertThat(body.path("paging").path("total").asInt()).isEqualTo(3);
    }

    @Test
    void submitted_at_time_range_form_and_test_lead_filters_select_the_leads() throws IOException {
        long r2 = 1_772_883_600_000L + SHIFT_MS;
        assertThat(ids(FINDER + "&submittedAtTimeRange=(start:" + r2 + ",end:" + (r2 + 3_600_000) + ")"))
                .as("start inclusive, end exclusive").containsExactly("r-2");
        assertThat(ids(FINDER + "&submittedAtTimeRange=(start:" + (r2 + 1) + ")")).containsExactly("r-3");
        assertThat(ids(FINDER + "&versionedLeadGenFormUrn="
                + "urn%3Ali%3AversionedLeadGenForm%3A(urn%3Ali%3AleadGenForm%3A3162,1)")).containsExactly("r-1", "r-2");
        assertThat(ids(FINDER + "&limitedToTestLeads=true")).containsExactly("r-3");
        assertThat(ids(REST + "leadFormResponses?q=owner&owner=(organization:urn%3Ali%3Aorganization%3A7)"
                + "&leadType=(leadType:SPONSORED)")).as("the samples are sponsored leads").isEmpty();
    }

    @Test
    void pages_by_start_and_count_with_a_next_link_only_while_more_and_an_empty_page_after_the_end() throws IOException {
        JsonNode first = body(linkedin.responses(FakeRequest.to(FINDER + "&start=0&count=2", HEADERS)));
        assertThat(first.path("elements").findValuesAsText("id")).containsExactly("r-1", "r-2");
        assertThat(first.path("paging").path("count").asInt()).isEqualTo(2);
        JsonNode next = first.path("paging").path("links").get(0);
        assertThat(next.path("rel").asText()).isEqualTo("next");
        assertThat(next.path("href").asText()).startsWith("/rest/leadFormResponses?q=owner").endsWith("&start=2");

        JsonNode second = body(linkedin.responses(FakeRequest.to(FINDER + "&start=2&count=2", HEADERS)));
        assertThat(second.path("elements").findValuesAsText("id")).containsExactly("r-3");
        assertThat(second.path("paging").path("links").findValuesAsText("rel")).containsExactly("prev");

        JsonNode past = body(linkedin.responses(FakeRequest.to(FINDER + "&start=4&count=2", HEADERS)));
        assertThat(past.path("elements")).isEmpty();
        assertThat(past.path("paging").path("total").asInt()).isEqualTo(3);
    }

    @Test
    void the_fields_projection_keeps_what_it_names_and_brings_the_form_with_the_asked_parts() throws IOException {
        JsonNode element = body(linkedin.responses(FakeRequest.to(FINDER + "&count=1&fields=id,submittedAt,"
                + "formResponse,form:(id,name,hiddenFields,content:(questions))", HEADERS))).path("elements").get(0);

        assertThat(element.has("owner")).as("not asked for").isFalse();
        assertThat(element.path("formResponse").path("answers").get(0).path("questionId").asInt()).isEqualTo(1);
        assertThat(element.path("form").path("name").asText()).isEqualTo("Demo request");
        assertThat(element.path("form").has("state")).isFalse();
        assertThat(element.path("form").path("content").path("questions").get(0).path("predefinedField").asText())
                .isEqualTo("EMAIL");
        assertThat(element.path("form").path("hiddenFields").get(0).path("value").asText()).isEqualTo("linkedin");
    }

    @Test
    void a_response_and_a_form_are_served_by_id_and_unknown_ones_are_404() throws IOException {
        JsonNode byId = body(linkedin.response("r-2", FakeRequest.to(REST + "leadFormResponses/r-2", HEADERS)));
        assertThat(byId.path("submittedAt").asLong()).isEqualTo(1_772_883_600_000L + SHIFT_MS);
        assertThat(linkedin.response("urn:li:leadGenFormResponse:r-2", FakeRequest.to(REST + "x", HEADERS)).status())
                .isEqualTo(200);
        assertThat(body(linkedin.form("3162", FakeRequest.to(REST + "leadForms/3162", HEADERS))).path("id").asInt())
                .isEqualTo(3162);

        FakeReply unknown = linkedin.response("r-9", FakeRequest.to(REST + "leadFormResponses/r-9", HEADERS));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(body(unknown).path("status").asInt()).isEqualTo(404);
        assertThat(linkedin.form("9999", FakeRequest.to(REST + "leadForms/9999", HEADERS)).status()).isEqualTo(404);
    }

    @Test
    void tokens_versions_and_rest_li_encoding_are_refused_as_linkedin_does() throws IOException {
        FakeReply token = linkedin.adAccount("42", FakeRequest.to(REST + "adAccounts/42", "Authorization",
                "Bearer someone-else", "LinkedIn-Version", "202601"));
        assertThat(token.status()).isEqualTo(401);
        assertThat(token.text()).startsWith("{\"status\":401,\"serviceErrorCode\":65600,\"code\":\"INVALID_ACCESS_TOKEN\"");
        assertThat(body(linkedin.adAccount("42", FakeRequest.to(REST + "adAccounts/42", "Authorization",
                "Bearer local-linkedin-token"))).path("code").asText()).isEqualTo("VERSION_MISSING");
        assertThat(body(linkedin.adAccount("42", FakeRequest.to(REST + "adAccounts/42", HEADERS))).path("id").asLong())
                .isEqualTo(42);

        FakeReply unencoded = linkedin.responses(FakeRequest.to(REST + "leadFormResponses?q=owner"
                + "&owner=(sponsoredAccount:urn:li:sponsoredAccount:42)&leadType=(leadType:SPONSORED)", HEADERS));
        assertThat(unencoded.status()).isEqualTo(400);
        FakeReply noProtocol = linkedin.responses(FakeRequest.to(FINDER, "Authorization", "Bearer local-linkedin-token",
                "LinkedIn-Version", "202601"));
        assertThat(noProtocol.status()).isEqualTo(400);
        assertThat(linkedin.responses(FakeRequest.to(FINDER.replace("(leadType:SPONSORED)", "SPONSORED"), HEADERS))
                .status()).isEqualTo(400);
    }

    @Test
    void a_refresh_gives_a_sixty_day_token_the_api_accepts_and_keeps_the_refresh_tokens_first_lifetime()
            throws IOException {
        JsonNode tokens = body(linkedin.token(form("local-linkedin-refresh-token", "local-secret")));
        assertThat(tokens.path("expires_in").asLong()).isEqualTo(Duration.ofDays(60).toSeconds());
        assertThat(tokens.path("refresh_token").asText()).isEqualTo("local-linkedin-refresh-token");
        assertThat(tokens.path("refresh_token_expires_in").asLong()).isEqualTo(Duration.ofDays(365).toSeconds());
        String issued = tokens.path("access_token").asText();
        String[] headers = {"Authorization", "Bearer " + issued, "LinkedIn-Version", "202601"};
        assertThat(linkedin.adAccount("42", FakeRequest.to(REST + "adAccounts/42", headers)).status()).isEqualTo(200);

        clock.advance(Duration.ofDays(60));
        assertThat(body(linkedin.adAccount("42", FakeRequest.to(REST + "adAccounts/42", headers))).path("code")
                .asText()).isEqualTo("EXPIRED_ACCESS_TOKEN");
        assertThat(body(linkedin.token(form("local-linkedin-refresh-token", "local-secret")))
                .path("refresh_token_expires_in").asLong()).isEqualTo(Duration.ofDays(305).toSeconds());
    }

    @Test
    void an_unknown_refresh_token_is_invalid_grant_and_a_wrong_client_secret_invalid_client() throws IOException {
        FakeReply revoked = linkedin.token(form("revoked", "local-secret"));
        assertThat(revoked.status()).isEqualTo(400);
        assertThat(body(revoked).path("error").asText()).isEqualTo("invalid_grant");
        FakeReply client = linkedin.token(form("local-linkedin-refresh-token", "guess"));
        assertThat(client.status()).isEqualTo(401);
        assertThat(body(client).path("error").asText()).isEqualTo("invalid_client");
    }

    private List<String> ids(String url) throws IOException {
        return body(linkedin.responses(FakeRequest.to(url, HEADERS))).path("elements").findValuesAsText("id");
    }

    private void response(String id, long submittedAt, boolean test, String form) throws IOException {
        Files.writeString(samples.resolve("responses/" + id + ".json"), "{\"id\":\"" + id + "\",\"owner\":"
                + "{\"sponsoredAccount\":\"urn:li:sponsoredAccount:508915158\"},\"leadType\":\"SPONSORED\","
                + "\"versionedLeadGenFormUrn\":\"" + form + "\",\"submittedAt\":" + submittedAt + ",\"testLead\":" + test
                + ",\"formResponse\":{\"answers\":[{\"questionId\":1,\"answerDetails\":{\"textQuestionAnswer\":"
                + "{\"answer\":\"" + id + "@example.com\"}}}]}}");
    }

    @Test
    void the_consent_stand_in_sends_a_code_back_for_tokens_that_list_the_members_ad_accounts() throws IOException {
        String redirect = "http://localhost:8080/oauth/linkedin_ads/callback";
        FakeReply consent = linkedin.authorize(FakeRequest.to("http://localhost/_local/linkedin-oauth/oauth/v2/"
                + "authorization?response_type=code&client_id=local-client&redirect_uri="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
                + "&state=s.t&scope=r_marketing_leadgen_automation%20r_ads"));
        assertThat(consent.status()).isEqualTo(302);
        String code = FakeRequest.to(consent.headers().get("location")).param("code");
        FakeRequest exchange = FakeRequest.posting("http://localhost/_local/linkedin-oauth/oauth/v2/accessToken",
                "grant_type=authorization_code&code=" + code + "&redirect_uri="
                        + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
                        + "&client_id=local-client&client_secret=local-secret",
                "Content-Type", "application/x-www-form-urlencoded");

        JsonNode tokens = body(linkedin.token(exchange));
        assertThat(tokens.path("expires_in").asLong()).isEqualTo(Duration.ofDays(60).toSeconds());
        assertThat(body(linkedin.token(exchange)).path("error").asText()).isEqualTo("invalid_request");
        JsonNode users = body(linkedin.adAccountUsers(FakeRequest.to(REST + "adAccountUsers?q=authenticatedUser",
                "Authorization", "Bearer " + tokens.path("access_token").asText(), "LinkedIn-Version", "202601")));
        assertThat(users.path("elements").toString()).contains("\"account\":\"urn:li:sponsoredAccount:508915158\"")
                .contains("\"role\":\"ACCOUNT_MANAGER\"");
        assertThat(linkedin.authorize(FakeRequest.to("http://localhost/_local/linkedin-oauth/oauth/v2/authorization"
                + "?response_type=code&client_id=guess&redirect_uri=" + URLEncoder.encode(redirect,
                        StandardCharsets.UTF_8) + "&scope=r_ads")).status()).isEqualTo(400);
    }

    private static FakeRequest form(String refreshToken, String secret) {
        return FakeRequest.posting("http://localhost/_local/linkedin-oauth/oauth/v2/accessToken",
                "grant_type=refresh_token&refresh_token=" + refreshToken + "&client_id=local-client&client_secret="
                        + secret, "Content-Type", "application/x-www-form-urlencoded");
    }

    private static JsonNode body(FakeReply reply) throws IOException {
        return JSON.readTree(reply.body());
    }
}
