package com.leadsync.delivery.pipedrive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.model.ProviderCallException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pipedrive's token endpoint (crm.md §A.4): rotated refresh tokens, 3600 s, invalid_grant a dead grant. */
class PipedriveTokenRefresherTest {

    private static final String PATH = "/pipedrive-oauth/oauth/token";
    private static final Instant NOW = Instant.parse("2026-03-07T14:30:00Z");

    private WireMockServer wiremock;
    private OutboundHttp http;
    private PipedriveTokenRefresher refresher;

    @BeforeEach
    void start() {
        wiremock = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
        http = new OutboundHttp(Duration.ofSeconds(10));
        refresher = refresher(Optional.of("client-1"), Optional.of("secret-1"));
    }

    private PipedriveTokenRefresher refresher(Optional<String> id, Optional<String> secret) {
        return new PipedriveTokenRefresher(http, new UrlPolicy(true), DestinationTestLeads.json(),
                Clock.fixed(NOW, ZoneOffset.UTC), "http://127.0.0.1:" + wiremock.port() + "/pipedrive-oauth/", id,
                secret);
    }

    @AfterEach
    void stop() {
        wiremock.stop();
        http.close();
    }

    private void answer(int status, String body) {
        wiremock.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)
                .withHeader("content-type", "application/json").withBody(body)));
    }

    @Test
    void a_refresh_posts_the_form_with_basic_client_credentials_and_reads_the_rotated_tokens() {
        answer(200, "{\"access_token\":\"v1u:AQIBAHj-new\",\"token_type\":\"Bearer\",\"refresh_token\":"
                + "\"10:rotated-refresh\",\"scope\":\"base,leads:full\",\"expires_in\":3600,"
                + "\"api_domain\":\"https://acme.pipedrive.com\"}");

        RefreshedTokens tokens = refresher.refresh("10:old/refresh+token", Map.of());

        assertThat(tokens.accessToken()).isEqualTo("v1u:AQIBAHj-new");
        assertThat(tokens.refreshToken()).isEqualTo("10:rotated-refresh");
        assertThat(tokens.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        String basic = Base64.getEncoder().encodeToString("client-1:secret-1".getBytes(StandardCharsets.UTF_8));
        wiremock.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Basic " + basic))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(equalTo("grant_type=refresh_token&refresh_token=10%3Aold%2Frefresh%2Btoken")));
        assertThat(refresher.issuer()).isEqualTo("pipedrive");
    }

    @Test
    void invalid_grant_or_an_invalid_refresh_token_is_a_dead_grant() {
        answer(400, "{\"success\":false,\"error\":\"invalid_grant\",\"message\":\"Invalid grant: refresh token is "
                + "invalid\"}");
        assertThat(catchThrowableOfType(GrantRevoked.class, () -> refresher.refresh("used", Map.of())))
                .hasMessageContaining("invalid_grant");

        answer(400, "{\"success\":false,\"error\":\"invalid_request\",\"error_description\":\"The refresh token "
                + "is invalid or was already used\"}");
        assertThat(catchThrowableOfType(GrantRevoked.class, () -> refresher.refresh("used", Map.of()))).isNotNull();
    }

    @Test
    void an_unreachable_or_failing_endpoint_is_transient_and_bad_client_credentials_are_not() {
        answer(503, "{\"success\":false,\"error\":\"Service Unavailable\"}");
        assertThat(catchThrowableOfType(ProviderCallException.class, () -> refresher.refresh("r", Map.of())).kind())
                .isEqualTo(ProviderCallException.Kind.TRANSIENT);

        answer(401, "{\"success\":false,\"error\":\"invalid_client\",\"message\":\"Invalid client credentials\"}");
        assertThat(catchThrowableOfType(ProviderCallException.class, () -> refresher.refresh("r", Map.of())).kind())
                .isEqualTo(ProviderCallException.Kind.INVALID);

        assertThat(catchThrowableOfType(ProviderCallException.class,
                () -> refresher(Optional.empty(), Optional.empty()).refresh("r", Map.of())))
                .hasMessageContaining("leadsync.pipedrive.client-id");

        wiremock.stop();
        assertThat(catchThrowableOfType(ProviderCallException.class, () -> refresher.refresh("r", Map.of())).kind())
                .isEqualTo(ProviderCallException.Kind.TRANSIENT);
    }
}
