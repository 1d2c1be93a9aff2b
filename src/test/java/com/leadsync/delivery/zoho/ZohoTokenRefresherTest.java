package com.leadsync.delivery.zoho;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.leadsync.testing.ZohoFake.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.http.Fault;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.model.ProviderCallException;
import com.leadsync.testing.ZohoFake;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST {accountsServer}/oauth/v2/token} as {@link ZohoFake} answers it: tokens, dead grants, outages. */
class ZohoTokenRefresherTest {

    private static final String REFRESH = "1000.refresh.0b0d3e1c2a9f8e7d6c5b4a3928171615";
    private static final OutboundHttp HTTP = new OutboundHttp(Duration.ofSeconds(15));

    private final ZohoEndpoints endpoints = new ZohoEndpoints(new UrlPolicy(true), true);
    private final ZohoTokenRefresher refresher = refresher(Optional.of(ZohoFake.CLIENT_ID));
    private ZohoFake zoho;

    private ZohoTokenRefresher refresher(Optional<String> clientId) {
        return new ZohoTokenRefresher(HTTP, endpoints, DestinationTestLeads.json(), Clock.systemUTC(), clientId,
                Optional.of(ZohoFake.CLIENT_SECRET));
    }

    @BeforeEach
    void freshFake() {
        zoho = ZohoFake.fresh();
    }

    @AfterAll
    static void closeClient() {
        HTTP.close();
    }

    private Map<String, String> config() {
        return Map.of("accountsServer", zoho.accountsServer(), "apiDomain", zoho.apiDomain());
    }

    private RuntimeException refreshFailing() {
        return catchThrowableOfType(RuntimeException.class, () -> refresher.refresh(REFRESH, config()));
    }

    @Test
    void a_refresh_returns_the_new_hour_long_token_and_keeps_the_refresh_token() {
        zoho.tokenAnswers(REFRESH, json(200, ZohoFake.tokenGranted("1000.new.access")));

        RefreshedTokens tokens = refresher.refresh(REFRESH, config());

        assertThat(refresher.issuer()).isEqualTo("zoho");
        assertThat(tokens.accessToken()).isEqualTo("1000.new.access");
        assertThat(tokens.refreshToken()).isNull();
        assertThat(tokens.expiresAt()).isCloseTo(Instant.now().plusSeconds(3600), within(10, ChronoUnit.SECONDS));
        assertThat(zoho.refreshes()).singleElement().satisfies(r -> {
            assertThat(r.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
            assertThat(r.getUrl()).doesNotContain("client_secret");
        });
    }

    @Test
    void invalid_code_even_with_status_200_and_invalid_grant_are_a_dead_grant() {
        zoho.tokenAnswers(REFRESH, json(200, "{\"error\":\"invalid_code\"}"));
        RuntimeException revoked = refreshFailing();
        zoho = ZohoFake.fresh();
        zoho.tokenAnswers(REFRESH, json(400, "{\"error\":\"invalid_grant\"}"));
        RuntimeException grant = refreshFailing();

        assertThat(revoked).isInstanceOf(GrantRevoked.class).hasMessage("Zoho Accounts 200 invalid_code");
        assertThat(grant).isInstanceOf(GrantRevoked.class);
    }

    @Test
    void an_unknown_client_is_our_configuration_not_the_grant() {
        zoho.tokenAnswers(REFRESH, json(200, "{\"error\":\"invalid_client\"}"));

        RuntimeException e = refreshFailing();

        assertThat(e).isInstanceOf(ProviderCallException.class).hasMessageContaining("wrong data centre");
        assertThat(((ProviderCallException) e).kind()).isEqualTo(ProviderCallException.Kind.INVALID);
    }

    @Test
    void too_many_requests_throttles_and_an_outage_or_a_dropped_connection_is_transient() {
        zoho.tokenAnswers(REFRESH, json(400, "{\"error_description\":\"You have made too many requests "
                + "continuously. Please try again after some time.\",\"error\":\"Access Denied\",\"status\":\"failure\"}"));
        ProviderCallException throttled = (ProviderCallException) refreshFailing();
        zoho = ZohoFake.fresh();
        zoho.tokenAnswers(REFRESH, aResponse().withStatus(502).withBody("<html>Bad Gateway</html>"));
        ProviderCallException outage = (ProviderCallException) refreshFailing();
        zoho = ZohoFake.fresh();
        zoho.tokenAnswers(REFRESH, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        ProviderCallException reset = (ProviderCallException) refreshFailing();

        assertThat(throttled.kind()).isEqualTo(ProviderCallException.Kind.THROTTLED);
        assertThat(outage.kind()).isEqualTo(ProviderCallException.Kind.TRANSIENT);
        assertThat(outage.getMessage()).isEqualTo("Zoho Accounts 502: <html>Bad Gateway</html>");
        assertThat(reset.kind()).isEqualTo(ProviderCallException.Kind.TRANSIENT);
    }

    @Test
    void no_client_secret_goes_to_an_accounts_server_that_is_not_zohos_nor_without_client_credentials() {
        ZohoTokenRefresher strict = new ZohoTokenRefresher(HTTP, new ZohoEndpoints(new UrlPolicy(true), false),
                DestinationTestLeads.json(), Clock.systemUTC(), Optional.of(ZohoFake.CLIENT_ID),
                Optional.of(ZohoFake.CLIENT_SECRET));

        RuntimeException foreign = catchThrowableOfType(RuntimeException.class,
                () -> strict.refresh(REFRESH, config()));
        RuntimeException unconfigured = catchThrowableOfType(RuntimeException.class,
                () -> refresher(Optional.empty()).refresh(REFRESH, config()));

        assertThat(((ProviderCallException) foreign).kind()).isEqualTo(ProviderCallException.Kind.INVALID);
        assertThat(foreign).hasMessageContaining("config.accountsServer must be an https:// URL");
        assertThat(((ProviderCallException) unconfigured).kind()).isEqualTo(ProviderCallException.Kind.INVALID);
        assertThat(zoho.refreshes()).isEmpty();
    }
}
