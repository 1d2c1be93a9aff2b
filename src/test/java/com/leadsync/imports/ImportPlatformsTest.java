package com.leadsync.imports;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.GoogleAdsFake;
import com.leadsync.testing.LinkedInFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Redelivery;
import com.leadsync.testing.Scenario;
import com.leadsync.testing.TikTokFake;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Bulk import of Google Ads, LinkedIn and TikTok leads through the local-mode wiring (API → import queue → import
 * worker → the platform's fake in its real paging shape → the pipeline): exact counters, each lead stored once, the
 * form filter on the wire, and a rate limit that pauses the job until it goes on by itself.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class ImportPlatformsTest {

    private static final Instant SINCE = Instant.parse("2026-03-07T12:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-03-07T18:00:00Z");
    /** {@link GoogleAdsFake#leadRow} puts every row on this lead form asset. */
    private static final String GOOGLE_FORM = "246813579";
    private static final long LINKEDIN_SUBMITTED = Instant.parse("2026-03-07T14:22:07.123Z").toEpochMilli();
    private static final String TIKTOK_HEADER = "lead id,created_time,ad_id,ad_name,adgroup_id,adgroup_name,"
            + "campaign_id,campaign_name,form_id,form_name,Name,Email\r\n";

    /** An account of LeadSync with one connection of a platform. */
    private record Account(String accountId, String apiKey, ProviderType type, String externalId, String token,
            String webhookKey) {

        String leadId(String providerLeadId) {
            return new LeadIdentity(accountId, type, providerLeadId).leadId();
        }
    }

    // --- Google Ads ----------------------------------------------------------------------------------------------

    @Test
    void a_two_page_google_import_asks_for_the_forms_asset_in_the_window_and_the_webhooks_lead_is_a_duplicate() {
        Account a = googleCustomer();
        String cid = a.externalId();
        String[] ids = {GoogleAdsFake.newLeadId(), GoogleAdsFake.newLeadId(), GoogleAdsFake.newLeadId(),
            GoogleAdsFake.newLeadId()};
        // The first lead reached LeadSync by Google's webhook before the import.
        Scenario.given().contentType(ContentType.JSON).body(GoogleAdsFake.webhookLead(a.webhookKey(), ids[0],
                googleEmail(ids[0]), false)).post("/webhook/google_ads").then().statusCode(200);
        awaitStored(a, ids[0]);
        googlePage(cid, null, GoogleAdsFake.json(200, GoogleAdsFake.leadPage("CIDBpage2",
                GoogleAdsFake.leadRow(cid, ids[0], "2026-03-07 09:30:00-05:00", googleEmail(ids[0])),
                // In the query's widened window but before since: not the import's, not counted.
                GoogleAdsFake.leadRow(cid, "Cj0-early-" + cid, "2026-03-07 11:59:59+00:00", "early@example.com"),
                GoogleAdsFake.leadRow(cid, ids[1], "2026-03-07 13:00:00+00:00", googleEmail(ids[1])),
                // A row without an id: an error, and the page goes on.
                "{\"leadFormSubmissionData\":{\"resourceName\":\"customers/" + cid + "/leadFormSubmissionData/\"}}")));
        googlePage(cid, "CIDBpage2", GoogleAdsFake.json(200, GoogleAdsFake.leadPage(null,
                GoogleAdsFake.leadRow(cid, ids[2], "2026-03-07 20:00:00+05:30", googleEmail(ids[2])),
                GoogleAdsFake.leadRow(cid, ids[3], "2026-03-07 17:59:59+00:00", googleEmail(ids[3])))));

        String jobId = startImport(a, GOOGLE_FORM, SINCE, UNTIL);

        JsonPath done = awaitStatus(a, jobId, "completed");
        assertCounts(done, 2, 4, 3, 1, 1);
        assertThat(done.getString("lastError")).isNull();
        assertEachStoredOnce(a, ids);
        assertThat(storedEmail(a, ids[2])).isEqualTo(googleEmail(ids[2]));
        List<LoggedRequest> searches = leadSearches(cid);
        assertThat(searches).hasSize(2);
        String query = JsonPath.from(searches.get(0).getBodyAsString()).getString("query");
        // The window a day wider on each side (GAQL's literal has no zone), then the form's asset, oldest first.
        assertThat(query).endsWith(" FROM lead_form_submission_data"
                + " WHERE lead_form_submission_data.submission_date_time >= '2026-03-06 12:00:00'"
                + " AND lead_form_submission_data.submission_date_time < '2026-03-08 18:00:00'"
                + " AND lead_form_submission_data.asset = 'customers/" + cid + "/assets/" + GOOGLE_FORM + "'"
                + " ORDER BY lead_form_submission_data.submission_date_time ASC");
        // Google wants the identical query for every page of a walk.
        assertThat(JsonPath.from(searches.get(1).getBodyAsString()).getString("query")).isEqualTo(query);
        assertThat(JsonPath.from(searches.get(1).getBodyAsString()).getString("pageToken")).isEqualTo("CIDBpage2");
    }

    /**
     * The second page's token is refused as expired: the lister lists again from the first page, whose two leads
     * this import created two steps earlier. They count as seen again and as duplicates, not as new: leadsNew is
     * the number of leads the import created (3), duplicates the entries that named a lead already there (2), and
     * leadsSeen every entry listed (5 = 3 + 2); the refused call is no page.
     */
    @Test
    void an_expired_google_page_token_lists_again_from_the_first_page_and_the_relisted_leads_are_duplicates() {
        Account a = googleCustomer();
        String cid = a.externalId();
        String[] ids = {GoogleAdsFake.newLeadId(), GoogleAdsFake.newLeadId(), GoogleAdsFake.newLeadId()};
        String[] firstPage = {GoogleAdsFake.leadRow(cid, ids[0], "2026-03-07 13:00:00+00:00", googleEmail(ids[0])),
            GoogleAdsFake.leadRow(cid, ids[1], "2026-03-07 13:30:00+00:00", googleEmail(ids[1]))};
        String scenario = "google-expired-" + cid;
        // The first listing's token; asked again, Google hands out a fresh one.
        Fakes.server().stubFor(googleSearch(cid, null).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willSetStateTo("listed").willReturn(GoogleAdsFake.json(200,
                        GoogleAdsFake.leadPage("CIDBstale", firstPage))));
        Fakes.server().stubFor(googleSearch(cid, null).inScenario(scenario).whenScenarioStateIs("listed")
                .willReturn(GoogleAdsFake.json(200, GoogleAdsFake.leadPage("CIDBfresh", firstPage))));
        googlePage(cid, "CIDBstale", GoogleAdsFake.json(400, GoogleAdsFake.error(400, "INVALID_ARGUMENT",
                "requestError", "EXPIRED_PAGE_TOKEN", "Next page token specified in user request has expired.", null)));
        googlePage(cid, "CIDBfresh", GoogleAdsFake.json(200, GoogleAdsFake.leadPage(null,
                GoogleAdsFake.leadRow(cid, ids[2], "2026-03-07 14:00:00+00:00", googleEmail(ids[2])))));

        String jobId = startImport(a, GOOGLE_FORM, SINCE, UNTIL);

        JsonPath done = awaitStatus(a, jobId, "completed");
        assertCounts(done, 3, 5, 3, 2, 0);
        assertEachStoredOnce(a, ids);
        assertThat(leadSearches(cid)).extracting(r -> JsonPath.from(r.getBodyAsString()).getString("pageToken"))
                .containsExactly(null, "CIDBstale", null, "CIDBfresh");
    }

    @Test
    void a_google_quota_error_mid_import_pauses_the_job_for_googles_retry_delay_and_it_completes_by_itself() {
        Account a = googleCustomer();
        String cid = a.externalId();
        String[] ids = {GoogleAdsFake.newLeadId(), GoogleAdsFake.newLeadId()};
        googlePage(cid, null, GoogleAdsFake.json(200, GoogleAdsFake.leadPage("CIDBpage2",
                GoogleAdsFake.leadRow(cid, ids[0], "2026-03-07 13:00:00+00:00", googleEmail(ids[0])))));
        String scenario = "google-quota-" + cid;
        Fakes.server().stubFor(googleSearch(cid, "CIDBpage2").inScenario(scenario).whenScenarioStateIs(STARTED)
                .willSetStateTo("throttled").willReturn(GoogleAdsFake.json(429, GoogleAdsFake.error(429,
                        "RESOURCE_EXHAUSTED", "quotaError", "RESOURCE_EXHAUSTED",
                        "Too many requests. Retry in 3 seconds.",
                        "{\"quotaErrorDetails\":{\"rateScope\":\"DEVELOPER\",\"rateName\":\"Number of operations for"
                                + " basic access\",\"retryDelay\":\"3s\"}}"))));
        Fakes.server().stubFor(googleSearch(cid, "CIDBpage2").inScenario(scenario).whenScenarioStateIs("throttled")
                .willReturn(GoogleAdsFake.json(200, GoogleAdsFake.leadPage(null,
                        GoogleAdsFake.leadRow(cid, ids[1], "2026-03-07 14:00:00+00:00", googleEmail(ids[1]))))));

        String jobId = startImport(a, GOOGLE_FORM, SINCE, UNTIL);

        JsonPath paused = awaitPaused(a, jobId);
        assertThat(Duration.between(Instant.parse(paused.getString("updatedAt")),
                Instant.parse(paused.getString("pausedUntil")))).isEqualTo(Duration.ofSeconds(3));
        assertThat(paused.getString("lastError")).contains("rate limit").contains("Too many requests");
        assertThat(paused.getInt("pagesFetched")).isEqualTo(1);
        JsonPath done = awaitStatus(a, jobId, "completed");
        assertCounts(done, 2, 2, 2, 0, 0);
        assertThat(done.getString("pausedUntil")).isNull();
        assertThat(done.getString("lastError")).isNull();
        assertEachStoredOnce(a, ids);
        assertThat(leadSearches(cid)).hasSize(3);
    }

    // --- LinkedIn ------------------------------------------------------------------------------------------------

    /**
     * {@code q=owner} lists every form of the sponsored account: a form id is matched here on each element's
     * versioned form URN (any version), so the other form's leads are neither counted nor stored. A short page
     * goes on from the elements received (an unreadable one included, counted as an error); only the empty page
     * ends the walk, and it is a page fetched too.
     */
    @Test
    void a_linkedin_import_pages_by_start_past_a_short_page_to_the_empty_one_and_counts_only_the_forms_leads() {
        Account a = linkedInAccount();
        String form = "5" + LinkedInFake.newAdAccountId();
        String otherForm = "6" + LinkedInFake.newAdAccountId();
        String[] ids = {LinkedInFake.newLeadId(), LinkedInFake.newLeadId(), LinkedInFake.newLeadId()};
        String other = LinkedInFake.newLeadId();
        // 3 of the 100 asked for and no next link: LinkedIn still has more.
        linkedInPage(a, 0, linkedInLead(a, ids[0], form, 1), linkedInLead(a, other, otherForm, 1),
                linkedInLead(a, ids[1], form, 2));
        // New leads moved the list on: the first one is listed again. And an element without an id: an error.
        linkedInPage(a, 3, linkedInLead(a, ids[2], form, 2), linkedInLead(a, ids[0], form, 1),
                linkedInLead(a, "", form, 1));
        linkedInPage(a, 6);

        String jobId = startImport(a, form, SINCE, UNTIL);

        JsonPath done = awaitStatus(a, jobId, "completed");
        assertCounts(done, 3, 4, 3, 1, 1);
        assertEachStoredOnce(a, ids);
        assertThat(a.leadId(other)).isNotIn(listedLeadIds(a));
        assertThat(storedEmail(a, ids[2])).isEqualTo(linkedInEmail(ids[2]));
        List<LoggedRequest> listings = linkedInListings(a);
        assertThat(listings).extracting(LoggedRequest::getUrl).containsExactly(linkedInListing(a, 0, null),
                linkedInListing(a, 3, null), linkedInListing(a, 6, null));
        // The listing carried each lead whole: no lead was fetched.
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(LinkedInFake.API + "/leadFormResponses/"
                + ids[0])))).isEmpty();
    }

    @Test
    void a_linkedin_import_of_a_versioned_form_urn_has_linkedin_filter_on_that_version() {
        Account a = linkedInAccount();
        String form = "5" + LinkedInFake.newAdAccountId();
        String urn = "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:" + form + ",2)";
        String id = LinkedInFake.newLeadId();
        linkedInPage(a, 0, linkedInLead(a, id, form, 2));
        linkedInPage(a, 1);

        String jobId = startImport(a, urn, SINCE, UNTIL);

        JsonPath done = awaitStatus(a, jobId, "completed");
        assertCounts(done, 2, 1, 1, 0, 0);
        assertThat(done.getString("formId")).isEqualTo(urn);
        assertEachStoredOnce(a, id);
        String filter = "urn%3Ali%3AversionedLeadGenForm%3A(urn%3Ali%3AleadGenForm%3A" + form + ",2)";
        assertThat(linkedInListings(a)).extracting(LoggedRequest::getUrl).containsExactly(
                linkedInListing(a, 0, filter), linkedInListing(a, 1, filter));
    }

    @Test
    void a_linkedin_429_mid_import_pauses_the_job_while_it_stays_running_and_it_completes_by_itself() {
        Account a = linkedInAccount();
        String form = "5" + LinkedInFake.newAdAccountId();
        String[] ids = {LinkedInFake.newLeadId(), LinkedInFake.newLeadId(), LinkedInFake.newLeadId()};
        linkedInPage(a, 0, linkedInLead(a, ids[0], form, 1), linkedInLead(a, ids[1], form, 1));
        String scenario = "linkedin-429-" + a.externalId();
        Fakes.server().stubFor(linkedInListing(a, 2).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willSetStateTo("throttled").willReturn(LinkedInFake.json(429, LinkedInFake.error(429, 101,
                        "TOO_MANY_REQUESTS", "Resource level throttle APPLICATION DAY limit for calls to this resource"
                                + " is reached."))));
        Fakes.server().stubFor(linkedInListing(a, 2).inScenario(scenario).whenScenarioStateIs("throttled")
                .willReturn(LinkedInFake.json(200, linkedInElements(2, linkedInLead(a, ids[2], form, 1)))));
        linkedInPage(a, 3);

        String jobId = startImport(a, form, SINCE, UNTIL);

        JsonPath paused = awaitPaused(a, jobId);
        // No Retry-After from LinkedIn: the import's throttle delay (%test: 2 s).
        assertThat(Duration.between(Instant.parse(paused.getString("updatedAt")),
                Instant.parse(paused.getString("pausedUntil")))).isEqualTo(Duration.ofSeconds(2));
        assertThat(paused.getString("lastError")).contains("rate limit");
        assertThat(paused.getInt("pagesFetched")).isEqualTo(1);
        assertThat(paused.getInt("leadsNew")).isEqualTo(2);
        JsonPath done = awaitStatus(a, jobId, "completed");
        assertCounts(done, 3, 3, 3, 0, 0);
        assertThat(done.getString("pausedUntil")).isNull();
        assertEachStoredOnce(a, ids);
        assertThat(linkedInListings(a)).extracting(LoggedRequest::getUrl).containsExactly(linkedInListing(a, 0, null),
                linkedInListing(a, 2, null), linkedInListing(a, 2, null), linkedInListing(a, 3, null));
    }

    // --- TikTok --------------------------------------------------------------------------------------------------

    /**
     * One download task of the form per region (none, eu, us), each created, polled until SUCCEED and read: the
     * answers "not ready yet" (created, running) are steps the worker comes back to after TikTok's delay, not pages,
     * so pagesFetched counts the three files read.
     */
    @Test
    void a_tiktok_import_reads_the_forms_download_in_all_three_regions_and_the_task_waits_are_no_pages() {
        TikTokFake.Advertiser advertiser = TikTokFake.connected();
        Account a = new Account(advertiser.accountId(), advertiser.apiKey(), ProviderType.TIKTOK_ADS,
                advertiser.advertiserId(), advertiser.token(), null);
        String form = TikTokFake.newId();
        String[] regions = {null, "eu", "us"};
        int[] runningPolls = {1, 0, 2};
        String[] tasks = {TikTokFake.newId(), TikTokFake.newId(), TikTokFake.newId()};
        String[] ids = {TikTokFake.newId(), TikTokFake.newId(), TikTokFake.newId(), TikTokFake.newId()};
        String[] files = {
            tikTokRow(ids[0], "2026-03-07 12:00:00", form) + tikTokRow(ids[1], "2026-03-07 17:59:59", form),
            tikTokRow(ids[2], "2026-03-07 14:30:00", form)
                    // Outside [since, until): in the form's export, not in the import.
                    + tikTokRow(TikTokFake.newId(), "2026-03-07 18:00:00", form),
            // A row without a lead id: an error, and the file goes on.
            tikTokRow("", "2026-03-07 14:30:00", form) + tikTokRow(ids[3], "2026-03-07 15:00:00", form)};
        for (int r = 0; r < 3; r++) {
            TikTokFake.stubTask(a.externalId(), a.token(), form, regions[r], tasks[r], runningPolls[r], "SUCCEED");
            TikTokFake.stubDownload(a.externalId(), a.token(), tasks[r], regions[r],
                    TikTokFake.csv(TIKTOK_HEADER + files[r]), "text/csv");
        }

        String jobId = startImport(a, form, SINCE, UNTIL);

        JsonPath done = awaitStatus(a, jobId, "completed");
        assertCounts(done, 3, 4, 4, 0, 1);
        assertEachStoredOnce(a, ids);
        assertThat(storedEmail(a, ids[3])).isEqualTo(tikTokEmail(ids[3]));
        for (int r = 0; r < 3; r++) {
            String region = regions[r];
            // The task created, then asked about until it succeeded: each not-ready answer was a step of its own.
            assertThat(Fakes.server().findAll(postRequestedFor(urlPathEqualTo(TikTokFake.LEAD_TASK))
                    .withHeader("x-lead-region", region == null ? absent() : equalTo(region))
                    .withRequestBody(matchingJsonPath("$.page_id", equalTo(form))))).as("task calls in %s", region)
                    .hasSize(2 + runningPolls[r]);
            assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(TikTokFake.DOWNLOAD))
                    .withQueryParam("task_id", equalTo(tasks[r])))).as("downloads in %s", region).hasSize(1);
        }
        // One form asked for by its id: the advertiser's forms were not listed.
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(TikTokFake.PAGES))
                .withQueryParam("advertiser_id", equalTo(a.externalId())))).isEmpty();
    }

    // --- the accounts ---------------------------------------------------------------------------------------------

    private static Response newAccount(String name) {
        Response r = Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", name + " " + UUID.randomUUID())).post("/accounts");
        r.then().statusCode(201);
        return r;
    }

    private static Account googleCustomer() {
        Response account = newAccount("Google");
        String customerId = GoogleAdsFake.newCustomerId();
        String token = GoogleAdsFake.newAccessToken(customerId);
        String webhookKey = GoogleAdsFake.newWebhookKey();
        GoogleAdsFake.connect(account.path("apiKey"), customerId, token, Map.of(Connection.WEBHOOK_KEY, webhookKey))
                .then().statusCode(201);
        return new Account(account.path("accountId"), account.path("apiKey"), ProviderType.GOOGLE_ADS, customerId,
                token, webhookKey);
    }

    private static Account linkedInAccount() {
        LinkedInFake.Connected c = LinkedInFake.connectedAccount();
        return new Account(c.accountId(), c.apiKey(), ProviderType.LINKEDIN_ADS, c.adAccountId(), c.token(), null);
    }

    // --- the import routes --------------------------------------------------------------------------------------

    private static String startImport(Account a, String formId, Instant since, Instant until) {
        return Scenario.given().header("x-api-key", a.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("providerType", a.type().wireName(), "formId", formId, "since", since.toString(),
                        "until", until.toString()))
                .post("/leads/import").then().statusCode(202).extract().jsonPath().getString("jobId");
    }

    private static JsonPath job(Account a, String jobId) {
        return Scenario.given().header("x-api-key", a.apiKey()).get("/leads/import/" + jobId).then().statusCode(200)
                .extract().jsonPath();
    }

    private static JsonPath awaitStatus(Account a, String jobId, String status) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(job(a, jobId).getString("status")).isEqualTo(status));
        return job(a, jobId);
    }

    /** The job as seen while it is paused: still running, with the time it goes on. */
    private static JsonPath awaitPaused(Account a, String jobId) {
        AtomicReference<JsonPath> seen = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonPath j = job(a, jobId);
            seen.set(j);
            return j.getString("pausedUntil") != null || !"running".equals(j.getString("status"))
                    && !"queued".equals(j.getString("status"));
        });
        JsonPath paused = seen.get();
        assertThat(paused.getString("status")).isEqualTo("running");
        assertThat(paused.getString("pausedUntil")).isNotNull();
        return paused;
    }

    private static void assertCounts(JsonPath job, int pagesFetched, int leadsSeen, int leadsNew, int duplicates,
            int errors) {
        assertThat(List.of(job.getInt("pagesFetched"), job.getInt("leadsSeen"), job.getInt("leadsNew"),
                job.getInt("duplicates"), job.getInt("errors")))
                .as("pagesFetched, leadsSeen, leadsNew, duplicates, errors")
                .containsExactly(pagesFetched, leadsSeen, leadsNew, duplicates, errors);
    }

    // --- the leads ----------------------------------------------------------------------------------------------

    private static void awaitStored(Account a, String providerLeadId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Scenario.given().header("x-api-key", a.apiKey())
                .get("/leads/" + a.leadId(providerLeadId)), r -> r.statusCode() == 200
                        && "dispatched".equals(r.jsonPath().getString("status")));
    }

    /** Each lead stored (and done with), and the account's listing holds exactly these, once each. */
    private static void assertEachStoredOnce(Account a, String... providerLeadIds) {
        List<String> expected = new ArrayList<>();
        for (String id : providerLeadIds) {
            awaitStored(a, id);
            expected.add(a.leadId(id));
        }
        Redelivery.staysTrue(() ->
                assertThat(listedLeadIds(a)).containsExactlyInAnyOrderElementsOf(expected));
    }

    private static List<String> listedLeadIds(Account a) {
        return Scenario.given().header("x-api-key", a.apiKey()).queryParam("limit", 100).get("/leads").then()
                .statusCode(200).extract().jsonPath().getList("items.leadId");
    }

    private static String storedEmail(Account a, String providerLeadId) {
        return Scenario.given().header("x-api-key", a.apiKey()).get("/leads/" + a.leadId(providerLeadId)).then()
                .statusCode(200).extract().jsonPath().getString("email");
    }

    // --- Google Ads' search -------------------------------------------------------------------------------------

    private static String googleEmail(String leadId) {
        return "imported.google." + leadId.toLowerCase() + "@example.com";
    }

    /** A lead search (not the customer check) of that customer, at that page token (null: the first page). */
    private static MappingBuilder googleSearch(String customerId, String pageToken) {
        return post(urlPathEqualTo(GoogleAdsFake.searchPath(customerId))).atPriority(1)
                .withRequestBody(matchingJsonPath("$.query", containing("FROM lead_form_submission_data")))
                .withRequestBody(pageToken == null ? matchingJsonPath("$.pageToken", absent())
                        : matchingJsonPath("$.pageToken", equalTo(pageToken)));
    }

    private static void googlePage(String customerId, String pageToken, ResponseDefinitionBuilder answer) {
        Fakes.server().stubFor(googleSearch(customerId, pageToken).willReturn(answer));
    }

    private static List<LoggedRequest> leadSearches(String customerId) {
        return GoogleAdsFake.searches(customerId).stream()
                .filter(r -> r.getBodyAsString().contains("FROM lead_form_submission_data"))
                .sorted((x, y) -> x.getLoggedDate().compareTo(y.getLoggedDate())).toList();
    }

    // --- LinkedIn's leadFormResponses ---------------------------------------------------------------------------

    private static String linkedInEmail(String leadId) {
        return "imported.linkedin." + leadId + "@example.com";
    }

    /** An element of form {@code formId} (version {@code version}) with its form embedded, as the projection does. */
    private static String linkedInLead(Account a, String leadId, String formId, int version) {
        return LinkedInFake.withForm(LinkedInFake.leadWithoutForm(a.externalId(), leadId, linkedInEmail(leadId),
                LINKEDIN_SUBMITTED, formId, version), formId);
    }

    private static MappingBuilder linkedInListing(Account a, int start) {
        return get(urlPathEqualTo(LinkedInFake.API + "/leadFormResponses"))
                .withQueryParam("owner", containing(a.externalId()))
                .withQueryParam("start", equalTo(String.valueOf(start)));
    }

    private static String linkedInElements(int start, String... elements) {
        return "{\"paging\":{\"start\":" + start + ",\"count\":100,\"links\":[],\"total\":" + (start + elements.length)
                + "},\"elements\":[" + String.join(",", elements) + "]}";
    }

    private static void linkedInPage(Account a, int start, String... elements) {
        Fakes.server().stubFor(linkedInListing(a, start).willReturn(LinkedInFake.json(200,
                linkedInElements(start, elements))));
    }

    private static List<LoggedRequest> linkedInListings(Account a) {
        return Fakes.server().findAll(getRequestedFor(urlPathEqualTo(LinkedInFake.API + "/leadFormResponses"))
                .withQueryParam("owner", containing(a.externalId()))).stream()
                .sorted((x, y) -> x.getLoggedDate().compareTo(y.getLoggedDate())).toList();
    }

    /** The listing URL as sent: Rest.li 2.0 encoding, the window in epoch ms, the form filter when LinkedIn's. */
    private static String linkedInListing(Account a, int start, String formFilter) {
        return LinkedInFake.API + "/leadFormResponses?q=owner"
                + "&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A" + a.externalId() + ")"
                + "&leadType=(leadType:SPONSORED)&limitedToTestLeads=false"
                + "&submittedAtTimeRange=(start:" + SINCE.toEpochMilli() + ",end:" + UNTIL.toEpochMilli() + ")"
                + (formFilter == null ? "" : "&versionedLeadGenFormUrn=" + formFilter)
                + "&fields=ownerInfo,associatedEntityInfo,leadMetadataInfo,owner,leadType,versionedLeadGenFormUrn,id,"
                + "submittedAt,testLead,formResponse,form:(hiddenFields,creationLocale,name,id,content)"
                + "&start=" + start + "&count=100";
    }

    // --- TikTok's lead file -------------------------------------------------------------------------------------

    private static String tikTokEmail(String leadId) {
        return "imported.tiktok." + leadId + "@example.com";
    }

    private static String tikTokRow(String leadId, String createdTime, String formId) {
        return leadId + "," + createdTime + ",1780000000000003,Video A,1780000000000002,US 25-44,1780000000000001,"
                + "Q4 Leads," + formId + ",Demo form,Jane Doe," + tikTokEmail(leadId.isEmpty() ? "none" : leadId)
                + "\r\n";
    }
}
