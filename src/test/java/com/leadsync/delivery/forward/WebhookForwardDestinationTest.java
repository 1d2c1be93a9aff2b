package com.leadsync.delivery.forward;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.model.StoredLead;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookForwardDestinationTest {

    private static final String SECRET = "whsec_oTNJoXSswAaRDWsIT86AwOt2IaqDUGuG";
    private static final DeliveryContext CONTEXT = new DeliveryContext("msg_ld_0123_sub_1");
    private static final Instant T1 = Instant.parse("2026-03-07T14:30:05Z");
    private static final Duration SHORT = Duration.ofMillis(1500);

    private final ObjectMapper json = DestinationTestLeads.json();
    private WireMockServer wiremock;

    @BeforeEach
    void start() {
        wiremock = new WireMockServer(wireMockConfig().dynamicPort());
        wiremock.start();
    }

    @AfterEach
    void stop() {
        wiremock.stop();
    }

    private WebhookForwardDestination destination(Instant now) {
        return new WebhookForwardDestination(new OutboundHttp(SHORT), new UrlPolicy(true), json,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private DeliveryTarget subscription(String secret) {
        Map<String, String> config = new HashMap<>();
        config.put("callbackUrl", wiremock.baseUrl() + "/hooks/leads");
        config.put("eventType", "leadgen");
        config.put("providerType", "meta_lead_ads");
        if (secret != null) {
            config.put("callbackSecret", secret);
        }
        return new DeliveryTarget("sub_1", "acc_1", "webhook", "subscriber", true, config, Map.of());
    }

    @Test
    void postsTheSignedStandardWebhooksEnvelope() throws Exception {
        wiremock.stubFor(post("/hooks/leads").willReturn(aResponse().withStatus(200)));

        DeliveryReceipt receipt = destination(T1).send(subscription(SECRET), DestinationTestLeads.lead(), CONTEXT);

        assertThat(receipt.httpStatus()).isEqualTo(200);
        LoggedRequest request = single();
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThat(request.getHeader("webhook-id")).isEqualTo("msg_ld_0123_sub_1");
        assertThat(request.getHeader("webhook-timestamp")).isEqualTo(Long.toString(T1.getEpochSecond()));
        String body = new String(request.getBody(), StandardCharsets.UTF_8);
        assertThat(StandardWebhookSigner.verify(SECRET, "msg_ld_0123_sub_1", T1.getEpochSecond(), body,
                request.getHeader("webhook-signature"))).isTrue();

        JsonNode envelope = json.readTree(body);
        assertThat(envelope.path("type").asText()).isEqualTo("lead.created");
        assertThat(envelope.path("timestamp").asText()).isEqualTo("2026-03-07T14:30:05Z");
        JsonNode data = envelope.path("data");
        assertThat(data.path("leadId").asText()).isEqualTo("ld_0123456789abcdef0123456789abcdef");
        assertThat(data.path("providerType").asText()).isEqualTo("meta_lead_ads");
        assertThat(data.path("email").asText()).isEqualTo("ana@example.com");
        assertThat(data.path("receivedAt").asText()).isEqualTo("2026-03-07T14:30:00Z");
        assertThat(data.path("customFields").path("budget").asText()).isEqualTo("5000");
        assertThat(data.path("isTest").isBoolean()).isTrue();
        assertThat(data.has("test")).isFalse();
    }

    @Test
    void webhookIdIsStableAcrossRetriesWhileTheTimestampMoves() throws Exception {
        wiremock.stubFor(post("/hooks/leads").willReturn(aResponse().withStatus(202)));
        Instant t2 = T1.plusSeconds(300);

        destination(T1).send(subscription(SECRET), DestinationTestLeads.lead(), CONTEXT);
        destination(t2).send(subscription(SECRET), DestinationTestLeads.lead(), CONTEXT);

        List<LoggedRequest> requests = wiremock.findAll(postRequestedFor(urlEqualTo("/hooks/leads")));
        assertThat(requests).hasSize(2);
        assertThat(requests).extracting(r -> r.getHeader("webhook-id")).containsOnly("msg_ld_0123_sub_1");
        assertThat(requests).extracting(r -> r.getHeader("webhook-timestamp"))
                .containsExactlyInAnyOrder(Long.toString(T1.getEpochSecond()), Long.toString(t2.getEpochSecond()));
        for (LoggedRequest r : requests) {
            assertThat(StandardWebhookSigner.verify(SECRET, r.getHeader("webhook-id"),
                    Long.parseLong(r.getHeader("webhook-timestamp")), r.getBodyAsString(),
                    r.getHeader("webhook-signature"))).isTrue();
        }
    }

    @Test
    void noSignatureWithoutASecret() throws Exception {
        wiremock.stubFor(post("/hooks/leads").willReturn(aResponse().withStatus(204)));

        destination(T1).send(subscription(null), DestinationTestLeads.lead(), CONTEXT);

        LoggedRequest request = single();
        assertThat(request.containsHeader("webhook-signature")).isFalse();
        assertThat(request.getHeader("webhook-id")).isEqualTo("msg_ld_0123_sub_1");
    }

    @Test
    void goneMeansStop() {
        wiremock.stubFor(post("/hooks/leads").willReturn(aResponse().withStatus(410).withBody("unsubscribed")));

        DeliveryException e = failure(destination(T1), subscription(SECRET));

        assertThat(e.retryable()).isFalse();
        assertThat(e.httpStatus()).isEqualTo(410);
        assertThat(e.getMessage()).contains("asked us to stop");
    }

    @Test
    void serverErrorsAndRateLimitsAreRetried() {
        wiremock.stubFor(post("/hooks/leads").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "42")));
        DeliveryException limited = failure(destination(T1), subscription(SECRET));
        assertThat(limited.retryable()).isTrue();
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(42));

        wiremock.resetAll();
        wiremock.stubFor(post("/hooks/leads").willReturn(aResponse().withStatus(502)));
        assertThat(failure(destination(T1), subscription(SECRET)).retryable()).isTrue();
    }

    @Test
    void redirectsAndClientErrorsAreFailuresNotRetried() {
        wiremock.stubFor(post("/hooks/leads").willReturn(aResponse().withStatus(301).withHeader("Location", "https://new.example/")));
        DeliveryException moved = failure(destination(T1), subscription(SECRET));
        assertThat(moved.retryable()).as(moved.getMessage()).isFalse();
        assertThat(moved.httpStatus()).isEqualTo(301);

        wiremock.resetAll();
        wiremock.stubFor(post("/hooks/leads").willReturn(aResponse().withStatus(400).withBody("bad signature")));
        DeliveryException e = failure(destination(T1), subscription(SECRET));
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("bad signature");
    }

    @Test
    void noAnswerWithinTheTimeoutIsRetried() {
        wiremock.stubFor(post("/hooks/leads").willReturn(aResponse().withStatus(200).withFixedDelay(6000)));

        long started = System.nanoTime();
        DeliveryException e = failure(destination(T1), subscription(SECRET));

        assertThat(e.retryable()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(5000));
    }

    @Test
    void connectionRefusedIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DeliveryTarget target = new DeliveryTarget("sub_1", "acc_1", "webhook", "s", true,
                Map.of("callbackUrl", "http://127.0.0.1:" + closedPort + "/x"), Map.of());

        assertThat(failure(destination(T1), target).retryable()).isTrue();
    }

    @Test
    void a_subscriber_name_is_resolved_once_per_send_and_the_checked_address_is_the_one_called() throws Exception {
        WireMockServer subscriber = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        subscriber.start();
        try {
            subscriber.stubFor(post("/hooks/leads").willReturn(aResponse().withStatus(204)));
            List<String> lookups = new CopyOnWriteArrayList<>();
            UrlPolicy rebinding = new UrlPolicy(host -> {
                lookups.add(host);
                return new InetAddress[] {InetAddress.getByName(lookups.size() % 2 == 1 ? "127.0.0.1" : "127.0.0.2")};
            }, address -> address.getHostAddress().equals("127.0.0.1"));
            WebhookForwardDestination pinned = new WebhookForwardDestination(new OutboundHttp(SHORT), rebinding, json,
                    Clock.fixed(T1, ZoneOffset.UTC));
            DeliveryTarget target = new DeliveryTarget("sub_1", "acc_1", "webhook", "s", true,
                    Map.of("callbackUrl", "http://hooks.rebinding.test:" + subscriber.port() + "/hooks/leads"), Map.of());

            assertThat(pinned.send(target, DestinationTestLeads.lead(), CONTEXT).httpStatus()).isEqualTo(204);
            assertThat(lookups).hasSize(1);
            assertThat(failure(pinned, target).retryable()).isFalse();
            assertThat(lookups).hasSize(2);
            assertThat(pinned.send(target, DestinationTestLeads.lead(), CONTEXT).httpStatus()).isEqualTo(204);
            assertThat(lookups).containsExactly("hooks.rebinding.test", "hooks.rebinding.test", "hooks.rebinding.test");
            assertThat(subscriber.findAll(postRequestedFor(urlEqualTo("/hooks/leads")))).hasSize(2)
                    .allSatisfy(r -> assertThat(r.getHeader("Host")).isEqualTo("hooks.rebinding.test:" + subscriber.port()));
        } finally {
            subscriber.stop();
        }
    }

    @Test
    void validateChecksUrlSecretAndFilters() {
        WebhookForwardDestination strict = new WebhookForwardDestination(new OutboundHttp(SHORT), new UrlPolicy(false), json);
        DeliveryTarget ok = new DeliveryTarget("s", "a", "webhook", "n", true,
                Map.of("callbackUrl", "https://8.8.8.8/hook", "callbackSecret", SECRET, "eventType", "*",
                        "providerType", "meta_lead_ads"), Map.of());
        assertThat(strict.validate(ok)).isEmpty();

        DeliveryTarget bad = new DeliveryTarget("s", "a", "webhook", "n", true,
                Map.of("callbackUrl", "http://169.254.169.254/", "callbackSecret", "whsec_%%%", "eventType", "ad_click",
                        "providerType", "myspace"), Map.of());
        assertThat(strict.validate(bad)).hasSize(4);
        assertThat(strict.validate(new DeliveryTarget("s", "a", "webhook", "n", true, Map.of(), Map.of())))
                .singleElement().asString().contains("callbackUrl");
        assertThat(strict.secretKeys()).containsExactly("callbackSecret");
        assertThat(strict.type()).isEqualTo("webhook");
    }

    private LoggedRequest single() {
        List<LoggedRequest> requests = wiremock.findAll(postRequestedFor(urlEqualTo("/hooks/leads")));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private DeliveryException failure(WebhookForwardDestination destination, DeliveryTarget target) {
        return catchThrowableOfType(DeliveryException.class,
                () -> destination.send(target, DestinationTestLeads.lead(), CONTEXT));
    }
}
