package com.leadsync.source.tiktok;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.Credentials;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.LeadPage;
import com.leadsync.source.ListRequest;
import com.leadsync.store.ConnectionStore;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.TikTokFake;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lead download walk against the TikTok fake: forms listed page by page, each form in the three data regions,
 * a task that is still running, files as CSV (BOM, quoted commas, newlines in cells) and zip, the [since, until)
 * filter applied here, and at most two leads per page so that a file takes several pages.
 */
@QuarkusTest
class TikTokLeadListerTest {

    private static final Instant SINCE = Instant.parse("2026-03-07T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-03-08T00:00:00Z");
    private static final String HEADER = "\uFEFFlead id,created_time,ad_id,ad_name,adgroup_id,adgroup_name,campaign_id,"
            + "campaign_name,form_id,form_name,Name,Email,\"What is your monthly budget?\"\r\n";

    @Inject
    @RestClient
    TikTokApi api;

    @Inject
    ObjectMapper json;
    @Inject
    Credentials credentials;
    @Inject
    ConnectionStore connections;

    private TikTokLeadLister lister;
    private String advertiser;
    private String token;
    private Connection connection;

    @BeforeEach
    void anAdvertiser() {
        lister = listerAt(Clock.systemUTC());
        advertiser = TikTokFake.newId();
        token = TikTokFake.newToken();
        connection = new Connection("con_" + advertiser, "acc_test", ProviderType.TIKTOK_ADS, advertiser, token, null,
                null, null, Instant.now(), ConnectionStatus.ACTIVE, null);
        // Calls go through Credentials, which reads the stored tokens.
        connections.create(connection);
    }

    private static MemorySize megabytes(int n) {
        return new MemorySize(BigInteger.valueOf(n * 1024L * 1024));
    }

    /** A lister whose clock is {@code clock}, asking to come back after 10 s at first (the default). */
    private TikTokLeadLister listerAt(Clock clock) {
        return new TikTokLeadLister(api, json, credentials, clock, 2, 100, megabytes(1), megabytes(4),
                Duration.ofSeconds(10));
    }

