package com.leadsync.delivery.hubspot;

import static com.leadsync.testing.HubSpotOAuthFake.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.model.ProviderCallException;
import com.leadsync.testing.HubSpotOAuthFake;
import com.leadsync.testing.PipelineProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * HubSpot's token endpoint (crm.md §A.1) as the fake answers it: a refresh, a rotation, dead grants, our client
 * refused, outages. (The pipeline profile only so that it shares an app with {@link HubSpotOAuthDeliveryTest}.)
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class HubSpotTokenRefresherTest {

    @Inject
    HubSpotTokenRefresher refresher;

    private static String newRefreshToken() {
        return "na1-rt-" + UUID.randomUUID();
    }

    private static Map<String, String> form(LoggedRequest request) {
        return Arrays.stream(request.getBodyAsString().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    @Test
    void a_refresh_posts_the_refresh_grant_with_the_client_credentials_and_returns_a_30_minute_token() {
        String refreshToken = newRefreshToken();
        HubSpotOAuthFake.onRefresh(refreshToken, json(200, HubSpotOAuthFake.tokenAnswer("at-new", refreshToken, 1800)));

        RefreshedTokens tokens = refresher.refresh(refreshToken, Map.of());

        assertThat(refresher.issuer()).isEqualTo("hubspot");
        assertThat(tokens.accessToken()).isEqualTo("at-new");
        assertThat(tokens.refreshToken()).as("the same refresh token back is no rotation").isNull();
        assertThat(tokens.expiresAt()).isCloseTo(Instant.now().plusSeconds(1800), within(10, ChronoUnit.SECONDS));
        LoggedRequest call = HubSpotOAuthFake.refreshes(refreshToken).get(0);
        assertThat(call.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(form(call)).containsExactlyInAnyOrderEntriesOf(Map.of("grant_type", "refresh_token",
                "refresh_token", refreshToken, "client_id", HubSpotOAuthFake.CLIENT_ID,
                "client_secret", HubSpotOAuthFake.CLIENT_SECRET));
    }

    @Test
    void a_different_refresh_token_in_the_answer_is_a_rotation() {
        String refreshToken = newRefreshToken();
        HubSpotOAuthFake.onRefresh(refreshToken, json(200, HubSpotOAuthFake.tokenAnswer("at-new", "na1-rotated", 1800)));

        assertThat(refresher.refresh(refreshToken, Map.of()).refreshToken()).isEqualTo("na1-rotated");
    }

    @Test
    void bad_hub_invalid_grant_and_an_unknown_refresh_token_are_dead_grants() {
        String badHub = newRefreshToken();
        HubSpotOAuthFake.onRefresh(badHub, json(400, HubSpotOAuthFake.badHub()));
        String invalidGrant = newRefreshToken();
        HubSpotOAuthFake.onRefresh(invalidGrant, json(400, HubSpotOAuthFake.invalidGrant()));
        String unknown = newRefreshToken();
        HubSpotOAuthFake.onRefresh(unknown, json(400, """
                {"status":"BAD_REFRESH_TOKEN","message":"missing or unknown refresh token",
                 "correlationId":"0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5"}"""));

        assertThatThrownBy(() -> refresher.refresh(badHub, Map.of())).isInstanceOf(GrantRevoked.class)
                .hasMessageContaining("BAD_HUB").hasMessageContaining("access_denied").hasMessageNotContaining(badHub);
        assertThatThrownBy(() -> refresher.refresh(invalidGrant, Map.of())).isInstanceOf(GrantRevoked.class)
                .hasMessageContaining("invalid_grant").hasMessageContaining("expired or revoked");
        assertThatThrownBy(() -> refresher.refresh(unknown, Map.of())).isInstanceOf(GrantRevoked.class)
                .hasMessageContaining("BAD_REFRESH_TOKEN");
    }

    @Test
    void a_refused_client_is_our_configuration_not_a_dead_grant() {
        String refreshToken = newRefreshToken();
        HubSpotOAuthFake.onRefresh(refreshToken, json(400, """
                {"status":"BAD_CLIENT_ID","message":"missing or invalid client_id",
                 "correlationId":"1a2b3c4d-5e6f-7a8b-9c0d-e1f2a3b4c5d6"}"""));

        assertThatThrownBy(() -> refresher.refresh(refreshToken, Map.of()))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderCallException.Kind.INVALID);
                    assertThat(e.getMessage()).contains("BAD_CLIENT_ID");
                });
    }

    @Test
    void an_outage_a_rate_limit_or_an_unreachable_endpoint_is_transient() {
        String down = newRefreshToken();
        HubSpotOAuthFake.onRefresh(down, json(502, "{\"status\":\"error\",\"message\":\"Bad Gateway\"}"));
        String throttled = newRefreshToken();
        HubSpotOAuthFake.onRefresh(throttled, json(429, """
                {"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT"}"""));
        String reset = newRefreshToken();
        HubSpotOAuthFake.onRefresh(reset, WireMock.aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        for (String refreshToken : new String[] {down, throttled, reset}) {
            assertThatThrownBy(() -> refresher.refresh(refreshToken, Map.of()))
                    .isInstanceOfSatisfying(ProviderCallException.class, e -> assertThat(e.isTransient()).isTrue());
        }
    }
}
