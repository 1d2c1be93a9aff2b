package com.leadsync.api;

import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /flows} (contract §8): written, read, replaced as new versions, deleted; every problem named by its path. */
@QuarkusTest
class FlowRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_flow_is_created_read_listed_replaced_as_a_new_version_and_deleted() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String crm = s.addHubSpot();
        Map<String, Object> doc = Map.of("name", "Enterprise", "trigger", Map.of("providerTypes",
                List.of("meta_lead_ads"), "formIds", List.of("987654321098765")), "steps", List.of(
                Map.of("type", "filter", "conditions", List.of(Map.of("field", "company", "op", "exists"))),
                Map.of("type", "deliver", "destinationId", crm)));

        JsonNode created = read(asJson(s.apiKey, doc).post("/flows").then().statusCode(201).extract().asString());
        String id = created.path("id").asText();
        assertThat(id).startsWith("flw_");
        assertThat(created.path("accountId").asText()).isEqualTo(s.accountId);
        assertThat(created.path("version").asLong()).isEqualTo(1);
        assertThat(created.path("enabled").asBoolean()).isTrue();
        assertThat(created.path("trigger").path("formIds").get(0).asText()).isEqualTo("987654321098765");
        assertThat(created.path("steps").get(1).path("destinationId").asText()).isEqualTo(crm);

        assertThat(read(as(s.apiKey).get("/flows/" + id).asString())).isEqualTo(created);
        assertThat(read(as(s.apiKey).get("/flows").asString()).path("items").findValuesAsText("id")).containsExactly(id);

        JsonNode replaced = read(asJson(s.apiKey, Map.of("name", "Enterprise v2", "enabled", false, "steps",
                List.of(Map.of("type", "stop")))).put("/flows/" + id).then().statusCode(200).extract().asString());
        assertThat(replaced.path("version").asLong()).isEqualTo(2);
        assertThat(replaced.path("name").asText()).isEqualTo("Enterprise v2");
        assertThat(replaced.path("enabled").asBoolean()).isFalse();
        assertThat(replaced.path("createdAt")).isEqualTo(created.path("createdAt"));
        assertThat(read(as(s.apiKey).get("/flows/" + id).asString()).path("version").asLong()).isEqualTo(2);

        as(s.apiKey).delete("/flows/" + id).then().statusCode(204);
        assertError(as(s.apiKey).get("/flows/" + id), 404, "not_found");
        assertThat(read(as(s.apiKey).get("/flows").asString()).path("items")).isEmpty();
        assertError(as(s.apiKey).delete("/flows/" + id), 404, "not_found");
    }

    @Test
    void another_accounts_flow_is_not_found_by_any_route_and_its_destinations_cannot_be_delivered_to() {
        Scenario owner = Scenario.withMetaPage();
        Scenario other = Scenario.withMetaPage();
        String id = asJson(owner.apiKey, Map.of("name", "Mine", "steps", List.of(Map.of("type", "stop"))))
                .post("/flows").then().statusCode(201).extract().path("id");
        Map<String, Object> stop = Map.of("name", "x", "steps", List.of(Map.of("type", "stop")));

        assertError(as(other.apiKey).get("/flows/" + id), 404, "not_found");
        assertError(asJson(other.apiKey, stop).put("/flows/" + id), 404, "not_found");
        assertError(as(other.apiKey).delete("/flows/" + id), 404, "not_found");
        assertError(as(other.apiKey).get("/flows/" + id + "/runs"), 404, "not_found");
        assertError(asJson(other.apiKey, Map.of("lead", Map.of())).post("/flows/" + id + "/test"), 404, "not_found");
        assertThat(as(other.apiKey).get("/flows").then().statusCode(200).extract().jsonPath().getList("items"))
                .isEmpty();
        as(owner.apiKey).get("/flows/" + id).then().statusCode(200);

        String ownersCrm = owner.addHubSpot();
        JsonNode e = assertError(asJson(other.apiKey, Map.of("name", "Steal", "steps", List.of(
                Map.of("type", "deliver", "destinationId", ownersCrm)))).post("/flows"), 422, "invalid");
        assertThat(e.path("message").asText()).startsWith("steps[0].destinationId: ").contains(ownersCrm);
    }

    @Test
    void an_invalid_flow_is_refused_with_every_problem_named_by_its_path_and_nothing_is_stored() throws Exception {
        Scenario s = Scenario.withMetaPage();
        List<Object> steps = List.of(
                Map.of("type", "filter", "conditions", List.of(Map.of("field", "email", "op", "exists"))),
                Map.of("type", "set", "field", "customFields.x", "value", "{{firstName}}"),
                Map.of("type", "filter", "conditions", List.of(Map.of("field", "email", "op", "equal",
                        "value", "a"))),
                Map.of("type", "branch", "conditions", List.of(Map.of("field", "emial", "op", "exists")),
                        "then", List.of(Map.of("type", "teleport"))),
                Map.of("type", "filter", "conditions", List.of(Map.of("field", "company", "op", "matches",
                        "value", "(unclosed"))));

        JsonNode e = assertError(asJson(s.apiKey, Map.of("name", "Broken", "steps", steps)).post("/flows"), 422,
                "invalid");

        assertThat(e.path("message").asText()).startsWith("steps[2].conditions[0].op: unknown op \"equal\"");
        assertThat(e.path("problems").findValuesAsText("path")).contains("steps[2].conditions[0].op",
                "steps[3].conditions[0].field", "steps[3].then[0].type", "steps[4].conditions[0].value");
        assertThat(read(as(s.apiKey).get("/flows").asString()).path("items")).isEmpty();
    }

    @Test
    void limits_on_size_and_nesting_and_a_malformed_body_are_refused() {
        Scenario s = Scenario.withMetaPage();
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(Map.of("type", "set", "field", "customFields.n", "value", "v" + i));
        }
        assertError(asJson(s.apiKey, Map.of("name", "Long", "steps", many)).post("/flows"), 422, "invalid");

        Object nested = List.of(Map.of("type", "stop"));
        for (int depth = 0; depth < 6; depth++) {
            nested = List.of(Map.of("type", "branch", "conditions", List.of(Map.of("field", "email", "op", "exists")),
                    "then", nested));
        }
        JsonNode deep = assertError(asJson(s.apiKey, Map.of("name", "Deep", "steps", nested)).post("/flows"), 422,
                "invalid");
        assertThat(deep.path("message").asText()).contains("steps[0].then[0].then[0].then[0].then[0].then[0]");

        assertError(as(s.apiKey).contentType(ContentType.JSON).body("{\"name\": ").post("/flows"), 400);
        assertError(asJson(s.apiKey, Map.of("name", "No steps")).post("/flows"), 422, "invalid");
        JsonNode url = assertError(asJson(s.apiKey, Map.of("name", "Hook", "steps", List.of(Map.of("type",
                "webhook", "url", "ftp://files.example.com/drop"))))
                .post("/flows"), 422, "invalid");
        assertThat(url.path("message").asText()).startsWith("steps[0].url: ");
    }

    @Test
    void the_test_route_needs_a_lead_object_and_names_a_bad_field() {
        Scenario s = Scenario.withMetaPage();
        String id = asJson(s.apiKey, Map.of("name", "T", "steps", List.of(Map.of("type", "webhook", "url",
                Fakes.baseUrl() + "/never")))).post("/flows").then().statusCode(201).extract().path("id");

        assertError(asJson(s.apiKey, Map.of("lead", "nope")).post("/flows/" + id + "/test"), 422, "invalid");
        JsonNode e = assertError(asJson(s.apiKey, Map.of("lead", Map.of("email", 5))).post("/flows/" + id + "/test"),
                422, "invalid");
        assertThat(e.path("message").asText()).startsWith("lead.email");
    }

    private static JsonNode read(String body) throws Exception {
        return JSON.readTree(body);
    }
}
