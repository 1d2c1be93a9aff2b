package com.leadsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The API document ({@code src/main/resources/openapi.json}) as the tests hold the service to it: its operations,
 * and a RestAssured filter ({@link #CONFORMS}, on every {@link Scenario#given()}) that fails a test whose response
 * is not one its operation documents — a status it does not list, or a JSON body its schema refuses (networknt's
 * validator, OpenAPI 3.1 dialect, formats asserted).
 */
public final class ApiDocument {

    public static final String RESOURCE = "openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /** One documented operation: {@code METHOD /template}. */
    public record Operation(String method, String template, JsonNode node, Pattern pattern, int literals) {
        public String route() {
            return method + " " + template;
        }
    }

    private static volatile ApiDocument instance;

    private final JsonNode root;
    private final List<Operation> operations = new ArrayList<>();
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private ApiDocument(JsonNode root) {
        this.root = root;
        Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields();
            while (ops.hasNext()) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    operations.add(new Operation(op.getKey().toUpperCase(), p.getKey(), op.getValue(),
                            pattern(p.getKey()), literals(p.getKey())));
                }
            }
        }
        registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), b -> b.schemaRegistryConfig(
                SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    public static ApiDocument get() {
        ApiDocument d = instance;
        if (d == null) {
            try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                d = new ApiDocument(new ObjectMapper().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            instance = d;
        }
        return d;
    }

    public JsonNode root() {
        return root;
    }

    public List<Operation> operations() {
        return operations;
    }

    /** The operation a request is for: the matching template with the most literal segments. */
    public Optional<Operation> operation(String method, String path) {
        return operations.stream().filter(o -> o.method().equals(method) && o.pattern().matcher(path).matches())
                .max(java.util.Comparator.comparingInt(Operation::literals));
    }

    /**
     * What is wrong with this answer to {@code method path} by the document; empty when it conforms or when the
     * document has no such operation (an unknown route's 404 is not any operation's).
     */
    public List<String> problems(String method, String path, int status, String contentType, String body) {
        Optional<Operation> found = operation(method, path);
        if (found.isEmpty()) {
            return List.of();
        }
        Operation op = found.get();
        JsonNode responses = op.node().path("responses");
        String key = responses.has(Integer.toString(status)) ? Integer.toString(status)
                : responses.has(status / 100 + "XX") ? status / 100 + "XX"
                : responses.has("default") ? "default" : null;
        if (key == null) {
            return List.of(op.route() + " answered " + status + ", which the document does not list (it lists "
                    + names(responses) + "): " + abbreviate(body));
        }
        JsonNode response = resolve(responses.get(key));
        boolean json = contentType != null && contentType.startsWith("application/json");
        JsonNode media = response.path("content").path("application/json");
        if (!json || media.isMissingNode() || !media.has("schema") || body == null || body.isEmpty()) {
            return List.of();
        }
        String ref = responses.get(key).path("$ref").asText("");
        String pointer = (ref.startsWith("#/") ? ref.substring(1) : "/paths/" + escape(op.template()) + "/"
                + op.method().toLowerCase() + "/responses/" + escape(key)) + "/content/application~1json/schema";
        // Loaded by its place in the document, so that its $refs resolve against the document's components.
        Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of("classpath:"
                + RESOURCE + "#" + p)));
        List<Error> errors = schema.validate(body, InputFormat.JSON);
        return errors.stream().map(e -> op.route() + " " + status + ": " + e + " in " + abbreviate(body)).toList();
    }

    /** A response object, or the one its {@code $ref} names under {@code components/responses}. */
    private JsonNode resolve(JsonNode response) {
        String ref = response.path("$ref").asText("");
        return ref.startsWith("#/") ? root.at(ref.substring(1)) : response;
    }

    private static String names(JsonNode responses) {
        List<String> out = new ArrayList<>();
        responses.fieldNames().forEachRemaining(out::add);
        return String.join(", ", out);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String abbreviate(String body) {
        return body == null ? "(no body)" : body.length() > 600 ? body.substring(0, 600) + "…" : body;
    }

    private static Pattern pattern(String template) {
        return Pattern.compile(Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q"));
    }

    private static int literals(String template) {
        return (int) java.util.Arrays.stream(template.split("/")).filter(s -> !s.isEmpty() && !s.startsWith("{"))
                .count();
    }

    /** Fails the test on a response its operation does not document. */
    public static final Filter CONFORMS = new Filter() {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext ctx) {
            Response r = ctx.next(request, response);
            String path = URI.create(request.getURI()).getRawPath();
            List<String> problems = get().problems(request.getMethod(), path, r.statusCode(), r.contentType(),
                    r.asString());
            if (!problems.isEmpty()) {
                throw new AssertionError("the response does not conform to " + RESOURCE + ":\n"
                        + String.join("\n", problems));
            }
            return r;
        }
    };
}
