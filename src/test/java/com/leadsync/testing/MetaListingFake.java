package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Graph API's listing of a page's leads as providers.md §1.2 shows it: {@code /{page-id}/leadgen_forms} and
 * {@code /{form-id}/leads}, paged by {@code paging.cursors.after} with a {@code paging.next} URL until the last
 * page, for one page token; throttling answered with §1.6's error body. The leads are answered whatever the
 * {@code filtering} (tests read the filter from the request journal).
 */
public final class MetaListingFake {

    private static final String VERSION = Scenario.GRAPH_VERSION;

    private final String pageId;
    private final String token;
    private int delayMillis;

    private MetaListingFake(String pageId, String token) {
        this.pageId = pageId;
        this.token = token;
    }

    public static MetaListingFake of(Scenario s) {
        return new MetaListingFake(s.pageId, s.pageToken);
    }

    /** Every answer from now on takes this long (to make overlapping polls visible). */
    public MetaListingFake delayed(int millis) {
        this.delayMillis = millis;
        return this;
    }

    /** The page's forms, {@code perPage} per forms page. */
    public MetaListingFake forms(int perPage, String... formIds) {
        List<String> pages = new ArrayList<>();
        for (int from = 0; from < formIds.length; from += perPage) {
            StringBuilder data = new StringBuilder();
            for (int i = from; i < Math.min(formIds.length, from + perPage); i++) {
                data.append(data.length() == 0 ? "" : ",").append("{\"id\":\"").append(formIds[i])
                        .append("\",\"name\":\"Form ").append(i).append("\",\"status\":\"ACTIVE\"}");
            }
            pages.add(data.toString());
        }
        if (pages.isEmpty()) {
            pages.add("");
        }
        stubPages(pageId + "/leadgen_forms", pages);
        return this;
    }

    /** A form's leads (JSON objects of {@link #lead}), {@code perPage} per page. */
    public MetaListingFake leads(String formId, int perPage, String... leads) {
        List<String> pages = new ArrayList<>();
        for (int from = 0; from < leads.length; from += perPage) {
            pages.add(String.join(",", List.of(leads).subList(from, Math.min(leads.length, from + perPage))));
        }
        if (pages.isEmpty()) {
            pages.add("");
        }
        stubPages(formId + "/leads", pages);
        return this;
    }

    /**
     * The {@code page}-th page (0-based) of that form's leads answers Graph's throttling error (code 4) the first
     * {@code times} times it is asked, then its leads again.
     */
    public MetaListingFake throttle(String formId, int page, int times) {
        String name = "throttle-" + formId + "-" + page;
        String state = STARTED;
        for (int i = 0; i < times; i++) {
            String next = "throttled-" + (i + 1);
            Fakes.server().stubFor(pageRequest(formId + "/leads", page).atPriority(1).inScenario(name)
                    .whenScenarioStateIs(state).willSetStateTo(next).willReturn(aResponse().withStatus(400)
                            .withHeader("content-type", "application/json")
                            .withBody("{\"error\":{\"message\":\"(#4) Application request limit reached\",\"type\":"
                                    + "\"OAuthException\",\"is_transient\":true,\"code\":4,\"fbtrace_id\":\"AthrottleX\"}}")));
            state = next;
        }
        return this;
    }

    /**
     * Page {@code page} of the form's leads answers Graph's HTTP 500 "unexpected error, retry later" (code 2)
     * {@code times} times, then its leads; {@code times} 0: for good.
     */
    public MetaListingFake outage(String formId, int page, int times) {
        String name = "outage-" + formId + "-" + page;
        String state = STARTED;
        for (int i = 0; times == 0 ? i < 1 : i < times; i++) {
            String next = "failed-" + (i + 1);
            MappingBuilder request = pageRequest(formId + "/leads", page).atPriority(1);
            if (times > 0) {
                request = request.inScenario(name).whenScenarioStateIs(state).willSetStateTo(next);
            }
            Fakes.server().stubFor(request.willReturn(aResponse().withStatus(500)
                    .withHeader("content-type", "application/json")
                    .withBody("{\"error\":{\"message\":\"An unexpected error has occurred. Please retry your request"
                            + " later.\",\"type\":\"OAuthException\",\"is_transient\":true,\"code\":2,"
                            + "\"fbtrace_id\":\"AoutageX\"}}")));
            state = next;
        }
        return this;
    }

    /** A lead as {@code /{form-id}/leads} lists it (the same object {@code GET /{lead-id}} answers). */
    public static String lead(String leadgenId, String formId, String email) {
        return """
                {"id":"%s","created_time":"2026-03-07T14:30:00+0000","ad_id":"120210000000000002",
                 "adset_id":"120210000000000001","campaign_id":"120210000000000000","form_id":"%s",
                 "is_organic":false,"platform":"fb",
                 "field_data":[{"name":"full_name","values":["  Jane   Doe "]},{"name":"email","values":["%s"]},
                   {"name":"phone_number","values":["(415) 555-0123"]},{"name":"company_name","values":["Acme Inc"]},
                   {"name":"city","values":["San Francisco"]},
                   {"name":"what_is_your_monthly_budget?","values":["$5k-$10k"]}]}"""
                .formatted(leadgenId, formId, email);
    }

    /** The listing requests served for {@code path} ({@code <formId>/leads}, {@code <pageId>/leadgen_forms}), oldest first. */
    public static List<LoggedRequest> requests(String path) {
        return Fakes.server().findAll(getRequestedFor(urlPathEqualTo("/" + VERSION + "/" + path))).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    /** The requests for one page of {@code path} (0-based), by its cursor. */
    public static List<LoggedRequest> requestsOfPage(String path, int page) {
        return requests(path).stream().filter(r -> {
            QueryParameter after = r.queryParameter("after");
            return page == 0 ? !after.isPresent() : after.isPresent() && cursor(path, page).equals(after.firstValue());
        }).toList();
    }

    private void stubPages(String path, List<String> pages) {
        for (int i = 0; i < pages.size(); i++) {
            boolean last = i == pages.size() - 1;
            String paging = "\"paging\":{\"cursors\":{\"before\":\"" + cursor(path, i) + "-before\""
                    + (last ? "" : ",\"after\":\"" + cursor(path, i + 1) + "\"") + "}"
                    + (last ? "" : ",\"next\":\"https://graph.facebook.com/" + VERSION + "/" + path + "?after="
                            + cursor(path, i + 1) + "\"") + "}";
            Fakes.server().stubFor(pageRequest(path, i).willReturn(aResponse().withHeader("content-type",
                    "application/json").withFixedDelay(delayMillis).withBody("{\"data\":[" + pages.get(i) + "],"
                            + paging + "}")));
        }
    }

    private MappingBuilder pageRequest(String path, int page) {
        MappingBuilder get = get(urlPathEqualTo("/" + VERSION + "/" + path))
                .withHeader("Authorization", equalTo("Bearer " + token));
        return page == 0 ? get.withQueryParam("after", absent())
                : get.withQueryParam("after", equalTo(cursor(path, page)));
    }

    private static String cursor(String path, int page) {
        return "QVF" + path.replace("/", "_") + "_" + page;
    }
}
