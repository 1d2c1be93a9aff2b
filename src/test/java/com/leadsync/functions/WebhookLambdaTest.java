package com.leadsync.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code webhook} export as Lambda runs it: an API Gateway HTTP API event through Funqy's binding. */
@QuarkusTest
@TestProfile(WebhookLambdaTest.Export.class)
class WebhookLambdaTest {

    public static class Export implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "webhook");
        }
    }

    private static JsonNode invoke(String event) throws Exception {
        String out = RestAssured.given().contentType("application/json").body(event).post("/").then()
                .statusCode(200).extract().asString();
        return LambdaEvents.JSON.readTree(out);
    }

    @Test
    void a_signed_api_gateway_event_is_accepted_and_queued() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String body = s.webhookBody(Scenario.newLeadgenId(), Scenario.newLeadgenId());
        JsonNode response = invoke(LambdaEvents.httpApi(body, Scenario.sign(body), false));
        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(LambdaEvents.JSON.readTree(response.path("body").asText()).path("queued").asInt()).isEqualTo(2);
    }

    @Test
    void a_base64_encoded_body_is_verified_over_the_decoded_bytes() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String body = s.webhookBody(Scenario.newLeadgenId());
        JsonNode response = invoke(LambdaEvents.httpApi(body, Scenario.sign(body), true));
        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(response.path("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void a_bad_signature_is_a_401_response_not_a_function_error() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String body = s.webhookBody(Scenario.newLeadgenId());
        JsonNode response = invoke(LambdaEvents.httpApi(body, "sha256=" + "0".repeat(64), false));
        assertThat(response.path("statusCode").asInt()).isEqualTo(401);
        assertThat(LambdaEvents.JSON.readTree(response.path("body").asText()).path("error").asText())
                .isEqualTo("unauthenticated");
    }
}
