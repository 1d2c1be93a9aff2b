package com.leadsync.delivery.http;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.UrlPolicy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpDestinationTest {

    private static final DeliveryContext CONTEXT = new DeliveryContext("ld_0123:dst_1");
    private static final Duration SHORT = Duration.ofMillis(1500);

    private WireMockServer wiremock;
    private HttpDestination destination;

    @BeforeEach
    void start() {
        wiremock = new WireMockServer(wireMockConfig().dynamicPort());
        wiremock.start();
        // WireMock listens on loopback, which only local mode may call.
        destination = new HttpDestination(new OutboundHttp(SHORT), new UrlPolicy(true), DestinationTestLeads.json());
    }

    @AfterEach
    void stop() {
        wiremock.stop();
    }

    private DeliveryTarget target(String path, Map<String, String> extraConfig, Map<String, String> fieldMapping) {
        Map<String, String> config = new HashMap<>(extraConfig);
        config.put("url", wiremock.baseUrl() + path);
        return DestinationTestLeads.target("http", config, fieldMapping);
    }

    @Test
    void postsTheMappedLeadWithIdempotencyKeyAndAuthorization() throws Exception {
        wiremock.stubFor(post("/crm").willReturn(aResponse().withStatus(201).withBody("{\"id\":\"c-77\"}")));

        DeliveryReceipt receipt = destination.send(
                target("/crm", Map.of("authorization", "Bearer s3cr3t"), Map.of("customFields.budget", "budget")),
                DestinationTestLeads.lead(), CONTEXT);

        assertThat(receipt.httpStatus()).isEqualTo(201);
        assertThat(receipt.detail()).contains("c-77");
        wiremock.verify(postRequestedFor(urlEqualTo("/crm"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Authorization", equalTo("Bearer s3cr3t"))
                .withHeader("Idempotency-Key", equalTo("ld_0123:dst_1"))
                .withRequestBody(equalToJson("""
                        {"email":"ana@example.com","first_name":"Ana","last_name":"García López",
                         "full_name":"Ana García López","phone":"+14155550123","company":"Acme Corp",
                         "budget":"5000"}""")));
    }

    @Test
    void noAuthorizationHeaderWithoutTheSecretAndNullFieldsOmitted() throws Exception {
        wiremock.stubFor(post("/crm").willReturn(aResponse().withStatus(204)));

        DeliveryReceipt receipt = destination.send(target("/crm", Map.of(), Map.of()),
                DestinationTestLeads.withoutEmail(), CONTEXT);

        assertThat(receipt.httpStatus()).isEqualTo(204);
        wiremock.verify(postRequestedFor(urlEqualTo("/crm")).withHeader("Authorization", absent())
                .withRequestBody(equalToJson("""
                        {"first_name":"Ana","last_name":"García López","full_name":"Ana García López",
                         "phone":"+14155550123"}""")));
    }

    @Test
    void clientErrorIsPermanentWithABodySnippet() {
        wiremock.stubFor(post("/crm").willReturn(aResponse().withStatus(422)
                .withBody("{\"error\":\"phone is invalid\"," + "\"pad\":\"" + "x".repeat(2000) + "\"}")));

        DeliveryException e = sendExpectingFailure(target("/crm", Map.of(), Map.of()));

        assertThat(e.retryable()).isFalse();
        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(e.getMessage()).contains("phone is invalid").hasSizeLessThan(340);
    }

    @Test
    void serverErrorIsRetryableWithRetryAfter() {
        wiremock.stubFor(post("/crm").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "12")));

        DeliveryException e = sendExpectingFailure(target("/crm", Map.of(), Map.of()));

        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void redirectsAreNotFollowed() {
        wiremock.stubFor(post("/crm").willReturn(aResponse().withStatus(307).withHeader("Location", "/elsewhere")));
        wiremock.stubFor(post("/elsewhere").willReturn(aResponse().withStatus(200)));

        DeliveryException e = sendExpectingFailure(target("/crm", Map.of(), Map.of()));

        assertThat(e.retryable()).isFalse();
        assertThat(e.httpStatus()).isEqualTo(307);
        wiremock.verify(0, postRequestedFor(urlEqualTo("/elsewhere")));
    }

    @Test
    void noAnswerInTimeIsRetryable() {
        wiremock.stubFor(post("/crm").willReturn(aResponse().withStatus(200).withFixedDelay(6000)));

        long started = System.nanoTime();
        DeliveryException e = sendExpectingFailure(target("/crm", Map.of(), Map.of()));

        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).isNull();
        assertThat(e.getMessage()).contains("no answer within 1500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(5000));
    }

    @Test
    void aBodyThatTricklesPastTheTimeoutIsRetryable() {
        wiremock.stubFor(post("/crm").willReturn(aResponse().withStatus(200).withBody("x".repeat(4000))
                .withChunkedDribbleDelay(20, 6000)));

        long started = System.nanoTime();
        DeliveryException e = sendExpectingFailure(target("/crm", Map.of(), Map.of()));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("no answer within 1500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(5000));
    }

    @Test
    void aHugeAnswerIsCutNotBuffered() throws Exception {
        wiremock.stubFor(post("/crm").willReturn(aResponse().withStatus(200).withBody("y".repeat(2_000_000))));

        DeliveryReceipt receipt = destination.send(target("/crm", Map.of(), Map.of()), DestinationTestLeads.lead(), CONTEXT);

        assertThat(receipt.httpStatus()).isEqualTo(200);
        assertThat(receipt.detail()).hasSizeLessThan(340);
    }

    @Test
    void connectionRefusedIsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DeliveryTarget target = DestinationTestLeads.target("http",
                Map.of("url", "http://127.0.0.1:" + closedPort + "/crm"), Map.of());

        DeliveryException e = sendExpectingFailure(target);

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("could not connect");
    }

    @Test
    void aPrivateUrlIsRefusedBeforeSendingOutsideLocalMode() {
        HttpDestination strict = new HttpDestination(new OutboundHttp(SHORT), new UrlPolicy(false), DestinationTestLeads.json());
        wiremock.stubFor(post("/crm").willReturn(aResponse().withStatus(200)));

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> strict.send(target("/crm", Map.of(), Map.of()), DestinationTestLeads.lead(), CONTEXT));

        assertThat(e.retryable()).isFalse();
        wiremock.verify(0, postRequestedFor(urlEqualTo("/crm")));
    }

    @Test
    void aHostThatDoesNotResolveIsNotAConfigProblemButItsSendIsRetried() {
        UrlPolicy noDns = new UrlPolicy(false, host -> {
            throw new UnknownHostException(host);
        });
        HttpDestination offline = new HttpDestination(new OutboundHttp(SHORT), noDns, DestinationTestLeads.json());
        DeliveryTarget target = DestinationTestLeads.target("http", Map.of("url", "https://hooks.example.com/x"), Map.of());

        assertThat(offline.validate(target)).isEmpty();
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> offline.send(target, DestinationTestLeads.lead(), CONTEXT));
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("does not resolve");
    }

    @Test
    void a_name_that_rebinds_after_the_check_is_still_sent_to_the_checked_address() throws Exception {
        // Only 127.0.0.1 listens, and only it counts as allowed; a second lookup of the name would give 127.0.0.2.
        WireMockServer crm = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
        try {
            crm.stubFor(post("/crm").willReturn(aResponse().withStatus(201)));
            List<String> lookups = new CopyOnWriteArrayList<>();
            UrlPolicy rebinding = new UrlPolicy(host -> {
                lookups.add(host);
                return new InetAddress[] {InetAddress.getByName(lookups.size() == 1 ? "127.0.0.1" : "127.0.0.2")};
            }, address -> address.getHostAddress().equals("127.0.0.1"));
            HttpDestination pinned = new HttpDestination(new OutboundHttp(SHORT), rebinding, DestinationTestLeads.json());
            String authority = "crm.rebinding.test:" + crm.port();
            DeliveryTarget target = DestinationTestLeads.target("http", Map.of("url", "http://" + authority + "/crm"), Map.of());

            DeliveryReceipt receipt = pinned.send(target, DestinationTestLeads.lead(), CONTEXT);

            assertThat(receipt.httpStatus()).isEqualTo(201);
            assertThat(lookups).containsExactly("crm.rebinding.test");
            crm.verify(1, postRequestedFor(urlEqualTo("/crm")).withHeader("Host", equalTo(authority)));

            // The next send checks again: now the name points at a forbidden address, and a connection to the
            // old one still in the pool does not get it through.
            DeliveryException e = catchThrowableOfType(DeliveryException.class,
                    () -> pinned.send(target, DestinationTestLeads.lead(), CONTEXT));
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("127.0.0.2");
            assertThat(lookups).hasSize(2);
            crm.verify(1, postRequestedFor(urlEqualTo("/crm")));
        } finally {
            crm.stop();
        }
    }

    @Test
    void user_info_in_the_url_is_not_sent_as_before() throws Exception {
        wiremock.stubFor(post(urlEqualTo("/crm?a=%20b")).willReturn(aResponse().withStatus(200)));
        DeliveryTarget target = DestinationTestLeads.target("http",
                Map.of("url", "http://user:pw@localhost:" + wiremock.port() + "/crm?a=%20b"), Map.of());

        assertThat(destination.send(target, DestinationTestLeads.lead(), CONTEXT).httpStatus()).isEqualTo(200);
        wiremock.verify(postRequestedFor(urlEqualTo("/crm?a=%20b")).withHeader("Authorization", absent())
                .withHeader("Host", equalTo("localhost:" + wiremock.port())));
    }

    @Test
    void a_header_value_that_would_split_the_request_is_a_permanent_failure() {
        wiremock.stubFor(post("/crm").willReturn(aResponse().withStatus(200)));

        DeliveryException e = sendExpectingFailure(target("/crm", Map.of("authorization", "Bearer x\r\nX-Evil: 1"), Map.of()));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("single line");
        wiremock.verify(0, postRequestedFor(urlEqualTo("/crm")));
    }

    @Test
    void checkSendsNothingAndSaysThereIsNothingToCheck() throws Exception {
        CheckReport report = destination.check(DestinationTestLeads.target("http",
                Map.of("url", wiremock.baseUrl() + "/crm"), Map.of()));

        assertThat(report.ok()).isTrue();
        assertThat(report.message()).contains("nothing was sent");
        assertThat(report.unknownFields()).isEmpty();
        assertThat(wiremock.getAllServeEvents()).isEmpty();
    }

    @Test
    void validateChecksUrlAndAuthorizationAndLeavesTheMappingToFieldMapper() {
        HttpDestination strict = new HttpDestination(new OutboundHttp(SHORT), new UrlPolicy(false), DestinationTestLeads.json());
        assertThat(strict.validate(DestinationTestLeads.target("http", Map.of(), Map.of())))
                .singleElement().asString().contains("url");
        assertThat(strict.validate(DestinationTestLeads.target("http", Map.of("url", "http://10.0.0.1/x"), Map.of())))
                .singleElement().asString().contains("config.url");
        assertThat(strict.validate(DestinationTestLeads.target("http",
                Map.of("url", "https://8.8.8.8/x", "authorization", "a\r\nX-Evil: 1"), Map.of("nope", "x"))))
                .singleElement().asString().contains("authorization");
        assertThat(strict.validate(DestinationTestLeads.target("http", Map.of("url", "https://8.8.8.8/x"),
                Map.of("customFields.budget", "budget")))).isEmpty();
        assertThat(strict.type()).isEqualTo("http");
        assertThat(strict.secretKeys()).containsExactly("authorization");
    }

    private DeliveryException sendExpectingFailure(DeliveryTarget target) {
        return catchThrowableOfType(DeliveryException.class,
                () -> destination.send(target, DestinationTestLeads.lead(), CONTEXT));
    }
}
