package com.leadsync.source.meta;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.LeadPage;
import com.leadsync.source.ListRequest;
import com.leadsync.store.ConnectionStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real REST client against a Graph API fake speaking providers.md §1.2/§1.6 shapes. */
@QuarkusTest
class MetaGraphApiTest {

    @Inject
    MetaLeadSource meta;
    @Inject
    MetaLeadLister lister;

    private static final Instant SINCE = Instant.ofEpochSecond(1772800000);
    private static final Instant UNTIL = Instant.ofEpochSecond(1772900000);
    private static final String FILTERING = "[{\"field\":\"time_created\",\"operator\":\"GREATER_THAN\","
            + "\"value\":1772800000},{\"field\":\"time_created\",\"operator\":\"LESS_THAN\",\"value\":1772900000}]";

    @Inject
    ConnectionStore connections;

    private static final Connection PAGE = new Connection("con_1", "acc_1", ProviderType.META_LEAD_ADS,
            "106842931234567", "page-token-xyz", null, null, Map.of(), Instant.EPOCH, ConnectionStatus.ACTIVE, null);

    /** Fetches read the stored tokens (Credentials), and a 190 marks the page needs_reauth: each test starts afresh. */
    @BeforeEach
    void storedPage() {
        connections.findByRoute(PAGE.providerType(), PAGE.externalId()).ifPresent(connections::delete);
        connections.create(PAGE);
    }

