package com.leadsync.source.google;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.testing.GoogleAdsFake.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.model.ProviderCallException;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.GoogleAdsFake;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Google's token endpoint (providers.md §2.4) as the fake answers it: success, a dead grant, outages. */
@QuarkusTest
class GoogleTokenRefresherTest {

    @Inject
    GoogleTokenRefresher refresher;

    private static String newRefreshToken() {
        return "1//0g-test-" + UUID.randomUUID();
    }

    private static void answer(String refreshToken, int status, String body) {
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.OAUTH_TOKEN))
                .withRequestBody(containing(formEncoded(refreshToken))).willReturn(json(status, body)));
    }

    private static String formEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Map<String, String> form(LoggedRequest request) {
        return Arrays.stream(request.getBodyAsString().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    @Test
    void a_refresh_posts_the_refresh_grant_with_the_client_credentials_and_returns_the_new_token() {
        String refreshToken = newRefreshToken();
        answer(refreshToken, 200, GoogleAdsFake.tokenAnswer("ya29.fresh"));

        RefreshedTokens tokens = refresher.refresh(refreshToken, Map.of());

        assertThat(refresher.issuer()).isEqualTo("google_ads");
        assertThat(tokens.accessToken()).isEqualTo("ya29.fresh");
        assertThat(tokens.refreshToken()).isNull();
        assertThat(tokens.expiresAt()).isCloseTo(Instant.now().plusSeconds(3599), within(10, ChronoUnit.SECONDS));
        LoggedRequest call = GoogleAdsFake.tokenRequests().stream()
                .filter(r -> r.getBodyAsString().contains(formEncoded(refreshToken))).findFirst().orElseThrow();
        assertThat(call.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(form(call)).containsExactlyInAnyOrderEntriesOf(Map.of("grant_type", "refresh_token",
                "refresh_token", refreshToken, "client_id", GoogleAdsFake.CLIENT_ID,
                "client_secret", GoogleAdsFake.CLIENT_SECRET));
    }

    @Test
    void an_answer_over_the_answer_limit_is_refused_rather_than_read_whole() {
        String refreshToken = newRefreshToken();
        answer(refreshToken, 500, "{\"error\":\"internal\",\"padding\":\"" + "x".repeat(1_500_000) + "\"}");

        assertThatThrownBy(() -> refresher.refresh(refreshToken, Map.of()))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderCallException.Kind.INVALID);
                    assertThat(e.getMessage()).contains("Google OAuth").contains("larger than 1048576 bytes");
                });
    }

    @Test
    void a_rotated_refresh_token_is_returned_too() {
        String refreshToken = newRefreshToken();
        answer(refreshToken, 200, """
                {"access_token":"ya29.fresh2","expires_in":3599,"refresh_token":"1//rotated","token_type":"Bearer"}""");

        assertThat(refresher.refresh(refreshToken, Map.of()).refreshToken()).isEqualTo("1//rotated");
    }

    @Test
    void invalid_grant_is_a_revoked_grant() {
        String refreshToken = newRefreshToken();
        answer(refreshToken, 400, GoogleAdsFake.invalidGrant());

        assertThatThrownBy(() -> refresher.refresh(refreshToken, Map.of())).isInstanceOf(GrantRevoked.class)
                .hasMessageContaining("invalid_grant").hasMessageContaining("expired or revoked")
                .hasMessageNotContaining(refreshToken);
    }

    @Test
    void a_refused_client_is_our_configuration_not_a_dead_grant() {
        String refreshToken = newRefreshToken();
        answer(refreshToken, 401, "{\"error\":\"invalid_client\",\"error_description\":\"The OAuth client was not found.\"}");

        assertThatThrownBy(() -> refresher.refresh(refreshToken, Map.of()))
                .isInstanceOfSatisfying(ProviderCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProviderCallException.Kind.INVALID));
    }

    @Test
    void an_outage_or_an_unreachable_endpoint_is_transient() {
        String down = newRefreshToken();
        answer(down, 503, "{\"error\":\"backend_error\"}");
        String reset = newRefreshToken();
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.OAUTH_TOKEN)).withRequestBody(containing(formEncoded(reset)))
                .willReturn(WireMock.aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        for (String refreshToken : new String[] {down, reset}) {
            assertThatThrownBy(() -> refresher.refresh(refreshToken, Map.of()))
                    .isInstanceOfSatisfying(ProviderCallException.class, e -> assertThat(e.isTransient()).isTrue());
        }
    }
}
