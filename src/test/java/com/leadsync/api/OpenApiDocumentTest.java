package com.leadsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.testing.ApiDocument;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code openapi.json} against the code: every route the API and webhook functions answer is documented and
 * nothing else is, the document is valid OpenAPI 3.1, and it is served at {@code /openapi.json}. (That real
 * responses conform to it is checked on every request the tests make: {@link ApiDocument#CONFORMS}.)
 */
@QuarkusTest
class OpenApiDocumentTest {

    @Inject
    ApiHandler api;

    private static Set<String> routed(List<String> api) {
        Set<String> out = new TreeSet<>(api);
        out.addAll(WebhookHandler.ROUTES);
        return out;
    }

    @Test
    void every_route_is_documented_and_every_documented_operation_is_routed() {
        Set<String> documented = new TreeSet<>(ApiDocument.get().operations().stream()
                .map(ApiDocument.Operation::route).toList());
        Set<String> routed = routed(api.routes());

        Set<String> undocumented = new TreeSet<>(routed);
        undocumented.removeAll(documented);
        Set<String> unrouted = new TreeSet<>(documented);
        unrouted.removeAll(routed);
        assertThat(undocumented).as("routed but not in openapi.json").isEmpty();
        assertThat(unrouted).as("in openapi.json but routed nowhere").isEmpty();
    }

    @Test
    void exactly_the_routes_that_take_no_key_are_documented_without_security() {
        Set<String> open = new TreeSet<>();
        for (ApiDocument.Operation op : ApiDocument.get().operations()) {
            JsonNode security = op.node().get("security");
            if (security != null && security.isArray() && security.isEmpty()) {
                open.add(op.route());
            }
        }
        assertThat(open).isEqualTo(routed(api.openRoutes()));
        assertThat(ApiDocument.get().root().path("security").isEmpty()).as("a key is the default").isFalse();
    }

    @Test
    void the_document_is_valid_openapi_3_1_with_an_operation_id_tags_and_a_response_for_each_operation()
            throws IOException {
        String document;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ApiDocument.RESOURCE)) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, options);
        assertThat(parsed.getMessages()).as("swagger-parser's findings").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.1.");

        Set<String> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (ApiDocument.Operation op : ApiDocument.get().operations()) {
            String id = op.node().path("operationId").asText("");
            if (id.isEmpty() || !ids.add(id)) {
                problems.add(op.route() + ": operationId missing or used twice: '" + id + "'");
            }
            if (op.node().path("tags").isEmpty()) {
                problems.add(op.route() + ": no tag");
            }
            if (op.node().path("responses").isEmpty()) {
                problems.add(op.route() + ": no response");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void an_answer_the_document_does_not_describe_is_caught() {
        ApiDocument doc = ApiDocument.get();
        assertThat(doc.problems("GET", "/health", 200, "application/json",
                "{\"status\":\"ok\",\"checks\":{\"dynamodb\":{\"status\":\"ok\",\"latencyMs\":3}}}")).isEmpty();
        assertThat(doc.problems("GET", "/health", 200, "application/json", "{\"status\":\"fine\",\"checks\":{}}"))
                .as("a value outside the enum").isNotEmpty();
        assertThat(doc.problems("GET", "/health", 418, "application/json", "{}")).singleElement().asString()
                .contains("418");
        assertThat(doc.problems("GET", "/leads/ld_1", 404, "application/json", "{\"error\":\"not_found\"}"))
                .as("the shared error shape, through its $ref").isNotEmpty();
        assertThat(doc.problems("GET", "/leads/ld_1/trace", 200, "application/json",
                "{\"leadId\":\"ld_1\",\"steps\":[{\"step\":\"stored\",\"at\":\"yesterday\"}]}"))
                .as("required fields and formats").isNotEmpty();
    }

    @Test
    void the_document_is_served_as_json_without_a_key() throws IOException {
        Response r = Scenario.given().get("/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode served = new ObjectMapper().readTree(r.asString());
        assertThat(served).isEqualTo(ApiDocument.get().root());
    }
}
