package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    private Fakes() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            WireMockConfiguration config = wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                    .containerThreads(40).extensions(new PathCounter(),
                            new GraphLeadEcho());
            if (!Boolean.parseBoolean(System.getProperty("leadsync.fakes.journal", "true"))) {
                config.disableRequestJournal();
            }
            server = new WireMockServer(config);
            server.start();
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

    /** Name of a transformer answering GET /{version}/{leadId} with a Graph lead of that id (cheap, no templating). */
    public static final String GRAPH_LEAD_ECHO = "graph-lead-echo";

    private static final class GraphLeadEcho
            implements com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2 {
        @Override
        public com.github.tomakehurst.wiremock.http.ResponseDefinition transform(ServeEvent event) {
            String path = event.getRequest().getUrl().split("\\?")[0];
            String id = path.substring(path.lastIndexOf('/') + 1);
            String body = "{\"id\":\"" + id + "\",\"created_time\":\"2026-03-07T14:30:00+0000\","
                    + "\"form_id\":\"987654321098765\",\"field_data\":["
                    + "{\"name\":\"full_name\",\"values\":[\"Jane Doe\"]},"
                    + "{\"name\":\"email\",\"values\":[\"bench." + id + "@example.com\"]},"
                    + "{\"name\":\"phone_number\",\"values\":[\"+14155550123\"]}]}";
            return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder
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