    private TikTokLeadLister listerAt(Instant now) {
        return listerAt(Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String row(String leadId, String time, String form, String name, String email, String budget) {
        return leadId + "," + time + ",1780000000000003,\"Video A, cut 2\",1780000000000002,US 25-44,1780000000000001,"
                + "Q4 Leads," + form + ",Demo form," + name + "," + email + "," + budget + "\r\n";
    }

    private List<LeadPage> walk(ListRequest first) {
        List<LeadPage> pages = new ArrayList<>();
        ListRequest request = first;
        for (int i = 0; i < 50; i++) {
            LeadPage page = lister.page(connection, request);
            pages.add(page);
            if (page.last()) {
                return pages;
            }
            assertThat(page.nextPosition()).hasSizeLessThan(300);
            request = request.next(page.nextPosition());
        }
        throw new AssertionError("the walk did not end in 50 pages");
    }

    private static List<LeadNotice> leads(List<LeadPage> pages) {
        return pages.stream().flatMap(p -> p.leads().stream()).toList();
    }

    @Test
    void two_forms_in_three_regions_give_every_lead_in_the_window_exactly_once() {
        String formA = TikTokFake.newId();
        String formB = TikTokFake.newId();
        TikTokFake.stubForms(advertiser, token, 1, 2, List.of(formA));
        TikTokFake.stubForms(advertiser, token, 2, 2, List.of(formB));
        String[] tasks = {TikTokFake.newId(), TikTokFake.newId(), TikTokFake.newId(), TikTokFake.newId(),
            TikTokFake.newId(), TikTokFake.newId()};
        TikTokFake.stubTask(advertiser, token, formA, null, tasks[0], 1, "SUCCEED");
        TikTokFake.stubTask(advertiser, token, formA, "eu", tasks[1], 0, "SUCCEED");
        TikTokFake.stubTask(advertiser, token, formA, "us", tasks[2], 0, "SUCCEED");
        TikTokFake.stubTask(advertiser, token, formB, null, tasks[3], 0, "SUCCEED");
        TikTokFake.stubTask(advertiser, token, formB, "eu", tasks[4], 0, "SUCCEED");
        TikTokFake.stubTask(advertiser, token, formB, "us", tasks[5], 0, "SUCCEED");
        // Form A, rest of world: three leads in the window, one before it; quoted commas and a newline in a cell.
        TikTokFake.stubDownload(advertiser, token, tasks[0], null, TikTokFake.csv(HEADER
                + row("7433000000000000001", "2026-03-07 09:00:00", formA, "\"Doe, Jane\"", "jane@example.com",
                        "\"$5k-$10k, maybe more\"")
                + row("7433000000000000002", "2026-03-06 23:59:59", formA, "Too Early", "early@example.com", "none")
                + row("7433000000000000003", "2026-03-07 10:00:00", formA, "Bob", "bob@example.com",
                        "\"Depends.\nAsk me\"")
                + row("7433000000000000004", "2026-03-07 23:59:59", formA, "Cy", "cy@example.com", "")),
                "text/csv");
        TikTokFake.stubDownload(advertiser, token, tasks[1], "eu", TikTokFake.csv(HEADER
                + row("7433000000000000011", "2026-03-07 11:00:00", formA, "Eva", "eva@example.eu", "€1k")),
                "text/csv; charset=utf-8");
        TikTokFake.stubDownload(advertiser, token, tasks[2], "us", TikTokFake.csv(HEADER), "text/csv");
        TikTokFake.stubDownload(advertiser, token, tasks[3], null, TikTokFake.zip("leads.csv", TikTokFake.csv(HEADER
                + row("7433000000000000021", "2026-03-07 12:00:00", formB, "Zed", "zed@example.com", "small")
                + row("7433000000000000022", "2026-03-07 13:00:00", formB, "Yan", "yan@example.com", "large"))),
                "application/zip");
        TikTokFake.stubDownload(advertiser, token, tasks[4], "eu", TikTokFake.csv(HEADER
                + row("7433000000000000031", "2026-03-08 00:00:00", formB, "Too Late", "late@example.eu", "")
                + row("7433000000000000032", "2026-03-07 14:00:00", formB, "Uma", "uma@example.eu", "")),
                "text/csv");
        TikTokFake.stubDownload(advertiser, token, tasks[5], "us", new byte[0], "text/csv");

        List<LeadPage> pages = walk(new ListRequest(SINCE, UNTIL, null, null));

        assertThat(pages.get(0).leads()).as("the first task is still running").isEmpty();
        assertThat(pages.get(0).nextPosition()).contains(tasks[0]);
        assertThat(pages).allSatisfy(p -> assertThat(p.leads()).hasSizeLessThanOrEqualTo(2));
        List<LeadNotice> leads = leads(pages);
        assertThat(leads).extracting(LeadNotice::providerLeadId).containsExactly(
                "7433000000000000001", "7433000000000000003", "7433000000000000004", "7433000000000000011",
                "7433000000000000021", "7433000000000000022", "7433000000000000032");
        assertThat(leads).allSatisfy(n -> {
            assertThat(n.providerType()).isEqualTo(ProviderType.TIKTOK_ADS);
            assertThat(n.externalId()).isEqualTo(advertiser);
            assertThat(n.adId()).isEqualTo("1780000000000003");
            assertThat(n.hasPayload()).isTrue();
        });
        assertThat(leads).filteredOn(n -> n.formId().equals(formA)).hasSize(4);
        assertThat(leads).filteredOn(n -> n.formId().equals(formB)).hasSize(3);
        LeadNotice jane = leads.get(0);
        assertThat(jane.createdTime()).isEqualTo(Instant.parse("2026-03-07T09:00:00Z"));
        assertThat(jane.payload().path("region").asText()).isEqualTo("row");
        assertThat(jane.payload().path("columns").path("Name").asText()).isEqualTo("Doe, Jane");
        assertThat(jane.payload().path("columns").path("What is your monthly budget?").asText())
                .isEqualTo("$5k-$10k, maybe more");
        assertThat(leads.get(1).payload().path("columns").path("What is your monthly budget?").asText())
                .isEqualTo("Depends.\nAsk me");
        assertThat(leads.get(3).payload().path("region").asText()).isEqualTo("eu");
        assertThat(TikTokLeadMapper.map(leads.get(0).payload(), null).lead().fullName()).isEqualTo("Doe, Jane");

        // One task per form and region, each made once, the regions sent as x-lead-region (none for the rest).
        for (String form : List.of(formA, formB)) {
            assertThat(Fakes.server().findAll(postRequestedFor(urlPathEqualTo(TikTokFake.LEAD_TASK))
                    .withRequestBody(matchingJsonPath("$.page_id", equalTo(form)))
                    .withRequestBody(notContaining("task_id")))).hasSize(3)
                    .extracting(r -> r.getHeader("x-lead-region")).containsExactlyInAnyOrder(null, "eu", "us");
        }
        // Form A's first file held four rows for a page size of two: it was downloaded for each of its pages.
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(TikTokFake.DOWNLOAD))
                .withQueryParam("task_id", equalTo(tasks[0])))).hasSize(2);
    }

    @Test
    void one_form_is_read_in_its_three_regions_without_listing_forms() {
        String form = TikTokFake.newId();
        String[] tasks = {TikTokFake.newId(), TikTokFake.newId(), TikTokFake.newId()};
        TikTokFake.stubTask(advertiser, token, form, null, tasks[0], 0, "SUCCEED");
        TikTokFake.stubTask(advertiser, token, form, "eu", tasks[1], 0, "SUCCEED");
        TikTokFake.stubTask(advertiser, token, form, "us", tasks[2], 2, "SUCCEED");
        TikTokFake.stubDownload(advertiser, token, tasks[0], null, TikTokFake.csv(HEADER), "text/csv");
        TikTokFake.stubDownload(advertiser, token, tasks[1], "eu", TikTokFake.csv(HEADER), "text/csv");
        TikTokFake.stubDownload(advertiser, token, tasks[2], "us", TikTokFake.csv(HEADER
                + row("7433000000000000041", "2026-03-07 15:00:00", form, "Ida", "ida@example.com", "")),
                "text/csv");

        List<LeadPage> pages = walk(new ListRequest(SINCE, UNTIL, form, null));

        assertThat(leads(pages)).extracting(LeadNotice::providerLeadId).containsExactly("7433000000000000041");
        assertThat(pages.get(pages.size() - 1).last()).isTrue();
        assertThat(Fakes.server().findAll(getRequestedFor(urlPathEqualTo(TikTokFake.PAGES))
                .withQueryParam("advertiser_id", equalTo(advertiser)))).isEmpty();
    }

    @Test
    void a_failed_task_is_replaced_by_a_fresh_one_and_then_its_failure_is_the_error() {
        String form = TikTokFake.newId();
        String task = TikTokFake.newId();
        TikTokFake.stubTask(advertiser, token, form, null, task, 0, "FAILED");
        ListRequest request = new ListRequest(SINCE, UNTIL, form, null);

        List<String> positions = new ArrayList<>();
        ProviderCallException failure = null;
        for (int i = 0; i < 10 && failure == null; i++) {
            try {
                LeadPage page = lister.page(connection, request);
                assertThat(page.leads()).isEmpty();
                positions.add(page.nextPosition());
                request = request.next(page.nextPosition());
            } catch (ProviderCallException e) {
                failure = e;
            }
        }

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains(task, "FAILED", "after 2 fresh tasks");
        assertThat(failure.isTransient()).isTrue();
        assertThat(positions).anyMatch(p -> p.contains("\"restarts\":2"));
        assertThat(Fakes.server().findAll(postRequestedFor(urlPathEqualTo(TikTokFake.LEAD_TASK))
                .withRequestBody(matchingJsonPath("$.page_id", equalTo(form)))
                .withRequestBody(notContaining("task_id")))).hasSize(1 + TikTokLeadLister.MAX_TASK_RESTARTS);
    }

    @Test
    void a_task_still_running_asks_to_come_back_later_with_a_delay_that_grows_as_it_keeps_running() {
        String form = TikTokFake.newId();
        String task = TikTokFake.newId();
        TikTokFake.stubTask(advertiser, token, form, null, task, 5, "SUCCEED");
        Instant created = Instant.parse("2026-03-08T10:00:00Z");

        LeadPage first = listerAt(created).page(connection, new ListRequest(SINCE, UNTIL, form, null));
        LeadPage later = listerAt(created.plusSeconds(90)).page(connection,
                new ListRequest(SINCE, UNTIL, form, first.nextPosition()));

        assertThat(first.leads()).isEmpty();
        assertThat(first.retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(first.nextPosition()).contains("\"taskId\":\"" + task + "\"")
                .contains("\"taskCreatedAt\":" + created.getEpochSecond());
        assertThat(later.leads()).isEmpty();
        assertThat(later.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(later.nextPosition()).as("the same task, created at the same time").isEqualTo(first.nextPosition());
    }

    @Test
    void a_task_that_is_still_not_ready_after_ten_minutes_is_replaced_by_a_fresh_one() {
        String form = TikTokFake.newId();
        String task = TikTokFake.newId();
        TikTokFake.stubTask(advertiser, token, form, null, task, 5, "SUCCEED");
        Instant created = Instant.parse("2026-03-08T10:00:00Z");
        LeadPage first = listerAt(created).page(connection, new ListRequest(SINCE, UNTIL, form, null));

        LeadPage stuck = listerAt(created.plus(Duration.ofMinutes(11))).page(connection,
                new ListRequest(SINCE, UNTIL, form, first.nextPosition()));

        assertThat(stuck.leads()).isEmpty();
        assertThat(stuck.retryAfter()).as("a fresh task is created at once").isNull();
        assertThat(stuck.nextPosition()).doesNotContain("taskId").contains("\"restarts\":1");
    }

    @Test
    void task_error_40200_makes_a_fresh_task_and_after_the_last_one_it_is_the_error() {
        String form = TikTokFake.newId();
        TikTokFake.stubAny(TikTokFake.LEAD_TASK, token, TikTokFake.envelope(40200, "Task error, please retry the task.",
                "{}"));
        String polling = new TikTokListPosition(1, 0, form, null, "row", TikTokFake.newId(),
                Instant.now().getEpochSecond(), 0, 0).encode(json);

        LeadPage restarted = lister.page(connection, new ListRequest(SINCE, UNTIL, form, polling));
        LeadPage createdAgain = lister.page(connection, new ListRequest(SINCE, UNTIL, form, restarted.nextPosition()));

        assertThat(restarted.nextPosition()).doesNotContain("taskId").contains("\"restarts\":1");
        assertThat(createdAgain.nextPosition()).doesNotContain("taskId").contains("\"restarts\":2");
        assertThatThrownBy(() -> lister.page(connection, new ListRequest(SINCE, UNTIL, form,
                createdAgain.nextPosition()))).isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.getMessage()).contains("code 40200", "after 2 fresh tasks");
                    assertThat(e.isTransient()).isTrue();
                });
    }

    @Test
    void a_download_that_is_not_ready_yet_waits_on_the_same_task() {
        String form = TikTokFake.newId();
        String task = TikTokFake.newId();
        TikTokFake.stubTask(advertiser, token, form, null, task, 0, "SUCCEED");
        TikTokFake.stubDownload(advertiser, token, task, null, TikTokFake.csv(TikTokFake.envelope(40201,
                "The task is not ready, please try again later.", "{}")), "application/json");

        LeadPage page = lister.page(connection, new ListRequest(SINCE, UNTIL, form, null));

        assertThat(page.leads()).isEmpty();
        assertThat(page.nextPosition()).contains("\"taskId\":\"" + task + "\"").contains("\"restarts\":0");
        assertThat(page.retryAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void a_revoked_token_while_downloading_is_unauthorized() {
        String form = TikTokFake.newId();
        String task = TikTokFake.newId();
        TikTokFake.stubTask(advertiser, token, form, "eu", task, 0, "SUCCEED");
        TikTokFake.stubDownload(advertiser, token, task, "eu", TikTokFake.csv(TikTokFake.envelope(40105,
                "Access token is incorrect or has been revoked.", "{}")), "application/json");
        String inEu = new TikTokListPosition(1, 0, form, null, "eu", null, null, 0, 0).encode(json);
        LeadPage created = lister.page(connection, new ListRequest(SINCE, UNTIL, form, inEu));
        assertThat(created.nextPosition()).contains(task);

        assertThatThrownBy(() -> lister.page(connection, new ListRequest(SINCE, UNTIL, form, created.nextPosition())))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("code 40105");
                });
    }

    @Test
    void a_rate_limit_code_inside_http_200_throttles_the_walk() {
        TikTokFake.stubAny(TikTokFake.PAGES, token, TikTokFake.envelope(40100,
                "Requests made too frequently, please try again later.", "{}"));

        assertThatThrownBy(() -> lister.page(connection, new ListRequest(SINCE, UNTIL, null, null)))
                .isInstanceOfSatisfying(ProviderCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.THROTTLED));
    }

    @Test
    void an_advertiser_without_lead_forms_is_walked_in_one_empty_page() {
        TikTokFake.stubForms(advertiser, token, 1, 0, List.of());

        List<LeadPage> pages = walk(new ListRequest(SINCE, UNTIL, null, null));

        assertThat(pages).hasSize(1);
        assertThat(pages.get(0).leads()).isEmpty();
    }

    @Test
    void an_unreadable_position_is_refused() {
        for (String position : List.of("not json", "{\"formsPage\":0,\"region\":\"row\"}",
                "{\"formsPage\":1,\"region\":\"mars\"}", "{\"formsPage\":1,\"region\":\"row\",\"taskId\":\"7\"}")) {
            assertThatThrownBy(() -> lister.page(connection, new ListRequest(SINCE, UNTIL, null, position)))
                    .isInstanceOfSatisfying(ProviderCallException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
        }
    }
}
