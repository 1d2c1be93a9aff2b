package com.leadsync.source.linkedin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.testing.LinkedInFake.API;
import static com.leadsync.testing.LinkedInFake.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.AccessCheck;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.LeadPage;
import com.leadsync.source.ListRequest;
import com.leadsync.source.MappingContext;
import com.leadsync.source.ProviderLead;
import com.leadsync.store.ConnectionStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.LinkedInFake;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real REST clients against the LinkedIn fake (providers.md §3 shapes, error bodies included). */
@QuarkusTest
class LinkedInApiTest {

    private static final String FIELDS = "ownerInfo,associatedEntityInfo,leadMetadataInfo,owner,leadType,"
            + "versionedLeadGenFormUrn,id,submittedAt,testLead,formResponse,"
            + "form:(hiddenFields,creationLocale,name,id,content)";
    private static final Instant SINCE = Instant.parse("2025-11-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2025-11-05T00:00:00Z");
    private static final long IN_WINDOW = Instant.parse("2025-11-03T14:22:07.123Z").toEpochMilli();

    @Inject
    LinkedInAccountAccess access;

    @Inject
    LinkedInLeadFetcher fetcher;

    @Inject
    LinkedInLeadLister lister;

    @Inject
    LinkedInLeadMapper mapper;

    @Inject
    LinkedInTokenRefresher refresher;

    @Inject
    ConnectionStore connections;

    /** A stored connection (provider calls read its tokens from the store, through Credentials). */
    private Connection connection(String adAccountId, String token) {
        Connection c = new Connection("con_li_" + UUID.randomUUID(), "acc_li", ProviderType.LINKEDIN_ADS, adAccountId,
                token, null, null, Map.of(), Instant.EPOCH, ConnectionStatus.ACTIVE, null);
        connections.findByRoute(ProviderType.LINKEDIN_ADS, adAccountId).ifPresent(connections::delete);
        connections.create(c);
        return c;
    }

    // --- connection check ------------------------------------------------------------------------------------

