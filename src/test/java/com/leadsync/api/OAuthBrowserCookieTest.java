package com.leadsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The connect's browser cookie: its name and attributes by where LeadSync is reached, and reading it back. */
class OAuthBrowserCookieTest {

    @Test
    void over_https_or_without_a_public_url_it_is_a_secure_host_only_cookie() {
        for (Optional<String> url : List.of(Optional.<String>empty(), Optional.of("https://leads.example.com"),
                Optional.of("https://localhost:8443"), Optional.of("http://leads.example.com"))) {
            OAuthBrowserCookie cookie = OAuthBrowserCookie.forPublicUrl(url);

            assertThat(cookie.set("k3y")).as("%s", url)
                    .isEqualTo("__Host-leadsync-oauth=k3y; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600");
            assertThat(cookie.cleared()).as("%s", url)
                    .isEqualTo("__Host-leadsync-oauth=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
        }
    }

    @Test
    void local_mode_on_plain_http_loopback_gets_a_plain_name_without_secure() {
        for (String url : List.of("http://localhost:8080", "http://127.0.0.1:8080", "http://LOCALHOST",
                "http://[::1]:8080")) {
            OAuthBrowserCookie cookie = OAuthBrowserCookie.forPublicUrl(Optional.of(url));

            assertThat(cookie.set("k3y")).as(url)
                    .isEqualTo("leadsync-oauth=k3y; Path=/; HttpOnly; SameSite=Lax; Max-Age=600");
            assertThat(cookie.cleared()).as(url).isEqualTo("leadsync-oauth=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
        }
    }

    @Test
    void it_is_read_from_the_events_cookies_by_its_own_name_only() {
        OAuthBrowserCookie cookie = OAuthBrowserCookie.forPublicUrl(Optional.empty());

        assertThat(cookie.of(event(List.of("other=1", "__Host-leadsync-oauth=abc", "leadsync-oauth=local"))))
                .isEqualTo("abc");
        assertThat(cookie.of(event(List.of("a=1; __Host-leadsync-oauth=xyz")))).isEqualTo("xyz");
        assertThat(cookie.of(event(List.of("leadsync-oauth=local")))).isNull();
        assertThat(cookie.of(event(null))).isNull();
        assertThat(cookie.of(new HttpApiEvent("2.0", "GET /x", "/x", "", null, Map.of("cookie",
                "__Host-leadsync-oauth=abc"), null, null, null, false, null)))
                .as("payload 2.0 has cookies in 'cookies', not in the headers").isNull();
    }

    private static HttpApiEvent event(List<String> cookies) {
        return new HttpApiEvent("2.0", "GET /x", "/x", "", cookies, Map.of(), null, null, null, false, null);
    }
}
