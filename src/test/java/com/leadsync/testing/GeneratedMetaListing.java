package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Meta page with one lead form holding {@code count} leads, whose {@code /{form-id}/leads} listing is generated
 * page by page from the {@code after} cursor (providers.md §1.2), so that a listing of any size costs the fake one
 * page of memory. Lead {@code i} is deterministic (id, name, email, phone) and was created {@code i} seconds before
 * {@code newest}; the {@code time_created} filter is honoured ({@code GREATER_THAN}/{@code LESS_THAN} in unix
 * seconds), {@code limit} is the page size (Graph's default 25), and every page but the last has {@code paging.next}.
 * An unreadable cursor or filter gets Graph's code-100 error body (§1.6).
 */
public final class GeneratedMetaListing {

    /** Called on the fake's thread before a page is answered; the walker asking for it waits meanwhile. */
    @FunctionalInterface
    public interface PageGate {
        /** {@code page} (0-based) of {@code pages} in the requested window at the requested limit. */
        void beforePage(int page, int pages);
    }

    static final String TRANSFORMER = "graph-generated-leads";
    private static final String VERSION = Scenario.GRAPH_VERSION;
    private static final Map<String, GeneratedMetaListing> FORMS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx")
            .withZone(ZoneOffset.UTC);
    private static final String[] FIRST = {"Jane", "Luis", "Amara", "Kenji", "Olivia", "Mateo", "Priya", "Noah"};
    private static final String[] LAST = {"Doe", "García", "Okafor", "Tanaka", "Smith", "Rossi", "Sharma", "Müller"};
    private static final String[] BUDGETS = {"$1k-$5k", "$5k-$10k", "$10k+"};

    private final String formId;
    private final int count;
    private final long newestSecond;
    private final PageGate gate;
    private final AtomicInteger pagesServed = new AtomicInteger();
    private volatile long lastPageServedNanos;

    private GeneratedMetaListing(String formId, int count, Instant newest, PageGate gate) {
        this.formId = formId;
        this.count = count;
        this.newestSecond = newest.getEpochSecond();
        this.gate = gate;
    }

    /** The page of {@code s} lists one form, {@code formId}, whose listing is generated (through {@code gate}). */
    public static GeneratedMetaListing stub(Scenario s, String formId, int count, Instant newest, PageGate gate) {
        GeneratedMetaListing listing = new GeneratedMetaListing(formId, count, newest, gate);
        FORMS.put(formId, listing);
        MetaListingFake.of(s).forms(25, formId);
        Fakes.server().stubFor(get(urlPathEqualTo("/" + VERSION + "/" + formId + "/leads"))
                .withHeader("Authorization", equalTo("Bearer " + s.pageToken))
                .willReturn(aResponse().withHeader("content-type", "application/json").withTransformers(TRANSFORMER)));
        return listing;
    }

    public String leadgenId(int i) {
        return formId + String.format("%07d", i);
    }

    public String email(int i) {
        return FIRST[i % FIRST.length].toLowerCase() + "." + i + "@example.com";
    }

    /** Lead {@code i} as {@code /{form-id}/leads} lists it, with the fields of {@code MetaLeadSource.LEAD_FIELDS}. */
    public String lead(int i) {
        String first = FIRST[i % FIRST.length];
        String last = LAST[(i / FIRST.length) % LAST.length];
        return """
                {"id":"%s","created_time":"%s","ad_id":"120210000000000002","ad_name":"Spring – Demo request – Lead ad",\
                "adset_id":"120210000000000001","adset_name":"US – Lookalike 1%%","campaign_id":"120210000000000000",\
                "campaign_name":"Q2 Lead Gen","form_id":"%s","is_organic":false,"platform":"%s","field_data":[\
                {"name":"full_name","values":["%s %s"]},{"name":"email","values":["%s"]},\
                {"name":"phone_number","values":["(415) 555-%04d"]},{"name":"company_name","values":["Acme %d Inc"]},\
                {"name":"city","values":["San Francisco"]},{"name":"what_is_your_monthly_budget?","values":["%s"]}],\
                "custom_disclaimer_responses":[{"checkbox_key":"marketing_opt_in","is_checked":"%s"}]}"""
                .formatted(leadgenId(i), GRAPH_TIME.format(Instant.ofEpochSecond(newestSecond - i)), formId,
                        i % 5 == 0 ? "ig" : "fb", first, last, email(i), i % 10_000, i % 97,
                        BUDGETS[i % BUDGETS.length], i % 2 == 0 ? "1" : "0");
    }

    /** Pages answered so far (a page asked twice counts twice). */
    public int pagesServed() {
        return pagesServed.get();
    }

    /** {@link System#nanoTime()} when the last page of a window was answered; 0 before. */
    public long lastPageServedNanos() {
        return lastPageServedNanos;
    }

    private String page(Request request) {
        int limit = intParam(request, "limit", 25);
        long[] window = window(request.queryParameter("filtering"));
        // Lead i was created at newest - i s: the leads inside (since, until) are the indexes [lo, hi).
        int lo = (int) Math.max(0, Math.min(count, newestSecond - window[1] + 1));
        int hi = (int) Math.max(lo, Math.min(count, newestSecond - window[0]));
        QueryParameter after = request.queryParameter("after");
        int from = after.isPresent() ? decode(after.firstValue()) : lo;
        if (from < lo || from > hi) {
            throw new BadRequest("Invalid cursor: " + after.firstValue());
        }
        int to = Math.min(hi, from + limit);
        int pages = Math.max(1, (hi - lo + limit - 1) / limit);
        int index = (from - lo) / limit;
        gate.beforePage(index, pages);
        StringBuilder body = new StringBuilder(1024 + (to - from) * 800).append("{\"data\":[");
        for (int i = from; i < to; i++) {
            body.append(i == from ? "" : ",").append(lead(i));
        }
        body.append("],\"paging\":{\"cursors\":{\"before\":\"").append(encode(from)).append('"');
        if (to < hi) {
            body.append(",\"after\":\"").append(encode(to)).append("\"},\"next\":\"https://graph.facebook.com/")
                    .append(VERSION).append('/').append(formId).append("/leads?limit=").append(limit)
                    .append("&after=").append(encode(to)).append("\"}}");
        } else {
            body.append("}}}");
            lastPageServedNanos = System.nanoTime();
        }
        pagesServed.incrementAndGet();
        return body.toString();
    }

    /** {since, until} in unix seconds from Graph's {@code filtering} on {@code time_created}; open ends as ±∞. */
    private static long[] window(QueryParameter filtering) {
        long[] window = {Long.MIN_VALUE / 2, Long.MAX_VALUE / 2};
        if (!filtering.isPresent()) {
            return window;
        }
        JsonNode filters;
        try {
            filters = JSON.readTree(filtering.firstValue());
        } catch (JsonProcessingException e) {
            throw new BadRequest("Invalid parameter filtering: not JSON");
        }
        for (JsonNode f : filters) {
            if (!"time_created".equals(f.path("field").asText()) || !f.path("value").canConvertToLong()) {
                throw new BadRequest("Invalid filtering " + f);
            }
            long value = f.path("value").asLong();
            switch (f.path("operator").asText()) {
                case "GREATER_THAN" -> window[0] = value;
                case "GREATER_THAN_OR_EQUAL" -> window[0] = value - 1;
                case "LESS_THAN" -> window[1] = value;
                default -> throw new BadRequest("Invalid filtering operator " + f.path("operator"));
            }
        }
        return window;
    }

    private static int intParam(Request request, String name, int otherwise) {
        QueryParameter p = request.queryParameter(name);
        try {
            return p.isPresent() ? Math.max(1, Integer.parseInt(p.firstValue())) : otherwise;
        } catch (NumberFormatException e) {
            throw new BadRequest("Invalid parameter " + name);
        }
    }

    private static String encode(int index) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("QVFIgenerated:" + index).getBytes(StandardCharsets.UTF_8));
    }

    private static int decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            return Integer.parseInt(text.substring(text.indexOf(':') + 1));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("Invalid cursor: " + cursor);
        }
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** The WireMock extension behind {@link #stub} (registered in {@link Fakes}). */
    static final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String path = request.getUrl().split("\\?")[0];
            String formId = path.substring(0, path.lastIndexOf('/'));
            formId = formId.substring(formId.lastIndexOf('/') + 1);
            GeneratedMetaListing listing = FORMS.get(formId);
            int status = 200;
            String body;
            try {
                if (listing == null) {
                    throw new BadRequest("Unknown form " + formId);
                }
                body = listing.page(request);
            } catch (BadRequest e) {
                status = 400;
                body = "{\"error\":{\"message\":\"(#100) " + e.getMessage().replace("\"", "'")
                        + "\",\"type\":\"OAuthException\",\"code\":100,\"fbtrace_id\":\"AgeneratedTrace\"}}";
            }
            return ResponseDefinitionBuilder.like(event.getResponseDefinition()).but().withStatus(status)
                    .withBody(body).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return TRANSFORMER;
        }
    }
}
