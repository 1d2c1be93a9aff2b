package com.leadsync.delivery.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.leadsync.delivery.ConfigAccessToken;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.Destination;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.Pace;
import com.leadsync.model.StoredLead;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Quarkus REST client cannot be built outside a running Quarkus app (its builder requires ArC), so
 * {@link WireMockHubSpotApi} stands in for it: same path, headers and Jackson body, and the same failure
 * behaviour (WebApplicationException carrying the response for >= 400, ProcessingException for transport
 * errors). A @QuarkusTest against WireMock should cover the real client's wiring.
 */
class HubSpotDestinationTest {

    private static final String PATH = "/crm/v3/objects/contacts/batch/upsert";
    private static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";
    private static final DeliveryContext CONTEXT = new DeliveryContext("ld_0123:dst_hs");

    private static final String OK_CREATED = """
            {"status":"COMPLETE","results":[{"id":"512","new":true,"properties":{"createdate":"2026-03-07T14:30:06.000Z",
             "email":"ana@example.com","firstname":"Ana","hs_object_id":"512","lastmodifieddate":"2026-03-07T14:30:06.000Z",
             "lastname":"García López"},"createdAt":"2026-03-07T14:30:06.000Z","updatedAt":"2026-03-07T14:30:06.000Z",
             "archived":false}],"startedAt":"2026-03-07T14:30:06.000Z","completedAt":"2026-03-07T14:30:06.100Z"}""";
    private static final String RATE_LIMITED = """
            {"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT",
             "correlationId":"c6b6fd2b-0d1e-4d5b-9f11-1b1c1e1f1a1b","policyName":"TEN_SECONDLY_ROLLING"}""";
    private static final String DAILY_LIMITED = """
            {"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT",
             "correlationId":"c6b6fd2b-0d1e-4d5b-9f11-1b1c1e1f1a1c","policyName":"DAILY"}""";
    private static final String VALIDATION = """
            {"status":"error","message":"Property values were not valid: [{\\"isValid\\":false,\\"message\\":\\"Property \\\\\\"budget\\\\\\" does not exist\\",\\"error\\":\\"PROPERTY_DOESNT_EXIST\\",\\"name\\":\\"budget\\"}]",
             "correlationId":"aeb5bd5a-9cf3-4f2e-8b0c-3c1f7b1f0d11","category":"VALIDATION_ERROR"}""";
    private static final String MULTI_STATUS = """
            {"status":"COMPLETE","results":[],"numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR",
             "message":"Property values were not valid","context":{"ids":["ana@example.com"]}}],
             "startedAt":"2026-03-07T14:30:06.000Z","completedAt":"2026-03-07T14:30:06.100Z"}""";

    private final ObjectMapper json = DestinationTestLeads.json();
    private WireMockServer wiremock;
    private HubSpotDestination destination;

    @BeforeEach
    void start() {
        wiremock = new WireMockServer(wireMockConfig().dynamicPort());
        wiremock.start();
        // Generous: on a loaded machine a short read timeout turns HubSpot's answers into timeouts.
        destination = new HubSpotDestination(new WireMockHubSpotApi(wiremock.baseUrl(), json, Duration.ofSeconds(15)),
                new WireMockAccountApi(wiremock.baseUrl()), json, new ConfigAccessToken(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        wiremock.stop();
    }

    private static DeliveryTarget target(Map<String, String> extra, Map<String, String> fieldMapping) {
        Map<String, String> config = new HashMap<>(extra);
        config.put("accessToken", TOKEN);
        return DestinationTestLeads.target("hubspot", config, fieldMapping);
    }

    private void answer(ResponseDefinitionBuilder response) {
        wiremock.stubFor(post(PATH).willReturn(response.withHeader("Content-Type", "application/json;charset=utf-8")));
    }

    @Test
    void upsertsByEmailAndReportsTheNewContact() throws Exception {
        answer(aResponse().withStatus(200).withBody(OK_CREATED));

        DeliveryReceipt receipt = destination.send(target(Map.of(), Map.of()), DestinationTestLeads.lead(), CONTEXT);

        assertThat(receipt.httpStatus()).isEqualTo(200);
        assertThat(receipt.detail()).isEqualTo("HubSpot contact 512 created");
        wiremock.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("""
                        {"inputs":[{"idProperty":"email","id":"ana@example.com","objectWriteTraceId":"ld_0123:dst_hs",
                          "properties":{"email":"ana@example.com","firstname":"Ana","lastname":"García López",
                                        "phone":"+14155550123","company":"Acme Corp"}}]}""")));
    }

