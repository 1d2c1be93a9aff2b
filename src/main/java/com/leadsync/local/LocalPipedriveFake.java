package com.leadsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An offline Pipedrive company (crm.md §A.4) for local mode, in memory:
 * <ul>
 * <li>{@code GET /_local/pipedrive/api/v2/persons/search?term=&fields=email|name&exact_match=true} and
 * {@code .../organizations/search?term=&fields=name&exact_match=true}: exact, case-insensitive matches as
 * {@code {"data":{"items":[{"result_score","item":{…}}]}}};</li>
 * <li>{@code POST /api/v2/persons}, {@code POST /api/v2/organizations} (400 without a name; {@code add_time}
 * set), {@code GET /api/v2/persons} (all, to look at), {@code GET /api/v2/persons/{id}};</li>
 * <li>{@code POST /v1/leads} (201; a person or an organization required), {@code GET /v1/leads[?person_id=]} (all
 * leads, or one person's; {@code start}/{@code limit} pages);</li>
 * <li>{@code GET /v1/personFields}: the standard fields and one custom field {@link #CUSTOM_FIELD_KEY} ("Budget").</li>
 * </ul>
 * Every call needs {@code x-api-token} with a token of {@code leadsync.local.pipedrive-tokens}, or
 * {@code Authorization: Bearer} with one the token endpoint issued (an hour each; else 401
 * {@code {"success":false,"error":"unauthorized access"}}). {@code POST /_local/pipedrive-oauth/oauth/token}
 * ({@code grant_type=refresh_token}, HTTP Basic {@code leadsync.pipedrive.client-id}:{@code client-secret}) refreshes
 * {@code local-pipedrive-refresh-token} and the rotated refresh tokens it hands out (any
 * {@code local-pipedrive-refresh-…}, so that a rotation survives a restart of local mode), else
 * {@code invalid_grant}. For the connect click-through: a consent stand-in at
 * {@code GET /_local/pipedrive-oauth/oauth/authorize} whose codes the token endpoint redeems once
 * ({@code grant_type=authorization_code}), and {@code GET /api/v1/users/me} naming company {@value #LOCAL_COMPANY_ID}.
 */
@ApplicationScoped
public class LocalPipedriveFake {

    static final String CUSTOM_FIELD_KEY = "b4d6e8f0a2c4e6f8a0b2c4d6e8f0a2c4e6f8a0b2";
    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);
    static final long LOCAL_COMPANY_ID = 7654321;
    private static final String ROTATED_PREFIX = "local-pipedrive-refresh-";
    private static final String ERROR_INFO = "Please check developers.pipedrive.com";

    private final Set<String> apiTokens;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final ObjectMapper json;
    private final IssuedTokens issued;
    private final LocalOAuthConsent consent;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, ObjectNode> persons = new ConcurrentHashMap<>();
    private final Map<Long, ObjectNode> organizations = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> leads = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);

    LocalPipedriveFake(
            @ConfigProperty(name = "leadsync.local.pipedrive-tokens", defaultValue = "local-pipedrive-token")
            Set<String> apiTokens,
            @ConfigProperty(name = "leadsync.pipedrive.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.pipedrive.client-secret") Optional<String> clientSecret,
            Clock clock, ObjectMapper json) {
        this.apiTokens = Set.copyOf(apiTokens);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.json = json;
        this.issued = new IssuedTokens("local-pipedrive-oauth-", ACCESS_TOKEN_LIFETIME, clock);
        this.consent = new LocalOAuthConsent("local-pipedrive-code-", clock);
    }

    void routes(@Observes Router router) {
        String base = "/_local/pipedrive";
        router.get(base + "/api/v2/persons/search").order(-199).handler(FakeReply.handler(ctx ->
                authorized(FakeRequest.of(ctx), this::searchPersons)));
        router.get(base + "/api/v2/organizations/search").order(-199).handler(FakeReply.handler(ctx ->
                authorized(FakeRequest.of(ctx), this::searchOrganizations)));
        router.post(base + "/api/v2/persons").order(-199).handler(FakeReply.handler(ctx ->
                authorized(FakeRequest.of(ctx), this::createPerson)));
        router.get(base + "/api/v2/persons/:id").order(-198).handler(FakeReply.handler(ctx ->
                authorized(FakeRequest.of(ctx), req -> person(ctx.pathParam("id")))));
        router.get(base + "/api/v2/persons").order(-199).handler(FakeReply.handler(ctx ->
                authorized(FakeRequest.of(ctx), req -> list(new ArrayList<>(persons.values()), req))));
        router.post(base + "/api/v2/organizations").order(-199).handler(FakeReply.handler(ctx ->
                authorized(FakeRequest.of(ctx), this::createOrganization)));
        router.post(base + "/v1/leads").order(-199).handler(FakeReply.handler(ctx ->
                authorized(FakeRequest.of(ctx), this::createLead)));
        router.get(base + "/v1/leads").order(-199).handler(FakeReply.handler(ctx ->
                authorized(FakeRequest.of(ctx), this::listLeads)));
        router.get(base + "/v1/personFields").order(-199).handler(FakeReply.handler(ctx ->
                authorized(FakeRequest.of(ctx), this::personFields)));
        router.post("/_local/pipedrive-oauth/oauth/token").order(-199).handler(FakeReply.handler(ctx ->
                token(FakeRequest.of(ctx))));
        router.get("/_local/pipedrive-oauth/oauth/authorize").order(-199).handler(FakeReply.handler(ctx ->
                consent.consent(FakeRequest.of(ctx), Map.of())));
        router.get(base + "/api/v1/users/me").order(-199).handler(FakeReply.handler(ctx ->
                authorized(FakeRequest.of(ctx), req -> me())));
    }

    FakeReply authorized(FakeRequest req, Function<FakeRequest, FakeReply> answer) {
        String apiToken = req.header("x-api-token");
        String bearer = req.bearerToken();
        boolean ok = (apiToken != null && apiTokens.contains(apiToken))
                || (bearer != null && issued.standing(bearer) == IssuedTokens.Standing.VALID);
        return ok ? answer.apply(req) : error(401, "unauthorized access");
    }

    FakeReply searchPersons(FakeRequest req) {
        String term = req.param("term");
        Predicate<ObjectNode> match = "name".equals(req.param("fields"))
                ? p -> p.path("name").asText("").equalsIgnoreCase(term)
                : p -> emails(p).stream().anyMatch(e -> e.equalsIgnoreCase(term));
        return search(term, persons, match, "person");
    }

    private FakeReply person(String id) {
        ObjectNode p = id.chars().allMatch(Character::isDigit) && !id.isEmpty() && id.length() < 19
                ? persons.get(Long.parseLong(id)) : null;
        if (p == null) {
            return error(404, "Person not found");
        }
        ObjectNode answer = json.createObjectNode().put("success", true);
        answer.set("data", p);
        return FakeReply.json(200, answer);
    }

    FakeReply searchOrganizations(FakeRequest req) {
        String term = req.param("term");
        return search(term, organizations, o -> o.path("name").asText("").equalsIgnoreCase(term), "organization");
    }

    private FakeReply search(String term, Map<Long, ObjectNode> records, Predicate<ObjectNode> match,
            String type) {
        if (term == null || term.isBlank()) {
            return validation("term: Parameter is required");
        }
        ArrayNode items = json.createArrayNode();
        records.values().stream().filter(match).forEach(r -> {
            ObjectNode item = json.createObjectNode().put("id", r.path("id").asLong()).put("type", type)
                    .put("name", r.path("name").asText());
            if (type.equals("person")) {
                ArrayNode e = item.putArray("emails");
                emails(r).forEach(e::add);
                ArrayNode p = item.putArray("phones");
                r.path("phones").forEach(ph -> p.add(ph.path("value").asText()));
            }
            items.add(json.createObjectNode().put("result_score", 1.0).set("item", item));
        });
        ObjectNode answer = json.createObjectNode().put("success", true);
        answer.putObject("data").set("items", items);
        answer.putObject("additional_data").putNull("next_cursor");
        return FakeReply.json(200, answer);
    }

    FakeReply createPerson(FakeRequest req) {
        return create(req, persons, "Name must be given");
    }

    FakeReply createOrganization(FakeRequest req) {
        return create(req, organizations, "Name must be given");
    }

    private FakeReply create(FakeRequest req, Map<Long, ObjectNode> records, String nameMissing) {
        ObjectNode body = body(req);
        if (body == null) {
            return validation("Malformed JSON");
        }
        if (body.path("name").asText("").isBlank()) {
            return validation("name: " + nameMissing);
        }
        long id = ids.incrementAndGet();
        body.put("id", id).put("add_time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        records.put(id, body);
        return created(200, body);
    }

    FakeReply createLead(FakeRequest req) {
        ObjectNode body = body(req);
        if (body == null) {
            return error(400, "Malformed JSON");
        }
        if (body.path("title").asText("").isBlank()) {
            return error(400, "Validation failed: title: Parameter is required");
        }
        if (!body.hasNonNull("person_id") && !body.hasNonNull("organization_id")) {
            return error(400, "A lead must be linked to a person or an organization or both.");
        }
        String id = UUID.randomUUID().toString();
        body.put("id", id).put("source_name", "API").put("origin", "API").put("is_archived", false);
        leads.put(id, body);
        return created(201, body);
    }

    FakeReply listLeads(FakeRequest req) {
        String person = req.param("person_id");
        List<ObjectNode> matching = leads.values().stream()
                .filter(l -> person == null || l.path("person_id").asText().equals(person))
                .sorted((a, b) -> a.path("id").asText().compareTo(b.path("id").asText())).toList();
        return list(matching, req);
    }

    FakeReply personFields(FakeRequest req) {
        String[][] fields = {{"name", "Name"}, {"first_name", "First name"}, {"last_name", "Last name"},
                {"email", "Email"}, {"phone", "Phone"}, {"org_id", "Organization"}, {"owner_id", "Owner"},
                {CUSTOM_FIELD_KEY, "Budget"}};
        List<ObjectNode> out = new ArrayList<>();
        long id = 9000;
        for (String[] f : fields) {
            out.add(json.createObjectNode().put("id", ++id).put("key", f[0]).put("name", f[1])
                    .put("field_type", "varchar").put("edit_flag", f[0].equals(CUSTOM_FIELD_KEY)));
        }
        return list(out, req);
    }

    private FakeReply list(List<ObjectNode> all, FakeRequest req) {
        int start = number(req.param("start"), 0);
        int limit = Math.max(1, Math.min(500, number(req.param("limit"), 100)));
        ArrayNode data = json.createArrayNode();
        all.stream().skip(start).limit(limit).forEach(data::add);
        ObjectNode answer = json.createObjectNode().put("success", true);
        answer.set("data", data);
        ObjectNode pagination = answer.putObject("additional_data").putObject("pagination").put("start", start)
                .put("limit", limit).put("more_items_in_collection", start + limit < all.size());
        if (start + limit < all.size()) {
            pagination.put("next_start", start + limit);
        }
        return FakeReply.json(200, answer);
    }

    FakeReply token(FakeRequest req) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((clientId.orElse("") + ":"
                + clientSecret.orElse("")).getBytes(StandardCharsets.UTF_8));
        if (clientId.isEmpty() || clientSecret.isEmpty() || !expected.equals(req.header("authorization"))) {
            return oauthError(401, "invalid_client", "Invalid client credentials");
        }
        String grant = req.form("grant_type");
        if ("authorization_code".equals(grant)) {
            if (!consent.redeem(req.form("code"), null)) {
                return oauthError(400, "invalid_grant", "Invalid grant: authorization code is invalid");
            }
        } else if (!"refresh_token".equals(grant)) {
            return oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
        } else {
            String refresh = req.form("refresh_token");
            if (refresh == null || !refresh.startsWith(ROTATED_PREFIX)) {
                return oauthError(400, "invalid_grant", "Invalid grant: refresh token is invalid");
            }
        }
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String rotated = ROTATED_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return FakeReply.json(200, json.createObjectNode().put("access_token", issued.issue())
                .put("token_type", "Bearer").put("refresh_token", rotated)
                .put("scope", "base,leads:full,contacts:full").put("expires_in", issued.lifetime().toSeconds())
                .put("api_domain", apiDomain(req.url())));
    }

    /** {@code GET /api/v1/users/me}: the user and company a token is for. */
    private FakeReply me() {
        ObjectNode answer = json.createObjectNode().put("success", true);
        answer.putObject("data").put("id", 1).put("name", "Local User").put("email", "local@example.com")
                .put("company_id", LOCAL_COMPANY_ID).put("company_name", "Local Pipedrive company")
                .put("company_domain", "local");
        return FakeReply.json(200, answer);
    }

    /** This fake's API base as seen by the caller: the company URL a token answer names. */
    private static String apiDomain(String tokenUrl) {
        int local = tokenUrl.indexOf("/_local/");
        return (local < 0 ? "" : tokenUrl.substring(0, local)) + "/_local/pipedrive";
    }

    private ObjectNode body(FakeRequest req) {
        try {
            JsonNode node = json.readTree(req.bodyText());
            return node instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            return null;
        }
    }

    private List<String> emails(ObjectNode person) {
        List<String> out = new ArrayList<>();
        person.path("emails").forEach(e -> out.add(e.path("value").asText()));
        return out;
    }

    private FakeReply created(int status, ObjectNode record) {
        ObjectNode answer = json.createObjectNode().put("success", true);
        answer.set("data", record);
        return FakeReply.json(status, answer);
    }

    private FakeReply validation(String message) {
        return FakeReply.json(400, json.createObjectNode().put("success", false)
                .put("error", "Validation failed: " + message).put("code", "ERR_SCHEMA_VALIDATION_FAILED")
                .put("error_info", ERROR_INFO));
    }

    private FakeReply error(int status, String message) {
        ObjectNode body = json.createObjectNode().put("success", false).put("error", message).put("errorCode", status)
                .put("error_info", ERROR_INFO);
        body.putNull("data");
        body.putNull("additional_data");
        return FakeReply.json(status, body);
    }

    private FakeReply oauthError(int status, String error, String description) {
        return FakeReply.json(status, json.createObjectNode().put("success", false).put("error", error)
                .put("message", description));
    }

    private static int number(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