    @ParameterizedTest(name = "HTTP {0}, Graph code {1} -> transient={2}")
    @CsvSource({"400,190,false", "400,100,false", "403,200,false", "400,4,true", "400,17,true", "400,613,true",
            "400,80005,true", "500,1,true", "503,2,true"})
    void graph_errors_are_classified(int status, int code, boolean transientFailure) {
        String leadId = "77" + status + code;
        Fakes.server().stubFor(get(urlPathEqualTo("/v25.0/" + leadId)).willReturn(aResponse().withStatus(status)
                .withHeader("content-type", "application/json")
                .withBody("{\"error\":{\"message\":\"Graph says no\",\"type\":\"OAuthException\",\"code\":" + code
                        + ",\"fbtrace_id\":\"AbC\"}}")));
        assertThatThrownBy(() -> meta.fetch(PAGE, notice(leadId)))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.isTransient()).isEqualTo(transientFailure);
                    assertThat(e.getMessage()).contains("Graph says no").contains("code " + code);
                });
    }

    @Test
    void a_lead_fetch_meeting_100_33_is_a_missing_permission_for_a_person_to_fix() {
        // providers.md §1.6/§1.7: "Object ... does not exist, cannot be loaded due to missing permissions": for a
        // lead whose id Meta itself just sent, that is the token lacking leads access, not a lead that is gone.
        Fakes.server().stubFor(get(urlPathEqualTo("/v25.0/7710033")).willReturn(aResponse().withStatus(400)
                .withHeader("content-type", "application/json")
                .withBody("{\"error\":{\"message\":\"Unsupported get request.\",\"type\":\"GraphMethodException\","
                        + "\"code\":100,\"error_subcode\":33,\"fbtrace_id\":\"AbC\"}}")));

        assertThatThrownBy(() -> meta.fetch(PAGE, notice("7710033")))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderCallException.Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains("code 100/33").contains("Unsupported get request.");
                });
    }

    @Test
    void a_lead_answer_over_the_answer_limit_is_refused_rather_than_read_whole() {
        // %test: leadsync.providers.max-answer-size=1M. A runaway answer must not end the function out of memory.
        Fakes.server().stubFor(get(urlPathEqualTo("/v25.0/7719999")).willReturn(aResponse()
                .withHeader("content-type", "application/json")
                .withBody("{\"id\":\"7719999\",\"created_time\":\"2026-03-07T14:30:00+0000\",\"field_data\":[{\"name\":"
                        + "\"notes\",\"values\":[\"" + "x".repeat(1_500_000) + "\"]}]}")));

        assertThatThrownBy(() -> meta.fetch(PAGE, notice("7719999")))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderCallException.Kind.INVALID);
                    assertThat(e.getMessage()).contains("fetch lead 7719999").contains("larger than 1048576 bytes");
                });
    }

    @Test
    void fetch_sends_the_page_token_and_asks_for_the_lead_fields() {
        Fakes.server().stubFor(get(urlPathEqualTo("/v25.0/5550001"))
                .withHeader("Authorization", equalTo("Bearer page-token-xyz"))
                .withQueryParam("fields", equalTo(MetaLeadSource.LEAD_FIELDS))
                .willReturn(aResponse().withHeader("content-type", "application/json")
                        .withBody("{\"id\":\"5550001\",\"created_time\":\"2026-03-07T14:30:00+0000\",\"field_data\":[]}")));
        assertThat(meta.fetch(PAGE, notice("5550001")).payload().path("id").asText()).isEqualTo("5550001");
    }

    @Test
    void the_lister_pages_through_the_forms_and_each_forms_leads_with_the_time_filter_until_no_next() {
        String pageId = Scenario.newPageId();
        Connection page = connection(pageId);
        String f1 = pageId + "1";
        String f2 = pageId + "2";
        String f3 = pageId + "3";
        stubForms(pageId, null, """
                {"data":[{"id":"%s","name":"Demo","status":"ACTIVE"},{"id":"%s","name":"Old","status":"ARCHIVED"}],
                 "paging":{"cursors":{"before":"QVFA","after":"FORMS2"},
                           "next":"https://graph.facebook.com/v25.0/%s/leadgen_forms?after=FORMS2"}}"""
                .formatted(f1, f2, pageId));
        stubForms(pageId, "FORMS2", """
                {"data":[{"id":"%s","name":"Quote","status":"ACTIVE"}],"paging":{"cursors":{"before":"QVFB","after":"QVFC"}}}"""
                .formatted(f3));
        stubLeads(f1, null, """
                {"data":[%s,%s],"paging":{"cursors":{"before":"QVFD","after":"F1B"},
                 "next":"https://graph.facebook.com/v25.0/%s/leads?after=F1B"}}"""
                .formatted(lead("11", f1, "2026-03-07T14:30:00+0000"), lead("12", f1, "2026-03-07T14:31:00+0000"), f1));
        stubLeads(f1, "F1B", """
                {"data":[%s],"paging":{"cursors":{"before":"QVFE","after":"QVFF"}}}"""
                .formatted(lead("13", f1, "2026-03-07T14:32:00+0000")));
        stubLeads(f2, null, "{\"data\":[]}");
        // Only the next URL carries the cursor here.
        stubLeads(f3, null, """
                {"data":[%s],"paging":{"next":"https://graph.facebook.com/v25.0/%s/leads?limit=100&after=F3%%2BB"}}"""
                .formatted(lead("31", null, "2026-03-07T15:00:00+0000"), f3));
        stubLeads(f3, "F3+B", """
                {"data":[%s]}""".formatted(lead("32", f3, "2026-03-07T15:01:00+0000")));

        List<LeadNotice> seen = new ArrayList<>();
        ListRequest request = new ListRequest(SINCE, UNTIL, null, null);
        int steps = 0;
        while (true) {
            LeadPage p = lister.page(page, request);
            seen.addAll(p.leads());
            steps++;
            assertThat(steps).as("steps").isLessThan(20);
            if (p.last()) {
                break;
            }
            assertThat(p.nextPosition()).hasSizeLessThan(400);
            request = request.next(p.nextPosition());
        }

        assertThat(seen).extracting(LeadNotice::providerLeadId).containsExactly("5511", "5512", "5513", "5531", "5532");
        assertThat(seen).allSatisfy(n -> {
            assertThat(n.providerType()).isEqualTo(ProviderType.META_LEAD_ADS);
            assertThat(n.externalId()).isEqualTo(pageId);
            assertThat(n.hasPayload()).isTrue();
            assertThat(n.payload().path("id").asText()).isEqualTo(n.providerLeadId());
        });
        assertThat(seen.get(0).formId()).isEqualTo(f1);
        assertThat(seen.get(0).adId()).isEqualTo("120210000000000002");
        assertThat(seen.get(0).createdTime()).isEqualTo(Instant.parse("2026-03-07T14:30:00Z"));
        assertThat(seen.get(3).formId()).as("a lead without form_id is the listed form's").isEqualTo(f3);
        // forms page, next forms page, then f1 twice, f2 once, f3 twice: one Graph call per step.
        assertThat(steps).isEqualTo(7);
    }

    @Test
    void a_form_id_limits_the_listing_to_that_form() {
        String pageId = Scenario.newPageId();
        String form = pageId + "7";
        stubLeads(form, null, "{\"data\":[%s]}".formatted(lead("71", form, "2026-03-07T14:30:00+0000")));

        LeadPage p = lister.page(connection(pageId), new ListRequest(SINCE, UNTIL, form, null));

        assertThat(p.leads()).extracting(LeadNotice::providerLeadId).containsExactly("5571");
        assertThat(p.last()).isTrue();
        assertThat(Fakes.count("GET", "/v25.0/" + pageId + "/leadgen_forms")).isZero();
    }

    @Test
    void a_next_link_without_a_cursor_is_an_error_that_never_quotes_the_link_or_its_token() {
        String pageId = Scenario.newPageId();
        String form = pageId + "6";
        // Graph's next links can carry the caller's access token; this one has no after cursor to go on with.
        stubLeads(form, null, "{\"data\":[],\"paging\":{\"next\":\"https://graph.facebook.com/v25.0/" + form
                + "/leads?access_token=EAAGsecret0123456789&limit=100\"}}");

        assertThatThrownBy(() -> lister.page(connection(pageId), new ListRequest(SINCE, UNTIL, form, null)))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.getMessage()).contains("paging.next").contains("after");
                    assertThat(e.getMessage()).doesNotContain("EAAGsecret", "access_token", "https://", "graph.facebook");
                });
    }

    @Test
    void a_form_the_token_cannot_read_is_skipped_when_listing_the_page_but_fails_an_import_of_it() {
        String pageId = Scenario.newPageId();
        String gone = pageId + "8";
        String next = pageId + "9";
        stubForms(pageId, null, "{\"data\":[{\"id\":\"%s\"},{\"id\":\"%s\"}]}".formatted(gone, next));
        Fakes.server().stubFor(leadsOf(gone, null).willReturn(aResponse().withStatus(400)
                .withHeader("content-type", "application/json").withBody("""
                        {"error":{"message":"Unsupported get request. Object with ID '%s' does not exist","type":
                        "GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"AbC"}}""".formatted(gone))));
        stubLeads(next, null, "{\"data\":[%s]}".formatted(lead("91", next, "2026-03-07T14:30:00+0000")));

        Connection page = connection(pageId);
        LeadPage forms = lister.page(page, new ListRequest(SINCE, UNTIL, null, null));
        LeadPage skipped = lister.page(page, new ListRequest(SINCE, UNTIL, null, forms.nextPosition()));
        assertThat(skipped.leads()).isEmpty();
        LeadPage last = lister.page(page, new ListRequest(SINCE, UNTIL, null, skipped.nextPosition()));
        assertThat(last.leads()).extracting(LeadNotice::providerLeadId).containsExactly("5591");
        assertThat(last.last()).isTrue();

        assertThatThrownBy(() -> lister.page(page, new ListRequest(SINCE, UNTIL, gone, null)))
                .isInstanceOfSatisfying(ProviderCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProviderCallException.Kind.NOT_FOUND));
    }

    @ParameterizedTest(name = "Graph code {0} while listing is THROTTLED")
    @CsvSource({"4", "17", "32", "613", "80000", "80005", "80014"})
    void rate_limit_codes_while_listing_are_throttling(int code) {
        String pageId = Scenario.newPageId();
        Fakes.server().stubFor(get(urlPathEqualTo("/v25.0/" + pageId + "/leadgen_forms")).willReturn(aResponse()
                .withStatus(400).withHeader("content-type", "application/json")
                .withBody("{\"error\":{\"message\":\"(#" + code + ") Too many calls\",\"type\":\"OAuthException\","
                        + "\"code\":" + code + ",\"fbtrace_id\":\"AbC\"}}")));
        assertThatThrownBy(() -> lister.page(connection(pageId), new ListRequest(SINCE, UNTIL, null, null)))
                .isInstanceOfSatisfying(ProviderCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProviderCallException.Kind.THROTTLED));
    }

    /** A stored page: the lister calls through Credentials, which reads the stored tokens. */
    private Connection connection(String pageId) {
        Connection c = new Connection("con_" + pageId, "acc_1", ProviderType.META_LEAD_ADS, pageId, "page-token-xyz",
                null, null, Map.of(), Instant.EPOCH, ConnectionStatus.ACTIVE, null);
        connections.findByRoute(c.providerType(), pageId).ifPresent(connections::delete);
        connections.create(c);
        return c;
    }

    private static String lead(String suffix, String formId, String createdTime) {
        return """
                {"id":"55%s","created_time":"%s",%s"ad_id":"120210000000000002","field_data":[
                 {"name":"email","values":["lead%s@example.com"]}]}"""
                .formatted(suffix, createdTime, formId == null ? "" : "\"form_id\":\"" + formId + "\",", suffix);
    }

    private static void stubForms(String pageId, String after, String body) {
        MappingBuilder get = get(urlPathEqualTo("/v25.0/" + pageId + "/leadgen_forms"))
                .withHeader("Authorization", equalTo("Bearer page-token-xyz"))
                .withQueryParam("fields", equalTo(MetaLeadLister.FORM_FIELDS))
                .withQueryParam("limit", equalTo(Integer.toString(MetaLeadLister.FORMS_PAGE_SIZE)));
        get = after == null ? get.withQueryParam("after", absent()) : get.withQueryParam("after", equalTo(after));
        Fakes.server().stubFor(get.willReturn(aResponse().withHeader("content-type", "application/json").withBody(body)));
    }

    private static MappingBuilder leadsOf(String formId, String after) {
        MappingBuilder get = get(urlPathEqualTo("/v25.0/" + formId + "/leads"))
                .withHeader("Authorization", equalTo("Bearer page-token-xyz"))
                .withQueryParam("fields", equalTo(MetaLeadSource.LEAD_FIELDS))
                .withQueryParam("limit", equalTo("100"))
                .withQueryParam("filtering", equalTo(FILTERING));
        return after == null ? get.withQueryParam("after", absent()) : get.withQueryParam("after", equalTo(after));
    }

    private static void stubLeads(String formId, String after, String body) {
        Fakes.server().stubFor(leadsOf(formId, after)
                .willReturn(aResponse().withHeader("content-type", "application/json").withBody(body)));
    }

    private static LeadNotice notice(String id) {
        return LeadNotice.idsOnly(ProviderType.META_LEAD_ADS, "106842931234567", id, "987654321098765", null, null);
    }
}