    @Test
    void an_ad_account_the_token_sees_is_reached_asked_with_the_versioned_headers() {
        String account = LinkedInFake.newAdAccountId();
        String token = LinkedInFake.newToken();
        LinkedInFake.grantAccount(account, token);

        assertThat(access.check(connection(account, token))).isInstanceOf(AccessCheck.Reached.class);

        List<LoggedRequest> asked = Fakes.server()
                .findAll(getRequestedFor(urlPathEqualTo(API + "/adAccounts/" + account)));
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).getHeader("Authorization")).isEqualTo("Bearer " + token);
        assertThat(asked.get(0).getHeader("LinkedIn-Version")).isEqualTo("202601");
        assertThat(asked.get(0).getHeader("X-Restli-Protocol-Version")).isEqualTo("2.0.0");
        assertThat(asked.get(0).getUrl()).doesNotContain(token);
    }

    @ParameterizedTest(name = "HTTP {0} {2} -> {1}")
    @CsvSource({
        "401,NotReached,INVALID_ACCESS_TOKEN,65600", "403,NotReached,ACCESS_DENIED,100",
        "404,NotReached,RESOURCE_NOT_FOUND,0", "429,Unavailable,TOO_MANY_REQUESTS,101",
        "500,Unavailable,INTERNAL_SERVER_ERROR,0", "503,Unavailable,SERVICE_UNAVAILABLE,0",
        "400,Unavailable,ILLEGAL_ARGUMENT,100", "426,Unavailable,NONEXISTENT_VERSION,0"})
    void linkedin_refusals_are_not_reached_and_everything_else_unavailable(int status, String outcome, String code,
            int serviceErrorCode) {
        String account = LinkedInFake.newAdAccountId();
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/adAccounts/" + account)).atPriority(1)
                .willReturn(json(status, LinkedInFake.error(status, serviceErrorCode, code, "LinkedIn says no"))));

        AccessCheck check = access.check(connection(account, "some-token"));

        assertThat(check.getClass().getSimpleName()).isEqualTo(outcome);
        assertThat(check.toString()).contains("LinkedIn says no").contains(code).contains(String.valueOf(status));
    }

    @Test
    void an_unknown_token_is_not_reached() {
        assertThat(access.check(connection(LinkedInFake.newAdAccountId(), "unknown-token")))
                .isInstanceOfSatisfying(AccessCheck.NotReached.class,
                        n -> assertThat(n.reason()).contains("Invalid access token"));
    }

    @Test
    void an_unreachable_linkedin_is_unavailable() {
        String account = LinkedInFake.newAdAccountId();
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/adAccounts/" + account)).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(access.check(connection(account, "t"))).isInstanceOf(AccessCheck.Unavailable.class);
    }

    @Test
    void an_answer_for_another_account_is_not_reached() {
        String account = LinkedInFake.newAdAccountId();
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/adAccounts/" + account)).atPriority(1)
                .willReturn(json(200, LinkedInFake.adAccount("111111111"))));

        assertThat(access.check(connection(account, "t"))).isInstanceOf(AccessCheck.NotReached.class);
    }

    @Test
    void the_external_id_is_a_bare_numeric_ad_account_id() {
        assertThat(access.externalIdProblem("508915158")).isEmpty();
        assertThat(access.externalIdProblem("urn:li:sponsoredAccount:508915158")).get().asString()
                .contains("externalId");
        assertThat(access.externalIdProblem("1".repeat(21))).isPresent();
        assertThat(access.externalIdProblem("acme")).isPresent();
        assertThat(access.externalIdProblem("")).isPresent();
    }

    // --- fetch -----------------------------------------------------------------------------------------------

    @Test
    void a_lead_is_fetched_by_its_id_with_the_form_projection_and_maps_through_its_form() {
        String account = LinkedInFake.newAdAccountId();
        String leadId = LinkedInFake.newLeadId();
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/leadFormResponses/" + leadId))
                .willReturn(json(200, LinkedInFake.lead(account, leadId, "jane@acme.example", IN_WINDOW))));

        ProviderLead fetched = fetcher.fetch(connection(account, "tok-1"), notice(account, leadId));

        LoggedRequest asked = single(getRequestedFor(urlPathEqualTo(API + "/leadFormResponses/" + leadId)));
        assertThat(asked.getUrl()).isEqualTo(API + "/leadFormResponses/" + leadId + "?fields=" + FIELDS);
        assertThat(asked.getHeader("Authorization")).isEqualTo("Bearer tok-1");
        assertThat(asked.getHeader("LinkedIn-Version")).isEqualTo("202601");
        assertThat(asked.getHeader("X-Restli-Protocol-Version")).isEqualTo("2.0.0");
        assertThat(fetched.providerLeadId()).isEqualTo(leadId);
        NormalizedLead lead = mapper.map(fetched, new MappingContext("US"));
        assertThat(lead.lead().email()).isEqualTo("jane@acme.example");
        assertThat(lead.lead().customFields()).containsEntry("budget", "$5k-$10k")
                .containsEntry("Send me product news", "true").containsEntry("utm_source", "linkedin");
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(API + "/leadForms/3162")))).isEmpty();
    }

    @Test
    void without_the_forms_questions_the_form_is_fetched_and_put_in_the_lead() {
        String account = LinkedInFake.newAdAccountId();
        String leadId = LinkedInFake.newLeadId();
        String formId = "77" + LinkedInFake.newAdAccountId();
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/leadFormResponses/" + leadId)).willReturn(json(200,
                LinkedInFake.leadWithoutForm(account, leadId, "jane@acme.example", IN_WINDOW, formId, 2))));
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/leadForms/" + formId))
                .withHeader("Authorization", equalTo("Bearer tok-2"))
                .withHeader("LinkedIn-Version", equalTo("202601"))
                .willReturn(json(200, LinkedInFake.form(formId))));

        ProviderLead fetched = fetcher.fetch(connection(account, "tok-2"), notice(account, leadId));

        assertThat(fetched.payload().path("form").path("content").path("questions").size()).isEqualTo(5);
        NormalizedLead lead = mapper.map(fetched, new MappingContext("US"));
        assertThat(lead.lead().firstName()).isEqualTo("Jane");
        assertThat(lead.lead().company()).isEqualTo("Acme Inc");
        assertThat(lead.formId()).isEqualTo(formId);
    }

    @Test
    void a_form_linkedin_no_longer_has_leaves_the_answers_by_question_id() {
        String account = LinkedInFake.newAdAccountId();
        String leadId = LinkedInFake.newLeadId();
        String formId = "78" + LinkedInFake.newAdAccountId();
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/leadFormResponses/" + leadId)).willReturn(json(200,
                LinkedInFake.leadWithoutForm(account, leadId, "jane@acme.example", IN_WINDOW, formId, 1))));
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/leadForms/" + formId))
                .willReturn(json(404, LinkedInFake.error(404, 0, "RESOURCE_NOT_FOUND", "Not Found"))));

        NormalizedLead lead = mapper.map(fetcher.fetch(connection(account, "t"), notice(account, leadId)),
                new MappingContext("US"));

        assertThat(lead.lead().email()).isNull();
        assertThat(lead.lead().customFields()).containsEntry("question_3", "jane@acme.example");
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({"401,UNAUTHORIZED", "403,FORBIDDEN", "404,NOT_FOUND", "429,THROTTLED", "500,TRANSIENT",
        "426,INVALID", "400,INVALID"})
    void a_failed_fetch_is_classified_for_the_pipeline(int status, Kind kind) {
        String leadId = LinkedInFake.newLeadId();
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/leadFormResponses/" + leadId))
                .willReturn(json(status, LinkedInFake.error(status, 0, "SOME_CODE", "Nope"))));

        assertThatThrownBy(() -> fetcher.fetch(connection("42", "t"), notice("42", leadId)))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.getMessage()).contains("Nope").contains(leadId);
                });
    }

    @Test
    void a_lead_answer_over_the_answer_limit_is_refused_rather_than_read_whole() {
        // %test: leadsync.providers.max-answer-size=1M.
        String leadId = LinkedInFake.newLeadId();
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/leadFormResponses/" + leadId))
                .willReturn(json(200, "{\"id\":\"" + leadId + "\",\"padding\":\"" + "x".repeat(1_500_000) + "\"}")));

        assertThatThrownBy(() -> fetcher.fetch(connection("42", "t"), notice("42", leadId)))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.getMessage()).contains("larger than 1048576 bytes");
                });
    }

    // --- list ------------------------------------------------------------------------------------------------

    @Test
    void the_listing_goes_on_the_wire_in_restli_2_encoding() {
        String account = LinkedInFake.newAdAccountId();
        stubPage(account, 0, List.of());

        LeadPage page = lister.page(connection(account, "tok-3"), new ListRequest(SINCE, UNTIL, null, null));

        assertThat(page.leads()).isEmpty();
        assertThat(page.last()).isTrue();
        LoggedRequest asked = single(getRequestedFor(urlPathEqualTo(API + "/leadFormResponses"))
                .withQueryParam("owner", containing(account)));
        assertThat(asked.getUrl()).isEqualTo(API + "/leadFormResponses?q=owner"
                + "&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A" + account + ")"
                + "&leadType=(leadType:SPONSORED)&limitedToTestLeads=false"
                + "&submittedAtTimeRange=(start:" + SINCE.toEpochMilli() + ",end:" + UNTIL.toEpochMilli() + ")"
                + "&fields=" + FIELDS + "&start=0&count=100");
        assertThat(asked.getHeader("Authorization")).isEqualTo("Bearer tok-3");
        assertThat(asked.getHeader("LinkedIn-Version")).isEqualTo("202601");
        assertThat(asked.getHeader("X-Restli-Protocol-Version")).isEqualTo("2.0.0");
    }

    @Test
    void a_short_page_is_not_the_end_the_walk_stops_only_at_an_empty_page() {
        String account = LinkedInFake.newAdAccountId();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(LinkedInFake.newLeadId());
        }
        // 3 of the 100 asked for, and no next link: LinkedIn still has more (providers.md §3.7).
        stubPage(account, 0, ids.subList(0, 3));
        stubPage(account, 3, ids.subList(3, 5));
        stubPage(account, 5, List.of());

        List<String> seen = new ArrayList<>();
        List<String> positions = new ArrayList<>();
        ListRequest request = new ListRequest(SINCE, UNTIL, null, null);
        LeadPage page;
        do {
            page = lister.page(connection(account, "t"), request);
            page.leads().forEach(n -> seen.add(n.providerLeadId()));
            positions.add(page.nextPosition());
            request = request.next(page.nextPosition());
        } while (!page.last());

        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(positions).containsExactly("{\"start\":3}", "{\"start\":5}", null);
    }

    @Test
    void each_listed_lead_carries_its_whole_payload_and_maps_without_a_fetch() {
        String account = LinkedInFake.newAdAccountId();
        String leadId = LinkedInFake.newLeadId();
        stubPage(account, 0, List.of(leadId));

        LeadNotice notice = lister.page(connection(account, "t"), new ListRequest(SINCE, UNTIL, null, null))
                .leads().get(0);

        assertThat(notice).extracting(LeadNotice::providerType, LeadNotice::externalId, LeadNotice::providerLeadId,
                LeadNotice::formId, LeadNotice::adId, LeadNotice::createdTime)
                .containsExactly(ProviderType.LINKEDIN_ADS, account, leadId, "3162", "123456789",
                        Instant.ofEpochMilli(IN_WINDOW));
        assertThat(notice.hasPayload()).isTrue();
        NormalizedLead lead = mapper.map(new ProviderLead(leadId, notice.payload()), new MappingContext("US"));
        assertThat(lead.lead().email()).isEqualTo(leadId + "@acme.example");
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(API + "/leadFormResponses/" + leadId))))
                .as("no fetch").isEmpty();
    }

    @Test
    void leads_outside_the_window_are_left_out_but_still_move_the_position() {
        String account = LinkedInFake.newAdAccountId();
        String early = LinkedInFake.newLeadId();
        String inside = LinkedInFake.newLeadId();
        String atUntil = LinkedInFake.newLeadId();
        stubPageBodies(account, 0, List.of(
                LinkedInFake.lead(account, early, "e@x.example", SINCE.toEpochMilli() - 1),
                LinkedInFake.lead(account, inside, "i@x.example", SINCE.toEpochMilli()),
                LinkedInFake.lead(account, atUntil, "u@x.example", UNTIL.toEpochMilli())));

        LeadPage page = lister.page(connection(account, "t"), new ListRequest(SINCE, UNTIL, null, null));

        assertThat(page.leads()).extracting(LeadNotice::providerLeadId).containsExactly(inside);
        assertThat(page.nextPosition()).isEqualTo("{\"start\":3}");
    }

    @Test
    void a_form_id_keeps_only_that_forms_leads_of_every_version() {
        String account = LinkedInFake.newAdAccountId();
        String v1 = LinkedInFake.newLeadId();
        String v2 = LinkedInFake.newLeadId();
        String other = LinkedInFake.newLeadId();
        stubPageBodies(account, 0, List.of(
                formLead(account, v1, "3162", 1), formLead(account, v2, "3162", 2), formLead(account, other, "9999", 1)));

        LeadPage page = lister.page(connection(account, "t"), new ListRequest(SINCE, UNTIL, "3162", null));

        assertThat(page.leads()).extracting(LeadNotice::providerLeadId).containsExactly(v1, v2);
    }

    @Test
    void a_versioned_form_urn_is_filtered_by_linkedin() {
        String account = LinkedInFake.newAdAccountId();
        stubPage(account, 0, List.of());

        lister.page(connection(account, "t"), new ListRequest(SINCE, UNTIL,
                "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:3162,2)", null));

        LoggedRequest asked = single(getRequestedFor(urlPathEqualTo(API + "/leadFormResponses"))
                .withQueryParam("owner", containing(account)));
        assertThat(asked.getUrl()).contains(
                "&versionedLeadGenFormUrn=urn%3Ali%3AversionedLeadGenForm%3A(urn%3Ali%3AleadGenForm%3A3162,2)&");
    }

    @Test
    void leads_without_their_form_get_it_fetched_once_per_form_version_and_page() {
        String account = LinkedInFake.newAdAccountId();
        String formId = "79" + LinkedInFake.newAdAccountId();
        String a = LinkedInFake.newLeadId();
        String b = LinkedInFake.newLeadId();
        stubPageBodies(account, 0, List.of(
                LinkedInFake.leadWithoutForm(account, a, "a@x.example", IN_WINDOW, formId, 1),
                LinkedInFake.leadWithoutForm(account, b, "b@x.example", IN_WINDOW, formId, 1)));
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/leadForms/" + formId))
                .willReturn(json(200, LinkedInFake.form(formId))));

        LeadPage page = lister.page(connection(account, "t"), new ListRequest(SINCE, UNTIL, null, null));

        assertThat(page.leads()).allSatisfy(n -> assertThat(LinkedInForms.hasQuestions(n.payload())).isTrue());
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(API + "/leadForms/" + formId)))).hasSize(1);
    }

    @Test
    void a_throttled_listing_is_throttled_for_the_poller() {
        String account = LinkedInFake.newAdAccountId();
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/leadFormResponses"))
                .withQueryParam("owner", containing(account))
                .willReturn(json(429, LinkedInFake.error(429, 101, "TOO_MANY_REQUESTS",
                        "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."))));

        assertThatThrownBy(() -> lister.page(connection(account, "t"), new ListRequest(SINCE, UNTIL, null, null)))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
                    assertThat(e.retryAfter()).isEmpty();
                });
    }

    // --- token refresh ---------------------------------------------------------------------------------------

    @Test
    void a_refresh_posts_the_documented_form_and_returns_the_new_tokens() {
        String refreshToken = "AQW-refresh-" + LinkedInFake.newLeadId();
        Fakes.server().stubFor(post(urlPathEqualTo(LinkedInFake.TOKEN_PATH))
                .withRequestBody(containing("refresh_token=" + refreshToken))
                .willReturn(json(200, "{\"access_token\":\"AQV-new-access\",\"expires_in\":5184000,"
                        + "\"refresh_token\":\"AQW-rotated\",\"refresh_token_expires_in\":31103999,\"scope\":"
                        + "\"r_marketing_leadgen_automation,r_ads\"}")));
        Instant before = Instant.now();

        RefreshedTokens tokens = refresher.refresh(refreshToken, Map.of());

        assertThat(refresher.issuer()).isEqualTo("linkedin_ads");
        assertThat(tokens.accessToken()).isEqualTo("AQV-new-access");
        assertThat(tokens.refreshToken()).isEqualTo("AQW-rotated");
        assertThat(tokens.expiresAt()).isBetween(before.plus(Duration.ofDays(60)),
                Instant.now().plus(Duration.ofDays(60)));
        LoggedRequest sent = single(postRequestedFor(urlPathEqualTo(LinkedInFake.TOKEN_PATH))
                .withRequestBody(containing(refreshToken)));
        assertThat(sent.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(sent.getBodyAsString().split("&")).containsExactlyInAnyOrder("grant_type=refresh_token",
                "refresh_token=" + refreshToken, "client_id=" + LinkedInFake.CLIENT_ID,
                "client_secret=" + LinkedInFake.CLIENT_SECRET);
    }

    @Test
    void a_refresh_without_a_new_refresh_token_keeps_the_old_one() {
        String refreshToken = "AQW-keep-" + LinkedInFake.newLeadId();
        Fakes.server().stubFor(post(urlPathEqualTo(LinkedInFake.TOKEN_PATH))
                .withRequestBody(containing(refreshToken))
                .willReturn(json(200, "{\"access_token\":\"AQV-only-access\",\"expires_in\":5184000}")));

        RefreshedTokens tokens = refresher.refresh(refreshToken, Map.of());

        assertThat(tokens.accessToken()).isEqualTo("AQV-only-access");
        assertThat(tokens.refreshToken()).as("not rotated").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"error\":\"invalid_grant\",\"error_description\":\"The provided authorization grant is revoked\"}",
        "{\"error\":\"invalid_request\",\"error_description\":\"The provided authorization grant or refresh token is invalid, expired or revoked.\"}"})
    void a_dead_grant_is_grant_revoked(String body) {
        String refreshToken = "AQW-dead-" + LinkedInFake.newLeadId();
        Fakes.server().stubFor(post(urlPathEqualTo(LinkedInFake.TOKEN_PATH))
                .withRequestBody(containing(refreshToken)).willReturn(json(400, body)));

        assertThatThrownBy(() -> refresher.refresh(refreshToken, Map.of())).isInstanceOf(GrantRevoked.class);
    }

    @ParameterizedTest(name = "HTTP {0} {2} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "503|TRANSIENT|{\"error\":\"server_error\"}",
        "429|THROTTLED|{\"error\":\"too_many_requests\"}",
        "401|INVALID|{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}",
        "400|INVALID|{\"error\":\"invalid_request\",\"error_description\":\"A required parameter \\\"client_id\\\" is missing\"}"})
    void other_refusals_are_not_a_dead_grant(int status, Kind kind, String body) {
        String refreshToken = "AQW-other-" + LinkedInFake.newLeadId();
        Fakes.server().stubFor(post(urlPathEqualTo(LinkedInFake.TOKEN_PATH))
                .withRequestBody(containing(refreshToken)).willReturn(json(status, body)));

        assertThatThrownBy(() -> refresher.refresh(refreshToken, Map.of()))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static LeadNotice notice(String account, String leadId) {
        return LeadNotice.idsOnly(ProviderType.LINKEDIN_ADS, account, leadId, "3162", null, null);
    }

    private static void stubPage(String account, int start, List<String> leadIds) {
        stubPageBodies(account, start, leadIds.stream()
                .map(id -> LinkedInFake.lead(account, id, id + "@acme.example", IN_WINDOW)).toList());
    }

    private static void stubPageBodies(String account, int start, List<String> elements) {
        String body = "{\"paging\":{\"start\":" + start + ",\"count\":100,\"links\":[]," + "\"total\":"
                + (start + elements.size()) + "},\"elements\":[" + String.join(",", elements) + "]}";
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/leadFormResponses"))
                .withQueryParam("owner", containing(account))
                .withQueryParam("start", equalTo(String.valueOf(start)))
                .willReturn(json(200, body)));
    }

    private static String formLead(String account, String leadId, String formId, int version) {
        return LinkedInFake.withForm(LinkedInFake.leadWithoutForm(account, leadId, leadId + "@x.example", IN_WINDOW,
                formId, version), formId);
    }

    private static LoggedRequest single(RequestPatternBuilder pattern) {
        List<LoggedRequest> found = Fakes.server().findAll(pattern);
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
