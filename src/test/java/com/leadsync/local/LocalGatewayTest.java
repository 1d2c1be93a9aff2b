package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.testing.OAuthSteps;
import com.leadsync.testing.Scenario;
import com.leadsync.testing.TestOAuthPlatform;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Local mode's gateway and cookies, as payload 2.0 carries them: the request's {@code Cookie} headers become the
 * event's {@code cookies}, the response's {@code cookies} become {@code Set-Cookie} headers.
 */
@QuarkusTest
class LocalGatewayTest {

    private static final String TYPE = TestOAuthPlatform.TYPE;
    private static final String COOKIE = "__Host-leadsync-oauth";

    @Test
    void a_responses_cookies_are_set_cookie_headers_and_a_cookie_header_reaches_the_function_as_cookies() {
        String key = OAuthSteps.newAccountKey();
        Response authorize = Scenario.given().redirects().follow(false).header("x-api-key", key)
                .get("/oauth/" + TYPE + "/authorize");
        List<String> set = authorize.headers().getValues("set-cookie");
        assertThat(set).hasSize(1);
        assertThat(set.get(0)).startsWith(COOKIE + "=").contains("; HttpOnly");
        String value = set.get(0).substring(COOKIE.length() + 1, set.get(0).indexOf(';'));
        String state = OAuthSteps.query(authorize.header("location")).get("state");

        // Two Cookie headers, the connect's cookie between others in the second.
        Response back = Scenario.given().redirects().follow(false).header("Cookie", "theme=dark")
                .header("Cookie", "a=1; " + COOKIE + "=" + value + "; lang=en")
                .queryParam("code", "pages:" + Scenario.newPageId()).queryParam("state", state)
                .get("/oauth/" + TYPE + "/callback");

        back.then().statusCode(302);
        assertThat(back.headers().getValues("set-cookie")).singleElement().asString().startsWith(COOKIE + "=;")
                .endsWith("Max-Age=0");
    }
}