    @Test
    void anExistingContactIsUpdated() throws Exception {
        answer(aResponse().withStatus(200).withBody(OK_CREATED.replace("\"new\":true", "\"new\":false")));

        DeliveryReceipt receipt = destination.send(target(Map.of(), Map.of()), DestinationTestLeads.lead(), CONTEXT);

        assertThat(receipt.detail()).isEqualTo("HubSpot contact 512 updated");
    }

    @Test
    void leadIdPropertyIsAlwaysWrittenAndFieldMappingApplies() throws Exception {
        answer(aResponse().withStatus(200).withBody(OK_CREATED));

        destination.send(target(Map.of("leadIdProperty", "leadsync_lead_id"),
                Map.of("customFields.budget", "budget", "company", "")), DestinationTestLeads.lead(), CONTEXT);

        wiremock.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"inputs":[{"idProperty":"email","id":"ana@example.com","objectWriteTraceId":"ld_0123:dst_hs",
                  "properties":{"email":"ana@example.com","firstname":"Ana","lastname":"García López",
                                "phone":"+14155550123","budget":"5000",
                                "leadsync_lead_id":"ld_0123456789abcdef0123456789abcdef"}}]}""")));
    }

    @Test
    void withoutEmailItUpsertsByTheLeadIdProperty() throws Exception {
        answer(aResponse().withStatus(201).withBody(OK_CREATED));

        DeliveryReceipt receipt = destination.send(target(Map.of("leadIdProperty", "leadsync_lead_id"), Map.of()),
                DestinationTestLeads.withoutEmail(), CONTEXT);

        assertThat(receipt.httpStatus()).isEqualTo(201);
        wiremock.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"inputs":[{"idProperty":"leadsync_lead_id","id":"ld_0123456789abcdef0123456789abcdef",
                  "objectWriteTraceId":"ld_0123:dst_hs",
                  "properties":{"firstname":"Ana","lastname":"García López","phone":"+14155550123",
                                "leadsync_lead_id":"ld_0123456789abcdef0123456789abcdef"}}]}""")));
    }

    @Test
    void withoutEmailOrLeadIdPropertyItFailsPermanentlyWithoutCalling() {
        DeliveryException e = failure(target(Map.of(), Map.of()), DestinationTestLeads.withoutEmail());

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("lead has no email").contains("config.leadIdProperty");
        wiremock.verify(0, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void rollingRateLimitIsRetriedAfterRetryAfter() {
        answer(aResponse().withStatus(429).withHeader("Retry-After", "3").withBody(RATE_LIMITED));

        DeliveryException e = failure(target(Map.of(), Map.of()), DestinationTestLeads.lead());

        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(e.getMessage()).contains("RATE_LIMIT").contains("ten_secondly_rolling limit");
    }

    @Test
    void aRollingRateLimitWithoutRetryAfterWaitsHubSpotsIntervalHeader() {
        answer(aResponse().withStatus(429).withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "2000")
                .withHeader("X-HubSpot-RateLimit-Max", "150").withHeader("X-HubSpot-RateLimit-Remaining", "0")
                .withBody(RATE_LIMITED));
        DeliveryException e = failure(target(Map.of(), Map.of()), DestinationTestLeads.lead());
        assertThat(e.rateLimited()).isTrue();
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));

        wiremock.resetAll();
        answer(aResponse().withStatus(429).withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "soon")
                .withBody(RATE_LIMITED));
        assertThat(failure(target(Map.of(), Map.of()), DestinationTestLeads.lead()).retryAfter())
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void rateLimitsWithoutRetryAfterWaitPerPolicy() {
        answer(aResponse().withStatus(429).withBody(RATE_LIMITED));
        assertThat(failure(target(Map.of(), Map.of()), DestinationTestLeads.lead()).retryAfter())
                .isEqualTo(Duration.ofSeconds(10));

        wiremock.resetAll();
        answer(aResponse().withStatus(429).withBody(DAILY_LIMITED));
        DeliveryException daily = failure(target(Map.of(), Map.of()), DestinationTestLeads.lead());
        assertThat(daily.retryable()).isTrue();
        assertThat(daily.retryAfter()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void validationErrorIsPermanentWithHubSpotsMessage() {
        answer(aResponse().withStatus(400).withBody(VALIDATION));

        DeliveryException e = failure(target(Map.of(), Map.of("customFields.budget", "budget")), DestinationTestLeads.lead());

        assertThat(e.retryable()).isFalse();
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("HubSpot 400: VALIDATION_ERROR: Property values were not valid")
                .contains("PROPERTY_DOESNT_EXIST");
    }

    @Test
    void multiStatusWithErrorsIsPermanent() {
        answer(aResponse().withStatus(207).withBody(MULTI_STATUS));

        DeliveryException e = failure(target(Map.of(), Map.of()), DestinationTestLeads.lead());

        assertThat(e.retryable()).isFalse();
        assertThat(e.httpStatus()).isEqualTo(207);
        assertThat(e.getMessage()).contains("VALIDATION_ERROR: Property values were not valid");
    }

    @Test
    void multiStatusRateLimitIsRetried() {
        answer(aResponse().withStatus(207).withBody(MULTI_STATUS.replace("VALIDATION_ERROR", "RATE_LIMITS")
                .replace("Property values were not valid", "You have reached your secondly limit.")));

        DeliveryException e = failure(target(Map.of(), Map.of()), DestinationTestLeads.lead());

        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aRejectedTokenIsUnauthorizedForTheCredentialsComponentToHandle() {
        answer(aResponse().withStatus(401).withBody("""
                {"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}"""));

        DeliveryException e = failure(target(Map.of(), Map.of()), DestinationTestLeads.lead());

        assertThat(e.retryable()).isFalse();
        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.UNAUTHORIZED);
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.getMessage()).contains("INVALID_AUTHENTICATION").contains("token");
    }

    @Test
    void lockedMigrationAndServerErrorsAreRetried() {
        answer(aResponse().withStatus(423).withBody("{\"status\":\"error\",\"message\":\"locked\"}"));
        DeliveryException locked = failure(target(Map.of(), Map.of()), DestinationTestLeads.lead());
        assertThat(locked.retryable()).isTrue();
        assertThat(locked.retryAfter()).isEqualTo(Duration.ofSeconds(2));

        wiremock.resetAll();
        answer(aResponse().withStatus(477).withHeader("Retry-After", "120"));
        DeliveryException migrating = failure(target(Map.of(), Map.of()), DestinationTestLeads.lead());
        assertThat(migrating.retryable()).isTrue();
        assertThat(migrating.retryAfter()).isEqualTo(Duration.ofSeconds(120));

        wiremock.resetAll();
        answer(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>"));
        DeliveryException badGateway = failure(target(Map.of(), Map.of()), DestinationTestLeads.lead());
        assertThat(badGateway.retryable()).isTrue();
        assertThat(badGateway.getMessage()).contains("Bad Gateway");
    }

    @Test
    void errorResponsesReturnedRatherThanThrownAreClassifiedTheSame() {
        // With the REST client's default exception mapper disabled, a 4xx comes back as a plain Response.
        HubSpotApi returning = new WireMockHubSpotApi(wiremock.baseUrl(), json, Duration.ofSeconds(15)) {
            @Override
            public Response batchUpsert(String bearer, UpsertRequest body) {
                return Response.status(429).header("Retry-After", "5").entity(RATE_LIMITED).build();
            }
        };

        DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> new HubSpotDestination(returning, new WireMockAccountApi(wiremock.baseUrl()), json, new ConfigAccessToken(), Clock.systemUTC())
                .send(target(Map.of(), Map.of()), DestinationTestLeads.lead(), CONTEXT));

        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void timeoutIsRetried() {
        answer(aResponse().withStatus(200).withBody(OK_CREATED).withFixedDelay(3000));
        HubSpotDestination impatient = new HubSpotDestination(new WireMockHubSpotApi(wiremock.baseUrl(), json,
                Duration.ofMillis(500)), new WireMockAccountApi(wiremock.baseUrl()), json, new ConfigAccessToken(), Clock.systemUTC());

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> impatient.send(target(Map.of(), Map.of()), DestinationTestLeads.lead(), CONTEXT));

        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).isNull();
        assertThat(e.getMessage()).contains("no answer");
    }

    @Test
    void connectionRefusedIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HubSpotDestination unreachable = new HubSpotDestination(
                new WireMockHubSpotApi("http://127.0.0.1:" + closedPort, json, Duration.ofMillis(1500)), new WireMockAccountApi(wiremock.baseUrl()), json,
                new ConfigAccessToken(), Clock.systemUTC());

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> unreachable.send(target(Map.of(), Map.of()), DestinationTestLeads.lead(), CONTEXT));

        assertThat(e.retryable()).isTrue();
    }

    @Test
    void validateWantsATokenAndSaneNames() {
        assertThat(destination.validate(DestinationTestLeads.target("hubspot", Map.of(), Map.of())))
                .singleElement().asString().contains("accessToken");
        // The mapping's sources are FieldMapper's to report (once, by the caller), not the destination's.
        assertThat(destination.validate(target(Map.of("leadIdProperty", "lead id!"), Map.of("emial", "email"))))
                .singleElement().asString().contains("leadIdProperty");
        assertThat(destination.validate(target(Map.of("leadIdProperty", "leadsync_lead_id"),
                Map.of("customFields.budget", "budget")))).isEmpty();
        assertThat(destination.secretKeys()).containsExactlyInAnyOrder("accessToken", "refreshToken");
        assertThat(destination.validate(target(Map.of("refreshToken", "na1-refresh token"), Map.of())))
                .singleElement().asString().contains("refreshToken");
        assertThat(destination.type()).isEqualTo("hubspot");
    }

    private DeliveryException failure(DeliveryTarget target, StoredLead lead) {
        return catchThrowableOfType(DeliveryException.class, () -> destination.send(target, lead, CONTEXT));
    }

    /** Behaves like the Quarkus REST client for {@link HubSpotApi}, over java.net.http. */
    private static StoredLead leadWithEmail(String leadId, String email) {
        StoredLead l = DestinationTestLeads.lead();
        return new StoredLead(leadId, l.accountId(), l.providerType(), l.providerLeadId(), email, l.firstName(),
                l.lastName(), l.fullName(), l.phoneNumber(), l.company(), l.rawFieldData(), l.customFields(),
                l.receivedAt(), l.formId(), l.adId(), l.campaignId(), l.isTest(), l.storedAt());
    }

    @Test
    void aBatchIsOneUpsertAndOnlyTheInputsHubSpotRefusedFail() throws Exception {
        // 207 as HubSpot sends it: results for the inputs it wrote, an error per refused input naming its id.
        answer(aResponse().withStatus(207).withBody("""
                {"status":"COMPLETE","results":[
                  {"id":"601","new":true,"properties":{"email":"a@example.com","hs_object_id":"601"},"archived":false},
                  {"id":"603","new":false,"properties":{"email":"c@example.com","hs_object_id":"603"},"archived":false}],
                 "numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR",
                  "message":"Property values were not valid: phone","context":{"ids":["b@example.com"]}}],
                 "startedAt":"2026-03-07T14:30:06.000Z","completedAt":"2026-03-07T14:30:06.100Z"}"""));
        DeliveryTarget target = target(Map.of(), Map.of());

        List<Destination.BatchOutcome> outcomes = destination.sendBatch(target, List.of(
                new Destination.BatchItem(leadWithEmail("ld_a", "a@example.com"), new DeliveryContext("k_a")),
                new Destination.BatchItem(leadWithEmail("ld_b", "b@example.com"), new DeliveryContext("k_b")),
                new Destination.BatchItem(leadWithEmail("ld_c", "C@example.com"), new DeliveryContext("k_c"))));

        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(0).receipt().detail()).isEqualTo("HubSpot contact 601 created");
        assertThat(outcomes.get(1).ok()).isFalse();
        assertThat(outcomes.get(1).failure().retryable()).isFalse();
        assertThat(outcomes.get(1).failure().getMessage()).contains("VALIDATION_ERROR");
        assertThat(outcomes.get(2).receipt().detail()).isEqualTo("HubSpot contact 603 updated");
        wiremock.verify(1, postRequestedFor(urlEqualTo(PATH)));
        wiremock.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.inputs.length()",
                equalTo("3"))).withRequestBody(matchingJsonPath("$.inputs[1].objectWriteTraceId", equalTo("k_b"))));
    }

    @Test
    void aBatchAnswerMatchedByObjectWriteTraceIdAndOneWithoutAWordOnAnInputRetriesIt() throws Exception {
        answer(aResponse().withStatus(207).withBody("""
                {"status":"COMPLETE","results":[{"id":"702","new":true,"objectWriteTraceId":"k_b",
                  "properties":{"hs_object_id":"702"}}],"numErrors":1,"errors":[{"status":"error",
                  "category":"OBJECT_NOT_FOUND","message":"boom","context":{"objectWriteTraceId":["k_x"]}}]}"""));

        List<Destination.BatchOutcome> outcomes = destination.sendBatch(target(Map.of(), Map.of()), List.of(
                new Destination.BatchItem(leadWithEmail("ld_a", "a@example.com"), new DeliveryContext("k_a")),
                new Destination.BatchItem(leadWithEmail("ld_b", "b@example.com"), new DeliveryContext("k_b"))));

        assertThat(outcomes.get(0).failure().retryable()).as("nothing said about it: upsert again").isTrue();
        assertThat(outcomes.get(1).receipt().detail()).isEqualTo("HubSpot contact 702 created");
    }

    @Test
    void aBatchAnswered200WithoutErrorsIsWrittenForEveryInputEvenWhenNoResultNamesIt() throws Exception {
        answer(aResponse().withStatus(200).withBody("""
                {"status":"COMPLETE","results":[{"id":"801","new":true,"properties":{"hs_object_id":"801"}}]}"""));

        List<Destination.BatchOutcome> outcomes = destination.sendBatch(target(Map.of(), Map.of()), List.of(
                new Destination.BatchItem(leadWithEmail("ld_a", "a@example.com"), new DeliveryContext("k_a")),
                new Destination.BatchItem(leadWithEmail("ld_b", "b@example.com"), new DeliveryContext("k_b"))));

        assertThat(outcomes).allMatch(Destination.BatchOutcome::ok);
        wiremock.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void twoLeadsOfOneContactInABatchSendTheSecondLater() throws Exception {
        answer(aResponse().withStatus(200).withBody(OK_CREATED));

        List<Destination.BatchOutcome> outcomes = destination.sendBatch(target(Map.of(), Map.of()), List.of(
                new Destination.BatchItem(leadWithEmail("ld_a", "ana@example.com"), new DeliveryContext("k_a")),
                new Destination.BatchItem(leadWithEmail("ld_b", "ANA@example.com"), new DeliveryContext("k_b"))));

        assertThat(outcomes.get(0).ok()).isTrue();
        assertThat(outcomes.get(1).failure().retryable()).isTrue();
        wiremock.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.inputs.length()",
                equalTo("1"))));
    }

    @Test
    void aWholeBatchRateLimitedIsThrownWithHubSpotsInterval() {
        answer(aResponse().withStatus(429).withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
                .withBody(RATE_LIMITED));

        DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> destination.sendBatch(
                target(Map.of(), Map.of()), List.of(
                        new Destination.BatchItem(leadWithEmail("ld_a", "a@example.com"), new DeliveryContext("k_a")),
                        new Destination.BatchItem(leadWithEmail("ld_b", "b@example.com"), new DeliveryContext("k_b")))));

        assertThat(e.rateLimited()).isTrue();
        assertThat(e.destinationPaused()).isFalse();
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aDailyLimitParksTheDestinationUntilThePortalsMidnight() {
        wiremock.stubFor(get("/account-info/v3/details").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"portalId":62515,"accountType":"STANDARD","timeZone":"US/Eastern","companyCurrency":"USD",
                         "additionalCurrencies":[],"utcOffset":"-05:00","utcOffsetMilliseconds":-18000000,
                         "uiDomain":"app.hubspot.com","dataHostingLocation":"na1"}""")));
        answer(aResponse().withStatus(429).withBody(DAILY_LIMITED));
        // 2026-03-07 20:30 in New York.
        Clock clock = Clock.fixed(Instant.parse("2026-03-08T01:30:00Z"), ZoneOffset.UTC);
        HubSpotDestination atNight = new HubSpotDestination(new WireMockHubSpotApi(wiremock.baseUrl(), json,
                Duration.ofSeconds(15)), new WireMockAccountApi(wiremock.baseUrl()), json, new ConfigAccessToken(), clock);

        DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> atNight.send(
                target(Map.of(), Map.of()), DestinationTestLeads.lead(), CONTEXT));

        assertThat(e.rateLimited()).isTrue();
        assertThat(e.destinationPaused()).isTrue();
        assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(3 * 60 + 30 + 2));
    }

    @Test
    void hubSpotDeclaresItsBatchSizeAndRateLimit() {
        DeliveryTarget target = target(Map.of(), Map.of());
        assertThat(destination.maxBatchSize(target)).isEqualTo(100);
        assertThat(destination.pace(target)).isEqualTo(Pace.of(100, Duration.ofSeconds(10)));
    }

    static final class WireMockAccountApi implements HubSpotAccountApi {
        private final String baseUrl;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        WireMockAccountApi(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        @Override
        public Response details(String bearer) {
            HttpResponse<String> answer;
            try {
                answer = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/account-info/v3/details"))
                        .header("Authorization", bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new ProcessingException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessingException(e);
            }
            Response response = Response.status(answer.statusCode()).entity(answer.body()).build();
            if (answer.statusCode() >= 400) {
                throw new WebApplicationException(response);
            }
            return response;
        }
    }

    static class WireMockHubSpotApi implements HubSpotApi {
        private final String baseUrl;
        private final ObjectMapper json;
        private final Duration readTimeout;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        WireMockHubSpotApi(String baseUrl, ObjectMapper json, Duration readTimeout) {
            this.baseUrl = baseUrl;
            this.json = json;
            this.readTimeout = readTimeout;
        }

        @Override
        public Response batchUpsert(String bearer, UpsertRequest body) {
            String payload;
            try {
                payload = json.writeValueAsString(body);
            } catch (IOException e) {
                throw new ProcessingException(e);
            }
            return exchange(HttpRequest.newBuilder(URI.create(baseUrl + "/crm/v3/objects/contacts/batch/upsert"))
                    .timeout(readTimeout)
                    .header("Authorization", bearer)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(payload))
                    .build());
        }

        @Override
        public Response contactProperties(String bearer) {
            return exchange(HttpRequest.newBuilder(URI.create(baseUrl + "/crm/v3/properties/contacts"))
                    .timeout(readTimeout)
                    .header("Authorization", bearer)
                    .GET()
                    .build());
        }

        private Response exchange(HttpRequest request) {
            HttpResponse<String> answer;
            try {
                answer = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new ProcessingException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessingException(e);
            }
            Response.ResponseBuilder builder = Response.status(answer.statusCode()).entity(answer.body());
            answer.headers().map().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
            Response response = builder.build();
            if (answer.statusCode() >= 400) {
                throw new WebApplicationException(response);
            }
            return response;
        }
    }
}
