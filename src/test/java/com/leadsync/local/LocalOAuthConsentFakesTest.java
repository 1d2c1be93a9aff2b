package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Local mode's click-through of Meta and TikTok connect: each consent stand-in sends the browser back to the
 * callback with a code and the state, and the code buys what MetaOAuth / TikTokOAuth ask for next, once.
 */
class LocalOAuthConsentFakesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUBLIC = "http://localhost:8080";
    private static final String GRAPH = "http://localhost:8080/_local/meta-graph/v25.0/";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-17T15:00:00Z"));
    private final LocalMetaOAuthFake meta = new LocalMetaOAuthFake(Optional.of("local-meta-app-id"),
            Optional.of("local-meta-app-secret"), Optional.of(PUBLIC), List.of("106842931234567"),
            List.of("local-page-token"), clock, JSON);
    private final LocalTikTokOAuthFake tiktok = new LocalTikTokOAuthFake(Optional.of("local-tiktok-app-id"),
            Optional.of("local-tiktok-app-secret"), Optional.of(PUBLIC), List.of("7012345678901234567"),
            List.of("local-tiktok-token"), clock, JSON);

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new HashMap<>();
        for (String part : URI.create(url).getRawQuery().split("&")) {
            String[] kv = part.split("=", 2);
            out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    private static JsonNode body(FakeReply reply) throws IOException {
        return JSON.readTree(reply.text());
    }

    @Test
    void meta_consent_sends_a_code_back_that_buys_a_long_lived_token_the_pages_and_their_subscription()
            throws IOException {
        String callback = PUBLIC + "/oauth/meta_lead_ads/callback";
        FakeReply consent = meta.consent(FakeRequest.to(PUBLIC + "/_local/meta/oauth/authorize?client_id="
                + "local-meta-app-id&redirect_uri=" + enc(callback) + "&state=s.t&response_type=code"));
        assertThat(consent.status()).isEqualTo(302);
        String location = consent.headers().get("location");
        assertThat(location).startsWith(callback + "?");
        assertThat(query(location)).containsEntry("state", "s.t");
        String code = query(location).get("code");

        String exchange = GRAPH + "oauth/access_token?client_id=local-meta-app-id&client_secret=local-meta-app-secret"
                + "&redirect_uri=" + enc(callback) + "&code=" + enc(code);
        FakeReply shortLived = meta.token(FakeRequest.to(exchange));
        assertThat(shortLived.status()).isEqualTo(200);
        String user = body(shortLived).path("access_token").asText();
        FakeReply reused = meta.token(FakeRequest.to(exchange));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(body(reused).path("error").path("type").asText()).isEqualTo("OAuthException");

        FakeReply longLived = meta.token(FakeRequest.to(GRAPH + "oauth/access_token?grant_type=fb_exchange_token"
                + "&client_id=local-meta-app-id&client_secret=local-meta-app-secret&fb_exchange_token=" + enc(user)));
        String userLong = body(longLived).path("access_token").asText();
        assertThat(body(longLived).path("expires_in").asLong()).isEqualTo(Duration.ofDays(60).toSeconds());
        assertThat(body(meta.accounts(FakeRequest.to(GRAPH + "me/accounts", "Authorization", "Bearer " + user)))
                .path("error").path("code").asInt()).isEqualTo(190);

        JsonNode pages = body(meta.accounts(FakeRequest.to(GRAPH + "me/accounts?fields=id,name,access_token,tasks",
                "Authorization", "Bearer " + userLong)));
        assertThat(pages.path("data").get(0).path("id").asText()).isEqualTo("106842931234567");
        assertThat(pages.path("data").get(0).path("access_token").asText()).isEqualTo("local-page-token");
        FakeReply subscribed = meta.subscribe("106842931234567", FakeRequest.posting(GRAPH
                + "106842931234567/subscribed_apps?subscribed_fields=leadgen", "", "Authorization",
                "Bearer local-page-token"));
        assertThat(body(subscribed).path("success").asBoolean()).isTrue();
    }

    @Test
    void meta_consent_refuses_another_app_or_a_redirect_uri_outside_leadsync() {
        assertThat(meta.consent(FakeRequest.to(PUBLIC + "/_local/meta/oauth/authorize?client_id=other&redirect_uri="
                + enc(PUBLIC + "/oauth/meta_lead_ads/callback"))).status()).isEqualTo(400);
        assertThat(meta.consent(FakeRequest.to(PUBLIC + "/_local/meta/oauth/authorize?client_id=local-meta-app-id"
                + "&redirect_uri=" + enc("https://evil.example/cb"))).status()).isEqualTo(400);
    }

    @Test
    void tiktok_consent_sends_an_auth_code_back_good_once_for_the_long_term_token_and_the_advertisers()
            throws IOException {
        String callback = PUBLIC + "/oauth/tiktok_ads/callback";
        FakeReply consent = tiktok.consent(FakeRequest.to(PUBLIC + "/_local/tiktok/portal/auth?app_id="
                + "local-tiktok-app-id&state=s.t&redirect_uri=" + enc(callback)));
        assertThat(consent.status()).isEqualTo(302);
        Map<String, String> back = query(consent.headers().get("location"));
        assertThat(back).containsEntry("state", "s.t").containsKey("auth_code");
        String request = "{\"app_id\":\"local-tiktok-app-id\",\"secret\":\"local-tiktok-app-secret\",\"auth_code\":\""
                + back.get("auth_code") + "\"}";

        JsonNode granted = body(tiktok.token(FakeRequest.posting(PUBLIC + "/_local/tiktok/v1.3/oauth2/access_token/",
                request, "Content-Type", "application/json")));
        assertThat(granted.path("code").asInt()).isZero();
        assertThat(granted.path("data").path("access_token").asText()).isEqualTo("local-tiktok-token");
        assertThat(granted.path("data").path("advertiser_ids").get(0).asText()).isEqualTo("7012345678901234567");

        FakeReply again = tiktok.token(FakeRequest.posting(PUBLIC + "/_local/tiktok/v1.3/oauth2/access_token/",
                request, "Content-Type", "application/json"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(body(again).path("code").asInt()).isEqualTo(40002);
    }

    @Test
    void a_tiktok_auth_code_expires_after_an_hour() throws IOException {
        FakeReply consent = tiktok.consent(FakeRequest.to(PUBLIC + "/_local/tiktok/portal/auth?app_id="
                + "local-tiktok-app-id&state=s&redirect_uri=" + enc(PUBLIC + "/oauth/tiktok_ads/callback")));
        String code = query(consent.headers().get("location")).get("auth_code");
        clock.advance(Duration.ofMinutes(61));

        JsonNode answer = body(tiktok.token(FakeRequest.posting(PUBLIC + "/_local/tiktok/v1.3/oauth2/access_token/",
                "{\"app_id\":\"local-tiktok-app-id\",\"secret\":\"local-tiktok-app-secret\",\"auth_code\":\"" + code
                        + "\"}")));

        assertThat(answer.path("code").asInt()).isEqualTo(40002);
    }
}
