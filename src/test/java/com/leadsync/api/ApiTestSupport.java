package com.leadsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import com.leadsync.queue.QueuePublisher;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.Scenario;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Shared helpers for the API and webhook tests: the contract's error shape, stored leads, queue depth. */
public final class ApiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiTestSupport() {
    }

    /**
     * Asserts the contract's error answer: the status, a JSON content type and a body that is exactly
     * {@code {"error": "<code>", "message": "<sentence>"}} with two non-blank strings (a 422 about a flow document adds
     * {@code problems}: each problem's {@code path} and {@code message}).
     */
    public static JsonNode assertError(Response r, int status) {
        assertThat(r.statusCode()).as("status of %s", r.asString()).isEqualTo(status);
        assertThat(r.contentType()).as("content type").startsWith("application/json");
        JsonNode body;
        try {
            body = JSON.readTree(r.asString());
        } catch (Exception e) {
            throw new AssertionError("error body is not JSON: " + r.asString(), e);
        }
        assertThat(body.isObject()).as("error body is an object: %s", body).isTrue();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        if (status == 422 && body.has("problems")) {
            // An invalid document (a flow) lists every problem, each with its path and message.
            assertThat(fields).as("error body fields of %s", body).containsExactlyInAnyOrder("error", "message",
                    "problems");
            assertThat(body.get("problems")).as("problems of %s", body).isNotEmpty().allSatisfy(p -> {
                assertThat(p.path("path").asText()).isNotBlank();
                assertThat(p.path("message").asText()).isNotBlank();
            });
        } else {
            assertThat(fields).as("error body fields of %s", body).containsExactlyInAnyOrder("error", "message");
        }
        assertThat(body.get("error").isTextual()).as("'error' is a string: %s", body).isTrue();
        assertThat(body.get("message").isTextual()).as("'message' is a string: %s", body).isTrue();
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(body.get("message").asText()).isNotBlank();
        return body;
    }

    public static JsonNode assertError(Response r, int status, String code) {
        JsonNode body = assertError(r, status);
        assertThat(body.get("error").asText()).as("error code of %s", body).isEqualTo(code);
        return body;
    }

    /** A request to local mode's HTTP API with this API key. */
    public static RequestSpecification as(String key) {
        return Scenario.given().header("x-api-key", key);
    }

    /** The same, with a JSON body. */
    public static RequestSpecification asJson(String key, Object body) {
        return as(key).contentType(ContentType.JSON).body(body);
    }

    /** A STORED Meta lead written straight to the store (the pipeline is off in the default test profile). */
    public static StoredLead storeLead(LeadStore leads, String accountId, Instant receivedAt) {
        return storeLead(leads, accountId, ProviderType.META_LEAD_ADS, receivedAt);
    }

    public static StoredLead storeLead(LeadStore leads, String accountId, ProviderType provider, Instant receivedAt) {
        String providerLeadId = Scenario.newLeadgenId();
        LeadIdentity identity = new LeadIdentity(accountId, provider, providerLeadId);
        String owner = "test-" + UUID.randomUUID();
        Instant now = Instant.now();
        assertThat(leads.claim(identity, receivedAt, owner, now.toEpochMilli() + 60_000, now)).isTrue();
        StoredLead lead = new StoredLead(identity.leadId(), accountId, provider, providerLeadId,
                "lead." + providerLeadId + "@example.com", "Jane", "Doe", "Jane Doe", "+14155550123", "Acme Inc",
                Map.of("city", "San Francisco"), Map.of("budget", "$5k"), receivedAt, "987654321098765",
                "120210000000000002", "120210000000000000", false, now);
        leads.store(owner, lead);
        return lead;
    }

    /** Every message on the ingest queue, visible, in flight or delayed (ElasticMQ counts exactly). */
    public static long ingestDepth(SqsClient sqs, QueuePublisher queues) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queues.ingestUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes();
        return a.values().stream().mapToLong(Long::parseLong).sum();
    }
}
