package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.List;
import java.util.UUID;

/**
 * Facebook Login's side of a Meta connect on the shared WireMock server, in providers.md §1.4 and §1.6's shapes: the
 * Graph API's token endpoint (code exchange, then {@code fb_exchange_token}), {@code /me/accounts} in two pages and
 * {@code /{page-id}/subscribed_apps}, each answering only the codes and tokens a test stubbed.
 */
public final class MetaOAuthFake {

    public static final String TYPE = "meta_lead_ads";
    public static final String V = "/" + Scenario.GRAPH_VERSION;
    public static final String TOKEN = V + "/oauth/access_token";
    public static final String ACCOUNTS = V + "/me/accounts";
    public static final String REDIRECT = "https://leadsync.example.test/oauth/meta_lead_ads/callback";
    public static final String ALL_TASKS = "[\"ANALYZE\",\"ADVERTISE\",\"MODERATE\",\"CREATE_CONTENT\",\"MANAGE\"]";

    private MetaOAuthFake() {
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("content-type", "application/json").withBody(body);
    }

    /** The code exchange and the fb_exchange_token call, as Meta answers them; returns the long-lived token. */
    public static String tokens(String code) {
        String shortLived = "EAAshort" + UUID.randomUUID().toString().replace("-", "");
        String longLived = "EAAlong" + UUID.randomUUID().toString().replace("-", "");
        Fakes.server().stubFor(get(urlPathEqualTo(TOKEN)).withQueryParam("code", equalTo(code))
                .withQueryParam("client_id", equalTo("test-meta-app-id"))
                .withQueryParam("client_secret", equalTo("test-meta-app-secret"))
                .withQueryParam("redirect_uri", equalTo(REDIRECT))
                .willReturn(json(200, "{\"access_token\":\"" + shortLived
                        + "\",\"token_type\":\"bearer\",\"expires_in\":5183}")));
        Fakes.server().stubFor(get(urlPathEqualTo(TOKEN)).withQueryParam("grant_type", equalTo("fb_exchange_token"))
                .withQueryParam("fb_exchange_token", equalTo(shortLived))
                .withQueryParam("client_id", equalTo("test-meta-app-id"))
                .withQueryParam("client_secret", equalTo("test-meta-app-secret"))
                .willReturn(json(200, "{\"access_token\":\"" + longLived
                        + "\",\"token_type\":\"bearer\",\"expires_in\":5183944}")));
        return longLived;
    }

    /** One page of {@code /me/accounts}: its page token and the tasks the person has on it (null: none listed). */
    public static String page(String id, String token, String tasks) {
        return "{\"access_token\":\"" + token + "\",\"category\":\"Software\",\"category_list\":[{\"id\":\"2211\","
                + "\"name\":\"Software\"}],\"name\":\"Page " + id + "\",\"id\":\"" + id + "\""
                + (tasks == null ? "" : ",\"tasks\":" + tasks) + "}";
    }

    /** {@code /me/accounts} for that user token: the first listing page, then the page its after cursor names. */
    public static void accounts(String userToken, List<String> first, List<String> second) {
        String after = "QVFIU" + UUID.randomUUID().toString().replace("-", "");
        String firstBody = "{\"data\":[" + String.join(",", first) + "],\"paging\":{\"cursors\":{\"before\":\"QVFIb\","
                + "\"after\":\"" + after + "\"},\"next\":\"https://graph.facebook.com/v25.0/me/accounts?limit=100&after="
                + after + "\"}}";
        String secondBody = "{\"data\":[" + String.join(",", second) + "],\"paging\":{\"cursors\":{\"before\":\""
                + after + "\",\"after\":\"QVFIend\"}}}";
        Fakes.server().stubFor(get(urlPathEqualTo(ACCOUNTS)).withHeader("Authorization", equalTo("Bearer " + userToken))
                .withQueryParam("after", absent()).willReturn(json(200, firstBody)));
        Fakes.server().stubFor(get(urlPathEqualTo(ACCOUNTS)).withHeader("Authorization", equalTo("Bearer " + userToken))
                .withQueryParam("after", equalTo(after)).willReturn(json(200, secondBody)));
    }

    /** The page subscribes the app to its {@code leadgen} webhooks when asked with its page token. */
    public static void subscribe(String pageId, String pageToken) {
        Fakes.server().stubFor(post(urlPathEqualTo(V + "/" + pageId + "/subscribed_apps"))
                .withQueryParam("subscribed_fields", equalTo("leadgen"))
                .withHeader("Authorization", equalTo("Bearer " + pageToken))
                .willReturn(json(200, "{\"success\":true}")));
    }

    /** A person who may read the leads of one page, {@code pageId}, consenting with {@code code}. */
    public static void grantsOnePage(String code, String pageId) {
        String pageToken = newToken();
        accounts(tokens(code), List.of(page(pageId, pageToken, ALL_TASKS)), List.of());
        subscribe(pageId, pageToken);
    }

    public static String newCode() {
        return "AQD" + UUID.randomUUID().toString().replace("-", "");
    }

    public static String newToken() {
        return "EAApage" + UUID.randomUUID().toString().replace("-", "");
    }
}
