package com.leadsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The payload 2.0 JSON as API Gateway sends and reads it: request {@code cookies} in, response {@code cookies} out. */
class HttpApiPayloadTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void an_events_cookies_are_read_from_its_top_level_cookies_array() throws Exception {
        HttpApiEvent event = json.readValue("""
                {"version": "2.0", "routeKey": "GET /oauth/{type}/callback", "rawPath": "/oauth/x/callback",
                 "rawQueryString": "code=c", "cookies": ["a=1", "__Host-leadsync-oauth=k3y"],
                 "headers": {"accept": "text/html"}, "queryStringParameters": {"code": "c"},
                 "isBase64Encoded": false,
                 "requestContext": {"requestId": "r", "http": {"method": "GET", "path": "/oauth/x/callback"}}}
                """, HttpApiEvent.class);

        assertThat(event.cookies()).containsExactly("a=1", "__Host-leadsync-oauth=k3y");
        assertThat(event.cookie("__Host-leadsync-oauth")).isEqualTo("k3y");
        assertThat(event.header("accept")).isEqualTo("text/html");
        assertThat(json.readValue("{\"rawPath\": \"/\"}", HttpApiEvent.class).cookie("a")).isNull();
    }

    @Test
    void cookie_headers_split_into_one_name_value_pair_an_entry() {
        assertThat(HttpApiEvent.cookiePairs(List.of("a=1; leadsync-oauth=k3y", "b=2;c=3;", "d=4")))
                .containsExactly("a=1", "leadsync-oauth=k3y", "b=2", "c=3", "d=4");
        assertThat(HttpApiEvent.cookiePairs(List.of())).isEmpty();
        assertThat(HttpApiEvent.cookiePairs(List.of(" ; "))).isEmpty();
    }

    @Test
    void a_responses_cookies_go_in_a_top_level_array_and_are_left_out_when_there_are_none() throws Exception {
        HttpApiResponse plain = HttpApiResponse.json(200, "{}");
        HttpApiResponse setting = new HttpApiResponse(302, Map.of("location", "/admin"), "", false)
                .withCookie("a=1; Path=/").withCookie("b=; Max-Age=0");

        JsonNode withCookies = json.readTree(json.writeValueAsString(setting));
        JsonNode without = json.readTree(json.writeValueAsString(plain));

        assertThat(withCookies.get("cookies").isArray()).isTrue();
        assertThat(List.of(withCookies.get("cookies").get(0).asText(), withCookies.get("cookies").get(1).asText()))
                .containsExactly("a=1; Path=/", "b=; Max-Age=0");
        assertThat(withCookies.get("headers").has("set-cookie")).isFalse();
        assertThat(withCookies.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(without.has("cookies")).isFalse();
        assertThat(without.get("statusCode").asInt()).isEqualTo(200);
    }
}
