package com.leadsync.functions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.api.ApiTestSupport;
import com.leadsync.delivery.DeliverMessage;
import com.leadsync.delivery.DeliveryRecord;
import com.leadsync.delivery.DeliveryStatus;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.model.StoredLead;
import com.leadsync.store.DeliveryStore;
import com.leadsync.store.DestinationStore;
import com.leadsync.store.LeadStore;
import com.leadsync.testing.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The {@code deliver} export as Lambda runs it: Funqy calls the function once per record, and the records of one
 * event reach HubSpot as one batch upsert; each record succeeds or fails on its own.
 */
@QuarkusTest
@TestProfile(DeliverLambdaTest.Export.class)
class DeliverLambdaTest {

    public static class Export implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "deliver");
        }
    }

    private static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";

    @Inject
    LeadStore leads;
    @Inject
    DeliveryStore deliveries;
    @Inject
    DestinationStore destinations;

    @Test
    void the_records_of_one_event_reach_hubspot_as_one_batch_and_only_the_failed_record_is_reported() throws Exception {
        String account = "acc_deliver_" + UUID.randomUUID();
        String token = "pat-na1-" + UUID.randomUUID();
        String targetId = "dst_" + UUID.randomUUID();
        Instant now = Instant.now();
        destinations.put(new DestinationConfig(targetId, account, "hubspot", "HubSpot", true,
                Map.of("accessToken", token), Map.of(), now, now));
        List<StoredLead> stored = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            StoredLead lead = ApiTestSupport.storeLead(leads, account, now.truncatedTo(ChronoUnit.SECONDS));
            long generation = deliveries.ensure(lead.leadId(), targetId, account, "hubspot", now.plusSeconds(900), null);
            stored.add(lead);
            bodies.add(LambdaEvents.JSON.writeValueAsString(new DeliverMessage(lead.leadId(), targetId, generation, null)));
        }
        // A record whose lead is not stored (yet): it fails on its own and comes back.
        bodies.add(LambdaEvents.JSON.writeValueAsString(new DeliverMessage("ld_" + UUID.randomUUID().toString()
                .replace("-", ""), targetId, 1, null)));
        StoredLead refused = stored.get(3);
        StringBuilder results = new StringBuilder();
        for (StoredLead lead : stored) {
            if (lead != refused) {
                results.append(results.isEmpty() ? "" : ",").append("""
                        {"id":"%d","new":true,"properties":{"email":"%s"},"archived":false}"""
                        .formatted(900 + stored.indexOf(lead), lead.email()));
            }
        }
        Fakes.server().stubFor(post(urlEqualTo(UPSERT)).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(207).withHeader("Content-Type", "application/json").withBody("""
                        {"status":"COMPLETE","results":[%s],"numErrors":1,"errors":[{"status":"error",
                         "category":"VALIDATION_ERROR","message":"Property values were not valid: phone",
                         "context":{"ids":["%s"]}}]}""".formatted(results, refused.email()))));

        String out = RestAssured.given().contentType("application/json")
                .body(LambdaEvents.sqs("leadsync-deliver", bodies.toArray(String[]::new))).post("/").then()
                .statusCode(200).extract().asString();

        JsonNode failures = LambdaEvents.JSON.readTree(out).path("batchItemFailures");
        assertThat(failures.findValuesAsText("itemIdentifier")).containsExactly("m5");
        Fakes.server().verify(1, postRequestedFor(urlEqualTo(UPSERT))
                .withHeader("Authorization", equalTo("Bearer " + token)));
        Fakes.server().verify(postRequestedFor(urlEqualTo(UPSERT))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .withRequestBody(matchingJsonPath("$.inputs.length()", equalTo("5"))));
        for (StoredLead lead : stored) {
            DeliveryRecord r = deliveries.get(lead.leadId(), targetId).orElseThrow();
            if (lead == refused) {
                assertThat(r.status()).isEqualTo(DeliveryStatus.FAILED);
                assertThat(r.lastError()).contains("VALIDATION_ERROR");
            } else {
                assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
                assertThat(r.history()).singleElement().satisfies(a -> assertThat(a.detail())
                        .startsWith("HubSpot contact 9"));
            }
        }
    }
}
