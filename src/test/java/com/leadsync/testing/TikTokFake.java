package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import com.leadsync.crypto.HmacSha256;
import com.leadsync.source.tiktok.TikTokSignature;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The TikTok API for Business v1.3 on the shared WireMock server, under {@link #API} (the test profile points
 * {@code quarkus.rest-client.tiktok.url} at {@code /tiktok/open_api}), in providers.md §4's shapes: the envelope
 * {@code {"code","message","request_id","data"}} with HTTP 200 for errors too, the {@code Access-Token} header, the
 * lead forms listing, the lead download task (create, then poll with {@code task_id}) and its file, per
 * {@code x-lead-region}. Plus the webhook TikTok sends, signed with the test app secret.
 */
public final class TikTokFake {

    public static final String APP_SECRET = "test-tiktok-app-secret";
    public static final String API = "/tiktok/open_api/v1.3";
    public static final String ADVERTISER_INFO = API + "/advertiser/info/";
    public static final String PAGES = API + "/page/get/";
    public static final String LEAD_TASK = API + "/page/lead/task/";
    public static final String DOWNLOAD = API + "/page/lead/task/download/";

    private static boolean catchAll;

    private TikTokFake() {
    }

    /** A 19-digit id, beyond 2^53, as TikTok's advertiser, lead, form and task ids are. */
    public static String newId() {
        return Long.toString(7_000_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(999_999_999_999_999_999L));
    }

    public static String newToken() {
        return "act." + UUID.randomUUID().toString().replace("-", "");
    }

    /** TikTok's envelope; {@code data} is JSON. */
    public static String envelope(int code, String message, String data) {
        return "{\"code\":" + code + ",\"message\":\"" + message + "\",\"request_id\":\"20260307143000" + code
                + "ABCDEF\",\"data\":" + data + "}";
    }

