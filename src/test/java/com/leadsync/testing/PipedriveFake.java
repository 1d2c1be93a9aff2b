package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small in-memory Pipedrive company behind WireMock, in the API's shapes (crm.md §A.4): v2 person and organization
 * search and create, v1 leads create and list by person, v1 personFields; tokens checked ({@code x-api-token} or
 * {@code Authorization: Bearer}), Pipedrive's error bodies {@code {"success":false,"error","errorCode","error_info"}}.
 * A test can script the next answers of a call ({@link #failNext}) or have a call take effect and lose its answer
 * ({@link #loseAnswerOfNext}, a timeout after Pipedrive wrote). Its own WireMock server, since the shared one takes
 * no extensions after it started; the OAuth token endpoint is stubbed by the tests under {@code /pipedrive-oauth}.
 */
public final class PipedriveFake implements AutoCloseable {

    public static final String PREFIX = "/pipedrive";
    public static final String CUSTOM_BUDGET_KEY = "a5f1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3";
    private static final String ERROR_INFO = "Please check developers.pipedrive.com";

    private final ObjectMapper json = new ObjectMapper();
    private final WireMockServer server;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<Long, ObjectNode> persons = new ConcurrentHashMap<>();
    private final Map<Long, ObjectNode> organizations = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> leads = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(100);
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Queue<Scripted>> scripted = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lostAnswers = new ConcurrentHashMap<>();
    private volatile int createDelayMillis;

    private record Scripted(int status, String body, Map<String, String> headers) {
    }

    public PipedriveFake() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(40)
                .extensions(new Company()));
        server.start();
        server.stubFor(any(urlPathMatching(PREFIX + "/.*")).willReturn(aResponse().withTransformers(Company.NAME)));
    }

    public WireMockServer server() {
        return server;
    }

    /** The API base, as {@code quarkus.rest-client.pipedrive.url} or a destination's apiDomain would name it. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + PREFIX;
    }

    /** A token the company accepts from now on (API token or OAuth access token). */
    public PipedriveFake accept(String token) {
        tokens.add(token);
        return this;
    }

    /** Creates take this long (widens races in concurrency tests). */
    public void delayCreates(int millis) {
        createDelayMillis = millis;
    }

    /** The next answer to {@code method path} (path without query, after the prefix) is this one. */
    public void failNext(String method, String path, int status, String body, Map<String, String> headers) {
        scripted.computeIfAbsent(method + " " + path, k -> new ConcurrentLinkedQueue<>())
                .add(new Scripted(status, body, headers));
    }

    /** The next {@code method path} takes effect but answers 504, as if the answer never reached us. */
    public void loseAnswerOfNext(String method, String path) {
        lostAnswers.computeIfAbsent(method + " " + path, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Requests served for {@code method path} (path without query, after the prefix), scripted ones included. */
    public int calls(String method, String path) {
        AtomicInteger n = calls.get(method + " " + path);
        return n == null ? 0 : n.get();
    }

    public List<ObjectNode> persons() {
        return List.copyOf(persons.values());
    }

    public List<ObjectNode> organizations() {
        return List.copyOf(organizations.values());
    }

    public List<ObjectNode> leads() {
        return List.copyOf(leads.values());
    }

    /** A person already in the company (made in Pipedrive's UI, say); returns its id. */
    public long addPerson(String name, String email) {
        long id = ids.incrementAndGet();
        ObjectNode p = json.createObjectNode().put("id", id).put("name", name);
        p.set("emails", json.createArrayNode().add(json.createObjectNode().put("value", email).put("primary", true)
                .put("label", "work")));
        persons.put(id, p);
        return id;
    }

    /** A person without email already in the company, added at {@code addedAt}; returns its id. */
    public long addPersonWithoutEmail(String name, Instant addedAt) {
        long id = ids.incrementAndGet();
        persons.put(id, json.createObjectNode().put("id", id).put("name", name).put("add_time", addedAt.toString()));
        return id;
    }

    /** A lead already in the company; returns its id. */
    public String addLead(String title, long personId) {
        String id = UUID.randomUUID().toString();
        leads.put(id, json.createObjectNode().put("id", id).put("title", title).put("person_id", personId));
        return id;
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Company implements ResponseDefinitionTransformerV2 {
        static final String NAME = "pipedrive-company";

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String url = event.getRequest().getUrl();
            String fullPath = url.split("\\?")[0];
            String path = fullPath.substring(PREFIX.length());
            String method = event.getRequest().getMethod().value();
            String call = method + " " + path;
            calls.computeIfAbsent(call, k -> new AtomicInteger()).incrementAndGet();
            Queue<Scripted> queue = scripted.get(call);
            Scripted next = queue == null ? null : queue.poll();
            if (next != null) {
                return answer(event, next.status(), next.body(), next.headers());
            }
            if (!authorized(event)) {
                return error(event, 401, "unauthorized access");
            }
            Map<String, String> query = query(url);
            try {
                JsonNode body = event.getRequest().getBody() == null || event.getRequest().getBody().length == 0
                        ? json.createObjectNode() : json.readTree(event.getRequest().getBodyAsString());
                ResponseDefinition done = route(event, method, path, query, body);
                AtomicInteger lose = lostAnswers.get(call);
                if (lose != null && lose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    return answer(event, 504, "<html><body>504 Gateway Time-out</body></html>", Map.of());
                }
                return done;
            } catch (IOException e) {
                return error(event, 400, "Malformed JSON");
            }
        }

        private ResponseDefinition route(ServeEvent event, String method, String path, Map<String, String> query,
                JsonNode body) throws IOException {
            if (method.equals("GET") && path.equals("/api/v2/persons/search")) {
                return search(event, persons, query, query.getOrDefault("fields", "email"));
            }
            if (method.equals("GET") && path.startsWith("/api/v2/persons/")) {
                ObjectNode p = persons.get(Long.parseLong(path.substring("/api/v2/persons/".length())));
                if (p == null) {
                    return v1Error(event, 404, "Person not found");
                }
                ObjectNode answer = json.createObjectNode().put("success", true);
                answer.set("data", p);
                return answer(event, 200, answer.toString(), Map.of());
            }
            if (method.equals("GET") && path.equals("/api/v2/organizations/search")) {
                return search(event, organizations, query, "org");
            }
            if (method.equals("POST") && path.equals("/api/v2/persons")) {
                if (body.path("name").asText("").isBlank()) {
                    return validation(event, "name: Name must be given");
                }
                long id = ids.incrementAndGet();
                ObjectNode p = ((ObjectNode) body.deepCopy()).put("id", id).put("is_deleted", false)
                        .put("add_time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                persons.put(id, p);
                return created(event, 200, p);
            }
            if (method.equals("POST") && path.equals("/api/v2/organizations")) {
                if (body.path("name").asText("").isBlank()) {
                    return validation(event, "name: Name must be given");
                }
                long id = ids.incrementAndGet();
                ObjectNode o = ((ObjectNode) body.deepCopy()).put("id", id);
                organizations.put(id, o);
                return created(event, 200, o);
            }
            if (method.equals("POST") && path.equals("/v1/leads")) {
                if (body.path("title").asText("").isBlank()) {
                    return v1Error(event, 400, "Validation failed: title: Parameter is required");
                }
                if (!body.hasNonNull("person_id") && !body.hasNonNull("organization_id")) {
                    return v1Error(event, 400, "A lead must be linked to a person or an organization or both.");
                }
                if (body.hasNonNull("person_id") && !persons.containsKey(body.path("person_id").asLong())) {
                    return v1Error(event, 400, "Person with id " + body.path("person_id") + " does not exist.");
                }
                String id = UUID.randomUUID().toString();
                ObjectNode l = ((ObjectNode) body.deepCopy()).put("id", id).put("source_name", "API")
                        .put("origin", "API").put("is_archived", false);
                leads.put(id, l);
                return created(event, 201, l);
            }
            if (method.equals("GET") && path.equals("/v1/leads")) {
                return leadsOfPerson(event, query);
            }
            if (method.equals("GET") && path.equals("/v1/personFields")) {
                return personFields(event, query);
            }
            return v1Error(event, 404, "Unknown method .");
        }

        private ResponseDefinition search(ServeEvent event, Map<Long, ObjectNode> records, Map<String, String> query,
                String field) {
            String term = query.getOrDefault("term", "");
            if (term.length() < 2 && !"true".equals(query.get("exact_match"))) {
                return validation(event, "term: must be at least 2 characters long");
            }
            ArrayNode items = json.createArrayNode();
            for (ObjectNode record : records.values()) {
                boolean match = field.equals("email")
                        ? emails(record).stream().anyMatch(e -> e.equalsIgnoreCase(term))
                        : record.path("name").asText("").equalsIgnoreCase(term);
                if (match) {
                    boolean person = !field.equals("org");
                    ObjectNode item = json.createObjectNode().put("id", record.path("id").asLong())
                            .put("type", person ? "person" : "organization")
                            .put("name", record.path("name").asText());
                    if (person) {
                        ArrayNode e = item.putArray("emails");
                        emails(record).forEach(e::add);
                        ArrayNode p = item.putArray("phones");
                        record.path("phones").forEach(ph -> p.add(ph.path("value").asText()));
                    }
                    items.add(json.createObjectNode().put("result_score", 1.0).set("item", item));
                }
            }
            ObjectNode data = json.createObjectNode();
            data.set("items", items);
            ObjectNode answer = json.createObjectNode().put("success", true);
            answer.set("data", data);
            answer.set("additional_data", json.createObjectNode().putNull("next_cursor"));
            return answer(event, 200, answer.toString(), Map.of());
        }

        private List<String> emails(ObjectNode person) {
            List<String> out = new ArrayList<>();
            person.path("emails").forEach(e -> out.add(e.path("value").asText()));
            return out;
        }

        private ResponseDefinition leadsOfPerson(ServeEvent event, Map<String, String> query) {
            long personId = Long.parseLong(query.getOrDefault("person_id", "0"));
            int start = Integer.parseInt(query.getOrDefault("start", "0"));
            int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
            List<ObjectNode> all = leads.values().stream().filter(l -> l.path("person_id").asLong() == personId)
                    .sorted((a, b) -> a.path("id").asText().compareTo(b.path("id").asText())).toList();
            return page(event, all, start, limit);
        }

        private ResponseDefinition personFields(ServeEvent event, Map<String, String> query) {
            List<ObjectNode> fields = new ArrayList<>();
            String[][] standard = {{"name", "Name"}, {"first_name", "First name"}, {"last_name", "Last name"},
                    {"email", "Email"}, {"phone", "Phone"}, {"org_id", "Organization"}, {"owner_id", "Owner"},
                    {CUSTOM_BUDGET_KEY, "Budget"}};
            long id = 9000;
            for (String[] f : standard) {
                fields.add(json.createObjectNode().put("id", ++id).put("key", f[0]).put("name", f[1])
                        .put("field_type", "varchar").put("edit_flag", f[0].equals(CUSTOM_BUDGET_KEY)));
            }
            int start = Integer.parseInt(query.getOrDefault("start", "0"));
            int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
            return page(event, fields, start, limit);
        }

        private ResponseDefinition page(ServeEvent event, List<ObjectNode> all, int start, int limit) {
            ArrayNode data = json.createArrayNode();
            all.stream().skip(start).limit(limit).forEach(data::add);
            boolean more = start + limit < all.size();
            ObjectNode pagination = json.createObjectNode().put("start", start).put("limit", limit)
                    .put("more_items_in_collection", more);
            if (more) {
                pagination.put("next_start", start + limit);
            }
            ObjectNode answer = json.createObjectNode().put("success", true);
            answer.set("data", data);
            answer.set("additional_data", json.createObjectNode().set("pagination", pagination));
            return answer(event, 200, answer.toString(), Map.of());
        }

        private ResponseDefinition created(ServeEvent event, int status, ObjectNode record) {
            ObjectNode answer = json.createObjectNode().put("success", true);
            answer.set("data", record);
            ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                    .withStatus(status).withHeader("content-type", "application/json").withBody(answer.toString());
            if (createDelayMillis > 0) {
                builder.withFixedDelay(createDelayMillis);
            }
            return builder.build();
        }

        private boolean authorized(ServeEvent event) {
            String apiToken = event.getRequest().getHeader("x-api-token");
            String auth = event.getRequest().getHeader("Authorization");
            String bearer = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            return (apiToken != null && tokens.contains(apiToken)) || (bearer != null && tokens.contains(bearer));
        }

        private ResponseDefinition validation(ServeEvent event, String message) {
            return answer(event, 400, "{\"success\":false,\"error\":\"Validation failed: " + message
                    + "\",\"code\":\"ERR_SCHEMA_VALIDATION_FAILED\",\"error_info\":\"" + ERROR_INFO + "\"}", Map.of());
        }

        private ResponseDefinition v1Error(ServeEvent event, int status, String message) {
            return answer(event, status, "{\"success\":false,\"error\":\"" + message + "\",\"errorCode\":" + status
                    + ",\"error_info\":\"" + ERROR_INFO + "\",\"data\":null,\"additional_data\":null}", Map.of());
        }

        private ResponseDefinition error(ServeEvent event, int status, String message) {
            return v1Error(event, status, message);
        }

        private ResponseDefinition answer(ServeEvent event, int status, String body, Map<String, String> headers) {
            List<HttpHeader> all = new ArrayList<>();
            all.add(new HttpHeader("content-type", "application/json"));
            headers.forEach((k, v) -> all.add(new HttpHeader(k, v)));
            return ResponseDefinitionBuilder.like(event.getResponseDefinition()).but().withStatus(status)
                    .withHeaders(new HttpHeaders(all)).withBody(body).build();
        }

        private Map<String, String> query(String url) {
            Map<String, String> out = new HashMap<>();
            int q = url.indexOf('?');
            if (q < 0) {
                return out;
            }
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            }
            return out;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    /** Pipedrive's 429 as its docs show it, with the burst window's headers. */
    public static String rateLimitBody() {
        return "{\"success\":false,\"error\":\"Request over limit\",\"errorCode\":429,\"error_info\":\"" + ERROR_INFO
                + "\"}";
    }

    /** A feature-capping 403: the plan's limit. */
    public static String featureCappingBody() {
        return "{\"success\":false,\"error\":\"You have reached the limit of leads for your plan\",\"errorCode\":403,"
                + "\"error_info\":\"" + ERROR_INFO + "\",\"data\":null,\"additional_data\":{\"code\":"
                + "\"feature_capping_leads_limit\"}}";
    }
}
