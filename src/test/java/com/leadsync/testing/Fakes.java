package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * One WireMock server for the outside world the tests need: the Meta Graph API, HubSpot, a custom HTTP
 * CRM and webhook subscribers, each on its own documented paths.
 */
public final class Fakes {

    private static WireMockServer server;

    private Fakes() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                    .containerThreads(40).asynchronousResponseEnabled(true));
            server.start();
        }
        return server;
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + server().port();
    }
}
