package com.leadsync.source.google;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.testing.GoogleAdsFake.json;
import static com.leadsync.testing.GoogleAdsFake.leadPage;
import static com.leadsync.testing.GoogleAdsFake.leadRow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.LeadPage;
import com.leadsync.source.ListRequest;
import com.leadsync.store.ConnectionStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.GoogleAdsFake;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Paging {@code lead_form_submission_data} against the Google Ads fake: the query, the headers, the tokens. */
@QuarkusTest
class GoogleLeadListerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant SINCE = Instant.parse("2026-03-07T12:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-03-07T18:00:00Z");
    private static final String SELECT = "SELECT lead_form_submission_data.resource_name, lead_form_submission_data.id,"
            + " lead_form_submission_data.asset, lead_form_submission_data.campaign, lead_form_submission_data.ad_group,"
            + " lead_form_submission_data.ad_group_ad, lead_form_submission_data.gclid,"
            + " lead_form_submission_data.submission_date_time, lead_form_submission_data.lead_form_submission_fields,"
            + " lead_form_submission_data.custom_lead_form_submission_fields FROM lead_form_submission_data";
    /** The window widened by a day on each side, in UTC: the literal has no offset. */
    private static final String WINDOW = " WHERE lead_form_submission_data.submission_date_time >= '2026-03-06 12:00:00'"
            + " AND lead_form_submission_data.submission_date_time < '2026-03-08 18:00:00'";
    private static final String ORDER = " ORDER BY lead_form_submission_data.submission_date_time ASC";

    @Inject
    GoogleLeadLister lister;

    @Inject
    ConnectionStore connections;

    /** A stored connection: the lister calls through Credentials, which reads the stored tokens. */
    private Connection customer(String customerId, String loginCustomerId) {
        String key = "gk-" + UUID.randomUUID();
        Map<String, String> config = loginCustomerId == null ? Map.of(Connection.WEBHOOK_KEY, key)
                : Map.of(Connection.WEBHOOK_KEY, key, "loginCustomerId", loginCustomerId);
        Connection c = new Connection("con_g_" + UUID.randomUUID(), "acc_1", ProviderType.GOOGLE_ADS, customerId,
                "ya29.lister-token", "1//r", Instant.parse("2099-01-01T00:00:00Z"), config, Instant.EPOCH,
                ConnectionStatus.ACTIVE, null);
        connections.findByRoute(ProviderType.GOOGLE_ADS, customerId).ifPresent(connections::delete);
        connections.create(c);
        return c;
    }

    private static void page(String customerId, String query, String pageToken, int status, String body) {
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.searchPath(customerId))).atPriority(1)
                .withRequestBody(matchingJsonPath("$.query", equalTo(query)))
                .withRequestBody(pageToken == null ? matchingJsonPath("$.pageToken", absent())
                        : matchingJsonPath("$.pageToken", equalTo(pageToken)))
                .willReturn(json(status, body)));
    }

    @Test
    void a_walk_pages_through_next_page_tokens_with_the_identical_query_and_the_documented_headers()
            throws Exception {
        String cid = GoogleAdsFake.newCustomerId();
        String query = SELECT + WINDOW + ORDER;
        page(cid, query, null, 200, leadPage("CIDBpage2",
                // In the widened window but before since (10:59 UTC): dropped by its own offset time.
                leadRow(cid, "Cj0-early", "2026-03-07 05:59:59-05:00", "early@example.com"),
                leadRow(cid, "Cj0-first", "2026-03-07 07:00:00-05:00", "first@example.com"),
                leadRow(cid, "Cj0-second", "2026-03-07 17:30:00+05:30", "second@example.com")));
        page(cid, query, "CIDBpage2", 200, leadPage(null,
                leadRow(cid, "Cj0-third", "2026-03-07 17:59:59+00:00", "third@example.com"),
                // At until, and after it: not in [since, until).
                leadRow(cid, "Cj0-at-until", "2026-03-07 19:00:00+01:00", "late@example.com"),
                leadRow(cid, "Cj0-late", "2026-03-08 02:00:00+00:00", "late@example.com")));
        Connection c = customer(cid, "9876543210");
        ListRequest first = new ListRequest(SINCE, UNTIL, null, null);

        LeadPage one = lister.page(c, first);
        LeadPage two = lister.page(c, first.next(one.nextPosition()));

        assertThat(one.leads()).extracting(LeadNotice::providerLeadId).containsExactly("Cj0-first", "Cj0-second");
        assertThat(one.last()).isFalse();
        assertThat(two.leads()).extracting(LeadNotice::providerLeadId).containsExactly("Cj0-third");
        assertThat(two.last()).isTrue();
        LeadNotice n = one.leads().get(1);
        assertThat(n.providerType()).isEqualTo(ProviderType.GOOGLE_ADS);
        assertThat(n.externalId()).isEqualTo(cid);
        assertThat(n.createdTime()).isEqualTo(Instant.parse("2026-03-07T12:00:00Z"));
        assertThat(n.formId()).isEqualTo("246813579");
        assertThat(n.adId()).isEqualTo("777888999");
        assertThat(n.payload().path("leadFormSubmissionData").path("id").asText()).isEqualTo("Cj0-second");

        List<LoggedRequest> calls = GoogleAdsFake.searches(cid);
        assertThat(calls).hasSize(2);
        for (LoggedRequest call : calls) {
            assertThat(call.getHeader("Authorization")).isEqualTo("Bearer ya29.lister-token");
            assertThat(call.getHeader("developer-token")).isEqualTo(GoogleAdsFake.DEVELOPER_TOKEN);
            assertThat(call.getHeader("login-customer-id")).isEqualTo("9876543210");
            JsonNode body = JSON.readTree(call.getBodyAsString());
            assertThat(body.path("query").asText()).isEqualTo(query);
            assertThat(body.has("pageSize")).isFalse();
        }
        assertThat(JSON.readTree(calls.get(0).getBodyAsString()).has("pageToken")).isFalse();
        assertThat(JSON.readTree(calls.get(1).getBodyAsString()).path("pageToken").asText()).isEqualTo("CIDBpage2");
    }

    @Test
    void a_form_limits_the_walk_to_its_asset_and_a_form_id_that_is_not_an_asset_id_never_reaches_google() {
        String cid = GoogleAdsFake.newCustomerId();
        String query = SELECT + WINDOW + " AND lead_form_submission_data.asset = 'customers/" + cid
                + "/assets/246813579'" + ORDER;
        page(cid, query, null, 200, leadPage(null, leadRow(cid, "Cj0-form", "2026-03-07 13:00:00Z", "f@example.com")));

        LeadPage page = lister.page(customer(cid, null), new ListRequest(SINCE, UNTIL, "246813579", null));

        assertThat(page.leads()).extracting(LeadNotice::providerLeadId).containsExactly("Cj0-form");
        assertThat(GoogleAdsFake.searches(cid).get(0).containsHeader("login-customer-id")).isFalse();
        assertThatThrownBy(() -> lister.page(customer(cid, null), new ListRequest(SINCE, UNTIL, "1' OR '1'='1", null)))
                .isInstanceOfSatisfying(ProviderCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProviderCallException.Kind.INVALID));
        assertThat(GoogleAdsFake.searches(cid)).hasSize(1);
    }

    @Test
    void an_empty_customer_is_one_last_page() {
        String cid = GoogleAdsFake.newCustomerId();
        page(cid, SELECT + WINDOW + ORDER, null, 200, "{\"fieldMask\":\"leadFormSubmissionData.id\",\"requestId\":\"r\"}");

        LeadPage page = lister.page(customer(cid, null), new ListRequest(SINCE, UNTIL, null, null));

        assertThat(page.leads()).isEmpty();
        assertThat(page.last()).isTrue();
    }

    @Test
    void an_expired_page_token_starts_the_walk_again_from_the_first_page() {
        String cid = GoogleAdsFake.newCustomerId();
        String query = SELECT + WINDOW + ORDER;
        page(cid, query, null, 200, leadPage("CIDBfresh", leadRow(cid, "Cj0-a", "2026-03-07 13:00:00Z", "a@example.com")));
        page(cid, query, "CIDBstale", 400, GoogleAdsFake.error(400, "INVALID_ARGUMENT", "requestError",
                "EXPIRED_PAGE_TOKEN", "Next page token specified in user request has expired.", null));
        ListRequest resumed = new ListRequest(SINCE, UNTIL, null,
                "{\"query\":\"" + query + "\",\"pageToken\":\"CIDBstale\"}");

        LeadPage page = lister.page(customer(cid, null), resumed);

        assertThat(page.leads()).extracting(LeadNotice::providerLeadId).containsExactly("Cj0-a");
        assertThat(page.nextPosition()).contains("CIDBfresh");
        assertThat(GoogleAdsFake.searches(cid)).hasSize(2);
    }

    @Test
    void a_quota_error_is_throttled_with_googles_delay() {
        String cid = GoogleAdsFake.newCustomerId();
        page(cid, SELECT + WINDOW + ORDER, null, 429, GoogleAdsFake.error(429, "RESOURCE_EXHAUSTED", "quotaError",
                "RESOURCE_EXHAUSTED", "Too many requests. Retry in 30 seconds.", """
                        {"quotaErrorDetails":{"rateScope":"DEVELOPER","rateName":"Number of operations for basic access",\
                        "retryDelay":"30s"}}"""));

        assertThatThrownBy(() -> lister.page(customer(cid, null), new ListRequest(SINCE, UNTIL, null, null)))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderCallException.Kind.THROTTLED);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
                });
    }

    @Test
    void a_page_over_the_page_limit_is_refused_rather_than_read_whole() {
        // %test: leadsync.google.max-page-size=2M (64M in production, for 10,000 rows).
        String cid = GoogleAdsFake.newCustomerId();
        page(cid, SELECT + WINDOW + ORDER, null, 200, "{\"results\":[],\"padding\":\"" + "x".repeat(2_500_000) + "\"}");

        assertThatThrownBy(() -> lister.page(customer(cid, null), new ListRequest(SINCE, UNTIL, null, null)))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderCallException.Kind.INVALID);
                    assertThat(e.getMessage()).contains("larger than 2097152 bytes");
                });
    }

    @Test
    void a_rejected_token_is_refreshed_once_and_the_page_asked_again_with_the_new_token() {
        String cid = GoogleAdsFake.newCustomerId();
        String refreshed = "ya29.refreshed-" + UUID.randomUUID();
        Connection c = customer(cid, null);
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.searchPath(cid))).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer ya29.lister-token"))
                .willReturn(json(401, GoogleAdsFake.error(401, "UNAUTHENTICATED", "authenticationError",
                        "OAUTH_TOKEN_EXPIRED", "Oauth token is expired.", null))));
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.searchPath(cid))).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + refreshed))
                .willReturn(json(200, leadPage(null, leadRow(cid, "lead-after-refresh", "2026-03-07 09:22:07-05:00",
                        "jane@example.com")))));
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.OAUTH_TOKEN)).atPriority(1)
                .withRequestBody(WireMock.containing("refresh_token=1%2F%2Fr"))
                .willReturn(json(200, "{\"access_token\":\"" + refreshed + "\",\"expires_in\":3599,"
                        + "\"scope\":\"https://www.googleapis.com/auth/adwords\",\"token_type\":\"Bearer\"}")));

        LeadPage page = lister.page(c, new ListRequest(SINCE, UNTIL, null, null));

        assertThat(page.leads()).extracting(LeadNotice::providerLeadId).containsExactly("lead-after-refresh");
        assertThat(connections.findByRoute(ProviderType.GOOGLE_ADS, cid)).hasValueSatisfying(stored ->
                assertThat(stored.accessToken()).isEqualTo(refreshed));
    }

    @Test
    void a_row_that_cannot_be_identified_is_skipped_not_allowed_to_block_the_page() {
        String cid = GoogleAdsFake.newCustomerId();
        page(cid, SELECT + WINDOW + ORDER, null, 200, leadPage(null,
                "{\"leadFormSubmissionData\":{\"resourceName\":\"customers/" + cid + "/leadFormSubmissionData/\"}}",
                leadRow(cid, "Cj0-ok", "2026-03-07 13:00:00Z", "ok@example.com")));

        LeadPage page = lister.page(customer(cid, null), new ListRequest(SINCE, UNTIL, null, null));

        assertThat(page.leads()).extracting(LeadNotice::providerLeadId).containsExactly("Cj0-ok");
    }
}