    public static String ok(String data) {
        return envelope(0, "OK", data);
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** From now on {@code advertiser/info} lists {@code advertiserId} for {@code token}. */
    public static synchronized void grantAdvertiser(String advertiserId, String token) {
        if (!catchAll) {
            // A token nobody granted: TikTok's answer to an invalid token, inside HTTP 200.
            Fakes.server().stubFor(get(urlPathEqualTo(ADVERTISER_INFO)).atPriority(9).willReturn(json(envelope(40105,
                    "Access token is incorrect or has been revoked.", "{}"))));
            catchAll = true;
        }
        Fakes.server().stubFor(get(urlPathEqualTo(ADVERTISER_INFO))
                .withQueryParam("advertiser_ids", equalTo("[\"" + advertiserId + "\"]"))
                .withHeader("Access-Token", equalTo(token))
                .willReturn(json(ok("{\"list\":[{\"advertiser_id\":\"" + advertiserId + "\",\"name\":\"Acme Ads "
                        + advertiserId + "\",\"status\":\"STATUS_ENABLE\",\"role\":\"ROLE_ADVERTISER\","
                        + "\"currency\":\"USD\",\"timezone\":\"Etc/GMT\",\"country\":\"US\"}]}"))));
    }

    /** {@code advertiser/info} for that advertiser and token answers {@code body} (status 200 unless given). */
    public static void stubAdvertiserInfo(String advertiserId, String token, int status, String body) {
        Fakes.server().stubFor(get(urlPathEqualTo(ADVERTISER_INFO))
                .withQueryParam("advertiser_ids", equalTo("[\"" + advertiserId + "\"]"))
                .withHeader("Access-Token", equalTo(token)).atPriority(1)
                .willReturn(json(body).withStatus(status)));
    }

    /** One page of the advertiser's lead forms ({@code /page/get/?business_type=LEAD_GEN}). */
    public static void stubForms(String advertiserId, String token, int page, int totalPages, List<String> formIds) {
        String list = formIds.stream().map(id -> "{\"page_id\":\"" + id + "\",\"title\":\"Form " + id + "\","
                + "\"status\":\"PUBLISHED\",\"create_time\":\"2026-01-05 10:00:00\","
                + "\"update_time\":\"2026-01-05 10:00:00\"}").collect(Collectors.joining(","));
        Fakes.server().stubFor(get(urlPathEqualTo(PAGES)).withQueryParam("advertiser_id", equalTo(advertiserId))
                .withQueryParam("business_type", equalTo("LEAD_GEN")).withQueryParam("page", equalTo(page + ""))
                .withHeader("Access-Token", equalTo(token))
                .willReturn(json(ok("{\"list\":[" + list + "],\"page_info\":{\"page\":" + page + ",\"page_size\":"
                        + Math.max(1, formIds.size()) + ",\"total_number\":" + (totalPages * formIds.size())
                        + ",\"total_page\":" + totalPages + "}}"))));
    }

    /** Any call on {@code path} with that token answers {@code body} (for error envelopes). */
    public static void stubAny(String path, String token, String body) {
        MappingBuilder request = path.equals(LEAD_TASK) ? post(urlPathEqualTo(path)) : get(urlPathEqualTo(path));
        Fakes.server().stubFor(request.withHeader("Access-Token", equalTo(token)).atPriority(1)
                .willReturn(json(body)));
    }

    private static StringValuePattern region(String region) {
        return region == null ? absent() : equalTo(region);
    }

    /**
     * The download task of that form in {@code region} (null: no {@code x-lead-region}): creating it answers
     * {@code taskId} CREATED; polling it answers RUNNING {@code runningPolls} times, then {@code finalStatus}.
     */
    public static void stubTask(String advertiserId, String token, String formId, String region, String taskId,
            int runningPolls, String finalStatus) {
        Fakes.server().stubFor(post(urlPathEqualTo(LEAD_TASK)).withHeader("Access-Token", equalTo(token))
                .withHeader("x-lead-region", region(region))
                .withRequestBody(matchingJsonPath("$.advertiser_id", equalTo(advertiserId)))
                .withRequestBody(matchingJsonPath("$.page_id", equalTo(formId)))
                .withRequestBody(notContaining("task_id"))
                .willReturn(json(ok("{\"task_id\":\"" + taskId + "\",\"status\":\"CREATED\"}"))));
        String scenario = "tiktok-task-" + taskId;
        for (int poll = 0; poll <= runningPolls; poll++) {
            String state = poll == 0 ? STARTED : "polled-" + poll;
            String data = poll < runningPolls ? "{\"task_id\":\"" + taskId + "\",\"status\":\"RUNNING\"}"
                    : "{\"task_id\":\"" + taskId + "\",\"status\":\"" + finalStatus + "\""
                            + ("SUCCEED".equals(finalStatus) ? ",\"file_name\":\"leads_" + formId + ".csv\","
                                    + "\"file_type\":\"csv\"" : "") + "}";
            ScenarioMappingBuilder pollStub = post(urlPathEqualTo(LEAD_TASK)).withHeader("Access-Token", equalTo(token))
                    .withHeader("x-lead-region", region(region))
                    .withRequestBody(matchingJsonPath("$.advertiser_id", equalTo(advertiserId)))
                    .withRequestBody(matchingJsonPath("$.task_id", equalTo(taskId)))
                    .inScenario(scenario).whenScenarioStateIs(state);
            if (poll < runningPolls) {
                pollStub = pollStub.willSetStateTo("polled-" + (poll + 1));
            }
            Fakes.server().stubFor(pollStub.willReturn(json(ok(data))));
        }
    }

    /** The finished task's file, as TikTok serves it. */
    public static void stubDownload(String advertiserId, String token, String taskId, String region, byte[] body,
            String contentType) {
        Fakes.server().stubFor(get(urlPathEqualTo(DOWNLOAD)).withQueryParam("advertiser_id", equalTo(advertiserId))
                .withQueryParam("task_id", equalTo(taskId)).withHeader("Access-Token", equalTo(token))
                .withHeader("x-lead-region", region(region))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body)));
    }

    public static byte[] csv(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A zip holding one CSV, as TikTok sends files over 10 MB. */
    public static byte[] zip(String name, byte[] csv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(csv);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // --- the account side: an account with a TikTok advertiser connected through the public API ---------------

    public record Advertiser(String accountId, String apiKey, String advertiserId, String token) {
    }

    /** A new account with a new advertiser connected (its token granted by the fake). */
    public static Advertiser connected() {
        Response r = Scenario.given().header("x-api-key", Scenario.ADMIN_KEY)
                .contentType(ContentType.JSON).body(Map.of("name", "TikTok " + UUID.randomUUID())).post("/accounts");
        r.then().statusCode(201);
        String apiKey = r.path("apiKey");
        String advertiserId = newId();
        String token = newToken();
        grantAdvertiser(advertiserId, token);
        connect(apiKey, advertiserId, token).then().statusCode(201);
        return new Advertiser(r.path("accountId"), apiKey, advertiserId, token);
    }

    /** {@code POST /connections} of a TikTok advertiser with that token, as the account of {@code apiKey}. */
    public static Response connect(String apiKey, String advertiserId, String token) {
        return Scenario.given().header("x-api-key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("providerType", "tiktok_ads", "externalId", advertiserId, "accessToken", token))
                .post("/connections");
    }

    // --- the webhook TikTok sends -----------------------------------------------------------------------

    /** One lead entry of a webhook, in the documented shape. */
    public static String leadEntry(String leadId, String advertiserId, String email) {
        return """
                {"id":"%s","lead_source":"INSTANT_FORM","page_id":"7123456789012345678","page_name":"Demo request form",
                 "advertiser_id":"%s","advertiser_name":"Acme Ads","library_id":"","campaign_id":"1780000000000001",
                 "campaign_name":"Q4 Leads","adgroup_id":"1780000000000002","adgroup_name":"US 25-44",
                 "ad_id":"1780000000000003","ad_name":"Video A","create_time":1772893800,
                 "changes":[{"field":"name","value":"  Jane   Doe "},{"field":"email","value":"%s"},
                   {"field":"phone_number","value":"(415) 555-0123"},{"field":"company_name","value":"Acme Inc"},
                   {"field":"city","value":"San Francisco"},
                   {"field":"What is your monthly budget?","value":"$5k-$10k"}]}"""
                .formatted(leadId, advertiserId, email);
    }

    public static String webhookBody(String... entries) {
        return "{\"request_id\":\"2026030714300001234567890ABCDEF\",\"object\":1,\"time\":1772893803,\"entry\":["
                + String.join(",", entries) + "]}";
    }

    public static String sign(byte[] body) {
        return sign(body, APP_SECRET);
    }

    /** The {@code X-Open-Signature} TikTok sends for {@code body} under {@code secret}: lower-case hex HMAC-SHA256. */
    public static String sign(byte[] body, String secret) {
        return HexFormat.of().formatHex(HmacSha256.mac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    public static Response postWebhook(byte[] body, String signature) {
        RequestSpecification request = Scenario.given().contentType("application/json").body(body);
        return (signature == null ? request : request.header(TikTokSignature.HEADER, signature))
                .post("/webhook/tiktok_ads");
    }

    public static Response postSigned(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return postWebhook(bytes, sign(bytes));
    }
}
