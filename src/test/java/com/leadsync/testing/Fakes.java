package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.LongAdder;

/**
 * One WireMock server for the outside world the tests need: the Meta Graph API, HubSpot, a custom HTTP
 * CRM and webhook subscribers, each on its own documented paths. Besides WireMock's request journal it
 * counts requests per path cheaply; the benchmark turns the journal off (-Dleadsync.fakes.journal=false)
 * so that the fakes take as little CPU as possible from the pipeline they measure.
 */
public final class Fakes {

    private static WireMockServer server;
    private static final Map<String, LongAdder> PER_PATH = new ConcurrentHashMap<>();
    private static final Map<String, LongAdder> ITEMS_PER_PATH = new ConcurrentHashMap<>();

    private Fakes() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            WireMockConfiguration config = wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                    .containerThreads(40).extensions(new PathCounter(),
                            new GraphLeadEcho(), new GraphPageLookup(), new GeneratedMetaListing.Transformer());
            if (!Boolean.parseBoolean(System.getProperty("leadsync.fakes.journal", "true"))) {
                config.disableRequestJournal();
            }
            server = new WireMockServer(config);
            server.start();
            // Above the default priority (5), so a test's or the benchmark's catch-all lead stub never answers
            // a page lookup; a test may still override one page's lookup at priority 1.
            server.stubFor(get(urlPathMatching("/v[0-9.]+/[^/]+")).withQueryParam("fields", equalTo("id,name"))
                    .atPriority(2).willReturn(aResponse().withHeader("content-type", "application/json")
                            .withTransformers(GRAPH_PAGE_LOOKUP)));
        }
        return server;
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + server().port();
    }

    /** Requests served so far for a method and path, e.g. {@code count("POST", "/bench/subscriber")}. */
    public static long count(String method, String path) {
        LongAdder n = PER_PATH.get(method + " " + path);
        return n == null ? 0 : n.sum();
    }

    /**
     * Records sent so far to a method and path: a request counts as the records it carries (a HubSpot batch as its
     * {@code inputs}, each naming its {@code idProperty}), any other request as one.
     */
    public static long countRecords(String method, String path) {
        LongAdder n = ITEMS_PER_PATH.get(method + " " + path);
        return n == null ? 0 : n.sum();
    }

    private static final Pattern BATCH_INPUT = Pattern.compile("\"idProperty\"\\s*:");

    /** Page access tokens the Graph fake knows: token → the page it belongs to. */
    private static final Map<String, String> PAGE_TOKENS = new ConcurrentHashMap<>();

    /** From now on the Graph fake answers {@code GET /{pageId}?fields=id,name} with that token (a page token). */
    /** HubSpot's contact property list (crm.md §A.1). */
    public static final String HUBSPOT_PROPERTIES = "/crm/v3/properties/contacts";

    /** HubSpot's contact property list for this token: the default properties and {@code extra}. */
    public static void stubHubSpotProperties(String token, String... extra) {
        List<String> names = new ArrayList<>(List.of("email", "firstname", "lastname", "phone", "company"));
        names.addAll(List.of(extra));
        StringBuilder results = new StringBuilder();
        for (String name : names) {
            results.append(results.isEmpty() ? "" : ",").append("{\"name\":\"").append(name)
                    .append("\",\"label\":\"").append(name).append("\",\"type\":\"string\",\"fieldType\":\"text\",")
                    .append("\"groupName\":\"contactinformation\",\"hidden\":false,\"hubspotDefined\":true}");
        }
        server().stubFor(get(urlEqualTo(HUBSPOT_PROPERTIES)).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("content-type", "application/json")
                        .withBody("{\"results\":[" + results + "]}")));
    }

    public static void grantPage(String pageId, String token) {
        PAGE_TOKENS.put(token, pageId);
    }

    private static final String GRAPH_PAGE_LOOKUP = "graph-page-lookup";

    /**
     * {@code GET /{version}/{pageId}?fields=id,name} as the Graph API answers it (providers.md §1.6 error shape):
     * the page for a token of that page, code 190 for a token it does not know, code 100/33 for a page the
     * token cannot reach.
     */
    private static final class GraphPageLookup
            implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String path = event.getRequest().getUrl().split("\\?")[0];
            String id = path.substring(path.lastIndexOf('/') + 1);
            String auth = event.getRequest().getHeader("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            String page = token == null ? null : PAGE_TOKENS.get(token);
            int status;
            String body;
            if (page == null) {
                status = 400;
                body = "{\"error\":{\"message\":\"Invalid OAuth access token - Cannot parse access token\","
                        + "\"type\":\"OAuthException\",\"code\":190,\"fbtrace_id\":\"AfakeTrace190\"}}";
            } else if (!page.equals(id)) {
                status = 400;
                body = "{\"error\":{\"message\":\"Unsupported get request. Object with ID '" + id
                        + "' does not exist, cannot be loaded due to missing permissions, or does not support this"
                        + " operation. Please read the Graph API documentation at"
                        + " https://developers.facebook.com/docs/graph-api\",\"type\":\"GraphMethodException\","
                        + "\"code\":100,\"error_subcode\":33,\"fbtrace_id\":\"AfakeTrace100\"}}";
            } else {
                status = 200;
                body = "{\"name\":\"Page " + id + "\",\"id\":\"" + id + "\"}";
            }
            return ResponseDefinitionBuilder
                    .like(event.getResponseDefinition()).but().withStatus(status).withBody(body).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return GRAPH_PAGE_LOOKUP;
        }
    }

    /** Name of a transformer answering GET /{version}/{leadId} with a Graph lead of that id (cheap, no templating). */
    public static final String GRAPH_LEAD_ECHO = "graph-lead-echo";

    private static final class GraphLeadEcho
            implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String path = event.getRequest().getUrl().split("\\?")[0];
            String id = path.substring(path.lastIndexOf('/') + 1);
            String body = "{\"id\":\"" + id + "\",\"created_time\":\"2026-03-07T14:30:00+0000\","
                    + "\"form_id\":\"987654321098765\",\"field_data\":["
                    + "{\"name\":\"full_name\",\"values\":[\"Jane Doe\"]},"
                    + "{\"name\":\"email\",\"values\":[\"bench." + id + "@example.com\"]},"
                    + "{\"name\":\"phone_number\",\"values\":[\"+14155550123\"]}]}";
            return ResponseDefinitionBuilder
                    .like(event.getResponseDefinition()).but().withBody(body).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return GRAPH_LEAD_ECHO;
        }
    }

    private static final class PathCounter implements ServeEventListener {
        @Override
        public void afterComplete(ServeEvent event, Parameters parameters) {
            String key = event.getRequest().getMethod().getName() + " " + event.getRequest().getUrl().split("\\?")[0];
            PER_PATH.computeIfAbsent(key, k -> new LongAdder()).increment();
            String body = event.getRequest().getBodyAsString();
            long inputs = body == null ? 0 : BATCH_INPUT.matcher(body).results().count();
            ITEMS_PER_PATH.computeIfAbsent(key, k -> new LongAdder()).add(Math.max(1, inputs));
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public String getName() {
            return "leadsync-path-counter";
        }
    }
}
