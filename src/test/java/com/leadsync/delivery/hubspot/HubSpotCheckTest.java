package com.leadsync.delivery.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.ConfigAccessToken;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.hubspot.HubSpotDestinationTest.WireMockAccountApi;
import com.leadsync.delivery.hubspot.HubSpotDestinationTest.WireMockHubSpotApi;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test route's HubSpot check: one read of the contact properties (crm.md §A.1), never a write. */
class HubSpotCheckTest {

    private static final String PROPERTIES = "/crm/v3/properties/contacts";
    private static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";

    private final ObjectMapper json = DestinationTestLeads.json();
    private WireMockServer wiremock;
    private HubSpotDestination destination;

    @BeforeEach
    void start() {
        wiremock = new WireMockServer(wireMockConfig().dynamicPort());
        wiremock.start();
        destination = new HubSpotDestination(new WireMockHubSpotApi(wiremock.baseUrl(), json, Duration.ofSeconds(15)),
                new WireMockAccountApi(wiremock.baseUrl()), json, new ConfigAccessToken(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        wiremock.stop();
    }

    /** HubSpot's property list, each entry as the properties API returns it. */
    private static String properties(String... names) {
        return "{\"results\":[" + List.of(names).stream().map(name -> """
                {"updatedAt":"2025-06-10T15:06:51.342Z","createdAt":"2019-08-06T02:41:52.801Z","name":"%s",
                 "label":"%s","type":"string","fieldType":"text","description":"","groupName":"contactinformation",
                 "options":[],"displayOrder":-1,"calculated":false,"externalOptions":false,"hasUniqueValue":false,
                 "hidden":false,"hubspotDefined":true,"modificationMetadata":{"archivable":true,
                 "readOnlyDefinition":true,"readOnlyValue":false},"formField":true}""".formatted(name, name))
                .collect(Collectors.joining(",")) + "]}";
    }

    private void answer(int status, String body) {
        wiremock.stubFor(get(urlEqualTo(PROPERTIES)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json;charset=utf-8").withBody(body)));
    }

    private static DeliveryTarget target(Map<String, String> extra, Map<String, String> fieldMapping) {
        Map<String, String> config = new HashMap<>(extra);
        config.put("accessToken", TOKEN);
        return DestinationTestLeads.target("hubspot", config, fieldMapping);
    }

    private void assertOnlyOneRead() {
        List<LoggedRequest> all = wiremock.findAll(anyRequestedFor(anyUrl()));
        assertThat(all).as("requests made").singleElement().satisfies(r -> {
            assertThat(r.getMethod().getName()).isEqualTo("GET");
            assertThat(r.getUrl()).isEqualTo(PROPERTIES);
            assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        });
    }

    @Test
    void a_mapping_whose_properties_all_exist_passes_with_one_read_and_no_write() throws Exception {
        answer(200, properties("email", "firstname", "lastname", "phone", "company", "budget", "ls_lead_id"));

        CheckReport report = destination.check(target(Map.of("leadIdProperty", "ls_lead_id"),
                Map.of("customFields.budget", "budget")));

        assertThat(report.ok()).isTrue();
        assertThat(report.unknownFields()).isEmpty();
        assertThat(report.message()).contains("HubSpot").contains("every mapped field exists");
        assertOnlyOneRead();
    }

    @Test
    void mapped_properties_hubspot_lacks_are_named_the_lead_id_property_included() throws Exception {
        answer(200, properties("email", "firstname", "lastname", "phone", "company"));

        CheckReport report = destination.check(target(Map.of("leadIdProperty", "ls_lead_id"),
                Map.of("customFields.budget", "budget", "company", "")));

        assertThat(report.ok()).isFalse();
        assertThat(report.unknownFields()).containsExactly("budget", "ls_lead_id");
        assertThat(report.message()).contains("budget, ls_lead_id");
        assertOnlyOneRead();
    }

    @Test
    void a_refused_token_is_reported_with_hubspots_message() {
        answer(401, """
                {"status":"error","message":"Authentication credentials not found. This API supports OAuth 2.0 \
                authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                 "correlationId":"0e5bf8a8-0f5f-4ac0-a4a1-1f8a1a3b1c5d","category":"INVALID_AUTHENTICATION"}""");

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> destination.check(target(Map.of(), Map.of())));

        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.UNAUTHORIZED);
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.getMessage()).contains("INVALID_AUTHENTICATION").contains("Authentication credentials not found");
        assertOnlyOneRead();
    }

    @Test
    void a_token_without_the_scope_is_reported_with_hubspots_message() {
        answer(403, """
                {"status":"error","message":"This app hasn't been granted all required scopes to make this call. \
                Read more about required scopes here: https://developers.hubspot.com/scopes.",
                 "correlationId":"5a8d3c7e-2b1f-4d6a-9c0e-7f3e2d1c0b9a","errors":[{"message":"One or more of the \
                following scopes are required.","context":{"requiredGranularScopes":["crm.schemas.contacts.read"]}}],
                 "links":{"scopes":"https://developers.hubspot.com/scopes"},"category":"MISSING_SCOPES"}""");

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> destination.check(target(Map.of(), Map.of())));

        assertThat(e.retryable()).isFalse();
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).contains("MISSING_SCOPES").contains("hasn't been granted all required scopes");
    }

    @Test
    void a_rate_limit_or_an_outage_is_a_retryable_answer() {
        answer(429, """
                {"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT",
                 "correlationId":"c6b6fd2b-0d1e-4d5b-9f11-1b1c1e1f1a1b","policyName":"TEN_SECONDLY_ROLLING"}""");
        DeliveryException limited = catchThrowableOfType(DeliveryException.class,
                () -> destination.check(target(Map.of(), Map.of())));
        assertThat(limited.rateLimited()).isTrue();

        answer(502, "<html>Bad Gateway</html>");
        DeliveryException outage = catchThrowableOfType(DeliveryException.class,
                () -> destination.check(target(Map.of(), Map.of())));
        assertThat(outage.retryable()).isTrue();
        assertThat(outage.getMessage()).contains("502");
        wiremock.verify(2, getRequestedFor(urlEqualTo(PROPERTIES)).withHeader("Authorization",
                equalTo("Bearer " + TOKEN)));
    }

    @Test
    void an_answer_without_a_property_list_is_not_taken_for_every_field_missing() {
        answer(200, "{\"status\":\"COMPLETE\"}");

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> destination.check(target(Map.of(), Map.of())));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("without a property list");
    }
}
