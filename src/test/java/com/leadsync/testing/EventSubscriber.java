package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.delivery.forward.StandardWebhookSigner;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A webhook subscriber of §9 events on the WireMock fake: subscribes through the public route, answers 200, and reads
 * back what it was sent, each request's Standard Webhooks signature checked against its secret.
 */
public final class EventSubscriber {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final String path;
    public final String secret;
    public final String subscriptionId;

    private EventSubscriber(String path, String secret, String subscriptionId) {
        this.path = path;
        this.secret = secret;
        this.subscriptionId = subscriptionId;
    }

    /** Subscribes {@code apiKey}'s account to {@code eventTypes} (none: the first contract's lead forwards). */
    public static EventSubscriber subscribe(String apiKey, String providerType, String... eventTypes) {
        String path = "/subscriber/events/" + UUID.randomUUID();
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(UUID.randomUUID().toString()
                .getBytes(StandardCharsets.UTF_8));
        Scenario.stubOk(path);
        Map<String, Object> body = new HashMap<>(Map.of("callbackUrl", Fakes.baseUrl() + path,
                "callbackSecret", secret));
        if (eventTypes.length > 0) {
            body.put("eventTypes", List.of(eventTypes));
        }
        String id = Scenario.given().header("x-api-key", apiKey).contentType(ContentType.JSON).body(body)
                .post("/webhooks/" + providerType + "/subscribe").then().statusCode(201).extract().path("id");
        return new EventSubscriber(path, secret, id);
    }

    /** Every envelope received (any type), oldest first, each one checked to be signed with the secret. */
    public List<JsonNode> received() {
        List<LoggedRequest> requests = Fakes.server().findAll(postRequestedFor(urlEqualTo(path)));
        return requests.stream().map(this::verified).toList();
    }

    /** The envelopes of {@code type}. */
    public List<JsonNode> received(String type) {
        return received().stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }

    /** How many distinct {@code webhook-id}s it was sent: a retry repeats its id, a second event does not. */
    public long distinctIds() {
        return Fakes.server().findAll(postRequestedFor(urlEqualTo(path))).stream()
                .map(r -> r.getHeader("webhook-id")).distinct().count();
    }

    private JsonNode verified(LoggedRequest r) {
        String body = new String(r.getBody(), StandardCharsets.UTF_8);
        assertThat(StandardWebhookSigner.verify(secret, r.getHeader("webhook-id"),
                Long.parseLong(r.getHeader("webhook-timestamp")), body, r.getHeader("webhook-signature")))
                .as("signed with the subscription's secret: " + body).isTrue();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
