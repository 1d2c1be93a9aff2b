package com.leadsync.source.google;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.leadsync.testing.GoogleAdsFake.error;
import static com.leadsync.testing.GoogleAdsFake.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.source.AccessCheck;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.GoogleAdsFake;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The customer check (contract §5) against the Google Ads fake, error bodies included. */
@QuarkusTest
class GoogleCustomerAccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "gk-0123456789abcdef-key";

    @Inject
    GoogleCustomerAccess access;

    private static Connection customer(String customerId, String token, String loginCustomerId) {
        Map<String, String> config = new HashMap<>(Map.of(Connection.WEBHOOK_KEY, KEY));
        if (loginCustomerId != null) {
            config.put("loginCustomerId", loginCustomerId);
        }
        return new Connection("con_g", "acc_1", ProviderType.GOOGLE_ADS, customerId, token, null, null, config,
                Instant.EPOCH, ConnectionStatus.ACTIVE, null);
    }

    private static void answer(String customerId, int status, String body) {
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.searchPath(customerId))).atPriority(1)
                .willReturn(json(status, body)));
    }

    @Test
    void a_token_the_api_answers_the_customer_for_reaches_it_with_the_documented_headers_and_query() throws Exception {
        String customerId = GoogleAdsFake.newCustomerId();
        String token = GoogleAdsFake.newAccessToken(customerId);

        assertThat(access.check(customer(customerId, token, null))).isInstanceOf(AccessCheck.Reached.class);

        List<LoggedRequest> calls = GoogleAdsFake.searches(customerId);
        assertThat(calls).hasSize(1);
        LoggedRequest call = calls.get(0);
        assertThat(call.getUrl()).isEqualTo(GoogleAdsFake.searchPath(customerId));
        assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + token);
        assertThat(call.getHeader("developer-token")).isEqualTo(GoogleAdsFake.DEVELOPER_TOKEN);
        assertThat(call.containsHeader("login-customer-id")).isFalse();
        assertThat(call.getHeader("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(call.getBodyAsString()))
                .isEqualTo(JSON.readTree("{\"query\":\"SELECT customer.id FROM customer\"}"));
    }

    @Test
    void a_manager_account_is_sent_as_login_customer_id() {
        String customerId = GoogleAdsFake.newCustomerId();
        String token = GoogleAdsFake.newAccessToken(customerId);

        assertThat(access.check(customer(customerId, token, "9876543210"))).isInstanceOf(AccessCheck.Reached.class);

        assertThat(GoogleAdsFake.searches(customerId).get(0).getHeader("login-customer-id")).isEqualTo("9876543210");
    }

    @Test
    void a_token_google_does_not_accept_does_not_reach() {
        AccessCheck check = access.check(customer(GoogleAdsFake.newCustomerId(), "ya29.made-up", null));

        assertThat(check).isInstanceOf(AccessCheck.NotReached.class);
        assertThat(check.toString()).contains("UNAUTHENTICATED").contains("authenticationError.OAUTH_TOKEN_INVALID");
    }

    @Test
    void a_token_of_another_customer_does_not_reach() {
        String own = GoogleAdsFake.newCustomerId();
        String token = GoogleAdsFake.newAccessToken(own);

        AccessCheck check = access.check(customer(GoogleAdsFake.newCustomerId(), token, null));

        assertThat(check).isInstanceOf(AccessCheck.NotReached.class);
        assertThat(check.toString()).contains("authorizationError.USER_PERMISSION_DENIED");
    }

    @Test
    void an_answer_for_another_customer_does_not_reach() {
        String customerId = GoogleAdsFake.newCustomerId();
        answer(customerId, 200, GoogleAdsFake.customerAnswer("1111111111"));

        AccessCheck check = access.check(customer(customerId, "ya29.any", null));

        assertThat(check).isInstanceOf(AccessCheck.NotReached.class);
        assertThat(check.toString()).contains("did not answer with customer " + customerId);
    }

    @ParameterizedTest(name = "HTTP {0} {1} {2}.{3} -> {4}")
    @CsvSource({
        "401, UNAUTHENTICATED, authenticationError, OAUTH_TOKEN_EXPIRED, NotReached",
        "403, PERMISSION_DENIED, authorizationError, DEVELOPER_TOKEN_NOT_APPROVED, NotReached",
        "400, INVALID_ARGUMENT, authenticationError, CUSTOMER_NOT_FOUND, NotReached",
        "429, RESOURCE_EXHAUSTED, quotaError, RESOURCE_EXHAUSTED, Unavailable",
        "500, INTERNAL, internalError, INTERNAL_ERROR, Unavailable",
        "503, UNAVAILABLE, internalError, TRANSIENT_ERROR, Unavailable"})
    void google_errors_decide_between_not_reached_and_unavailable(int http, String status, String type, String code,
            String outcome) {
        String customerId = GoogleAdsFake.newCustomerId();
        answer(customerId, http, error(http, status, type, code, "Google says no.", null));

        AccessCheck check = access.check(customer(customerId, "ya29.any", null));

        assertThat(check.getClass().getSimpleName()).isEqualTo(outcome);
        assertThat(check.toString()).contains(type + "." + code);
    }

    @Test
    void an_unreachable_api_is_unavailable() {
        String customerId = GoogleAdsFake.newCustomerId();
        Fakes.server().stubFor(post(urlPathEqualTo(GoogleAdsFake.searchPath(customerId))).atPriority(1)
                .willReturn(WireMock.aResponse()
                        .withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(access.check(customer(customerId, "ya29.any", null))).isInstanceOf(AccessCheck.Unavailable.class);
    }

    @ParameterizedTest(name = "externalId {0}")
    @ValueSource(strings = {"123-456-7890", "123456789", "12345678901", "12345abcde", " 1234567890", ""})
    void a_customer_id_is_ten_digits_without_dashes(String externalId) {
        assertThat(access.externalIdProblem(externalId)).hasValueSatisfying(p -> assertThat(p).contains("'externalId'"));
        assertThat(access.externalIdProblem("1234567890")).isEmpty();
    }

    @Test
    void the_config_needs_a_long_enough_webhook_key_and_at_most_a_valid_manager_id() {
        assertThat(access.configProblem(Map.of(Connection.WEBHOOK_KEY, KEY))).isEmpty();
        assertThat(access.configProblem(Map.of(Connection.WEBHOOK_KEY, KEY, "loginCustomerId", "9876543210"))).isEmpty();
        assertThat(access.configProblem(Map.of())).hasValueSatisfying(p -> assertThat(p).contains("'config.webhookKey'")
                .contains("required"));
        assertThat(access.configProblem(Map.of(Connection.WEBHOOK_KEY, "short-key-15chr")))
                .hasValueSatisfying(p -> assertThat(p).contains("'config.webhookKey'").contains("16"));
        assertThat(access.configProblem(Map.of(Connection.WEBHOOK_KEY, " " + KEY)))
                .hasValueSatisfying(p -> assertThat(p).contains("whitespace"));
        assertThat(access.configProblem(Map.of(Connection.WEBHOOK_KEY, KEY, "loginCustomerId", "987-654-3210")))
                .hasValueSatisfying(p -> assertThat(p).contains("'config.loginCustomerId'"));
        assertThat(access.configProblem(Map.of(Connection.WEBHOOK_KEY, KEY, "loginCustomerID", "9876543210")))
                .hasValueSatisfying(p -> assertThat(p).contains("'config.loginCustomerID'").contains("not a google_ads"));
    }
}
