package com.leadsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An offline Salesforce org for local mode (crm.md §A.2), so a {@code salesforce} destination with
 * {@code instanceUrl} and {@code loginUrl} {@code http://localhost:8080/_local/salesforce} shows a lead arriving:
 * <ul>
 * <li>{@code PATCH …/services/data/{v}/sobjects/Lead/LeadSync_Lead_Id__c/{value}}: the upsert, 201 {@code created:true}
 * for a new value, 200 {@code created:false} after; {@code LastName} and {@code Company} required on create
 * ({@code REQUIRED_FIELD_MISSING}), unknown fields refused ({@code INVALID_FIELD}), the key and {@code Id} refused in
 * the body;</li>
 * <li>{@code PATCH …/sobjects/Lead/{Id}} (204), {@code PATCH …/composite/sobjects/Lead/LeadSync_Lead_Id__c} (sObject
 * Collections upsert, per-record results in order), {@code GET …/sobjects/Lead/describe};</li>
 * <li>{@code POST /_local/salesforce/services/oauth2/token}: refreshes {@code leadsync.local.salesforce-refresh-tokens}
 * for the client {@code leadsync.salesforce.client-id}/{@code -secret}, else {@code invalid_grant}; and redeems
 * codes of the consent stand-in {@code GET /_local/salesforce/services/oauth2/authorize} (PKCE verifier checked) for
 * the first of those refresh tokens, with {@code instance_url} and the identity URL of org {@code 00DLOCAL};</li>
 * <li>{@code GET /_local/salesforce/leads}: every Lead the org holds, to see that a lead arrived once.</li>
 * </ul>
 * The data API takes {@code leadsync.local.salesforce-tokens} and tokens it issued (2 h); any other token is 401
 * {@code INVALID_SESSION_ID}. Leads live in memory: a restart of local mode empties the org.
 */
@ApplicationScoped
public class LocalSalesforceFake {

    static final String BASE = "/_local/salesforce";
    static final String EXTERNAL_ID = "LeadSync_Lead_Id__c";
    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(2);
    private static final long DAILY_ALLOCATION = 15_000;
    private static final Set<String> FIELDS = caseInsensitive("Id", "LastName", "FirstName", "Company", "Email",
            "Phone", "MobilePhone", "LeadSource", "Status", "Title", "Description", "Street", "City", "State",
            "PostalCode", "Country", "Website", EXTERNAL_ID);

    private final Set<String> tokens;
    private final Set<String> refreshTokens;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final Clock clock;
    private final ObjectMapper json;
    private final IssuedTokens issued;
    private final LocalOAuthConsent consent;
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong nextId = new AtomicLong(1);
    /** Lead records by Id, in creation order; guarded by {@code this}. */
    private final Map<String, ObjectNode> leads = new LinkedHashMap<>();

    LocalSalesforceFake(
            @ConfigProperty(name = "leadsync.local.salesforce-tokens", defaultValue = "local-salesforce-token")
            Set<String> tokens,
            @ConfigProperty(name = "leadsync.local.salesforce-refresh-tokens",
                    defaultValue = "local-salesforce-refresh-token") Set<String> refreshTokens,
            @ConfigProperty(name = "leadsync.salesforce.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.salesforce.client-secret") Optional<String> clientSecret,
            Clock clock, ObjectMapper json) {
        this.tokens = Set.copyOf(tokens);
        this.refreshTokens = Set.copyOf(refreshTokens);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
        this.json = json;
        this.issued = new IssuedTokens("00DLOCAL!", ACCESS_TOKEN_LIFETIME, clock);
        this.consent = new LocalOAuthConsent("aPrxLOCAL", clock);
    }

    void routes(@Observes Router router) {
        String data = BASE + "/services/data/:version";
        router.get(data + "/sobjects/Lead/describe").order(-199).blockingHandler(
                FakeReply.handler(ctx -> describe(FakeRequest.of(ctx))), false);
        router.patch(data + "/sobjects/Lead/:field/:value").order(-199).blockingHandler(FakeReply.handler(
                ctx -> upsert(ctx.pathParam("field"), ctx.pathParam("value"), FakeRequest.of(ctx))), false);
        router.patch(data + "/sobjects/Lead/:id").order(-199).blockingHandler(
                FakeReply.handler(ctx -> update(ctx.pathParam("id"), FakeRequest.of(ctx))), false);
        router.patch(data + "/composite/sobjects/Lead/:field").order(-199).blockingHandler(
                FakeReply.handler(ctx -> collections(ctx.pathParam("field"), FakeRequest.of(ctx))), false);
        router.post(BASE + "/services/oauth2/token").order(-199).blockingHandler(
                FakeReply.handler(ctx -> token(FakeRequest.of(ctx))), false);
        router.get(BASE + "/services/oauth2/authorize").order(-199).handler(
                FakeReply.handler(ctx -> consent.consent(FakeRequest.of(ctx), Map.of())));
        router.get(BASE + "/leads").order(-199).blockingHandler(FakeReply.handler(ctx -> leads()), false);
    }

    /** The upsert of one Lead on an external id. */
    FakeReply upsert(String field, String value, FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        if (!field.equalsIgnoreCase(EXTERNAL_ID)) {
            return errors(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: "
                    + field);
        }
        JsonNode body = parse(req);
        if (body == null) {
            return errors(400, "JSON_PARSER_ERROR", "The request body is not a JSON object");
        }
        ObjectNode result = save(value, (ObjectNode) body, false);
        if (!result.path("success").asBoolean()) {
            return withUsage(FakeReply.json(400, result.path("errors")));
        }
        return withUsage(FakeReply.json(result.path("created").asBoolean() ? 201 : 200, result));
    }

    /** An update of one Lead by its Id (204, as Salesforce answers). */
    FakeReply update(String id, FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        JsonNode body = parse(req);
        if (body == null) {
            return errors(400, "JSON_PARSER_ERROR", "The request body is not a JSON object");
        }
        synchronized (this) {
            ObjectNode lead = leads.get(id);
            if (lead == null) {
                return errors(404, "NOT_FOUND", "The requested resource does not exist");
            }
            String unknown = unknownField(body, true);
            if (unknown != null) {
                return errors(400, "INVALID_FIELD", "No such column '" + unknown + "' on sobject of type Lead");
            }
            body.fields().forEachRemaining(e -> lead.set(e.getKey(), e.getValue()));
        }
        return withUsage(new FakeReply(204, "application/json", Map.of(), new byte[0]));
    }

    /** sObject Collections upsert: each record on its own ({@code allOrNone} false), results in request order. */
    FakeReply collections(String field, FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        if (!field.equalsIgnoreCase(EXTERNAL_ID)) {
            return errors(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: "
                    + field);
        }
        JsonNode body = parse(req);
        JsonNode records = body == null ? null : body.get("records");
        if (records == null || !records.isArray() || records.size() > 200) {
            return errors(400, "INVALID_INPUT", "records must be a list of at most 200 sObjects");
        }
        ArrayNode results = json.createArrayNode();
        for (JsonNode record : records) {
            ObjectNode fields = record.deepCopy();
            fields.remove("attributes");
            JsonNode key = fields.remove(EXTERNAL_ID);
            if (key == null || key.asText().isBlank()) {
                results.add(failure("statusCode", "MISSING_ARGUMENT", EXTERNAL_ID + " not specified", EXTERNAL_ID));
            } else {
                results.add(save(key.asText(), fields, true));
            }
        }
        return withUsage(FakeReply.json(200, results));
    }

    FakeReply describe(FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        ObjectNode body = json.createObjectNode().put("name", "Lead").put("label", "Lead").put("keyPrefix", "00Q")
                .put("custom", false).put("createable", true);
        ArrayNode fields = body.putArray("fields");
        for (String name : FIELDS) {
            boolean key = name.equals(EXTERNAL_ID);
            fields.addObject().put("name", name).put("label", name).put("type", name.equals("Id") ? "id" : "string")
                    .put("custom", name.endsWith("__c")).put("externalId", key).put("unique", key)
                    .put("idLookup", key || name.equals("Id") || name.equals("Email"))
                    .put("nillable", !name.equals("LastName") && !name.equals("Company"));
        }
        return withUsage(FakeReply.json(200, body));
    }

    /** The refresh-token grant, and the web server flow's code grant (with its PKCE verifier). */
    FakeReply token(FakeRequest req) {
        String grant = req.form("grant_type");
        if (!"refresh_token".equals(grant) && !"authorization_code".equals(grant)) {
            return oauthError(400, "unsupported_grant_type", "grant type not supported");
        }
        if (clientId.isPresent() && !clientId.get().equals(req.form("client_id"))) {
            return oauthError(400, "invalid_client_id", "client identifier invalid");
        }
        if (clientSecret.isPresent() && !clientSecret.get().equals(req.form("client_secret"))) {
            return oauthError(400, "invalid_client", "invalid client credentials");
        }
        boolean code = "authorization_code".equals(grant);
        if (code && !consent.redeem(req.form("code"), req.form("code_verifier"))) {
            return oauthError(400, "invalid_grant", "authentication failure");
        }
        if (!code && !refreshTokens.contains(req.form("refresh_token"))) {
            return oauthError(400, "invalid_grant", "expired access/refresh token");
        }
        String url = req.url();
        String instanceUrl = url.substring(0, url.indexOf(BASE) + BASE.length());
        ObjectNode body = json.createObjectNode().put("access_token", issued.issue())
                .put("signature", "local-signature").put("scope", "refresh_token api")
                .put("instance_url", instanceUrl).put("id", instanceUrl + "/id/00DLOCAL/005LOCAL")
                .put("token_type", "Bearer").put("issued_at", Long.toString(clock.millis()));
        if (code) {
            // The code grants the first configured refresh token, so the destination keeps refreshing here.
            body.put("refresh_token", new TreeSet<>(refreshTokens).first());
        }
        return FakeReply.json(200, body);
    }

    /** Every Lead the org holds, in creation order. */
    synchronized FakeReply leads() {
        ArrayNode out = json.createArrayNode();
        leads.values().forEach(lead -> out.add(lead.deepCopy()));
        return FakeReply.json(200, json.createObjectNode().put("totalSize", out.size()).put("done", true)
                .set("records", out));
    }

    /** Creates or updates the Lead whose external id is {@code key}; the result in sObject Collections' shape. */
    private synchronized ObjectNode save(String key, ObjectNode fields, boolean collection) {
        String codeName = collection ? "statusCode" : "errorCode";
        String unknown = unknownField(fields, false);
        if (unknown != null) {
            return failure(codeName, "INVALID_FIELD", fields.has("Id") || fields.has(EXTERNAL_ID)
                    ? "Unable to create/update fields: " + unknown + ". The upsert key is set by the URL."
                    : "No such column '" + unknown + "' on sobject of type Lead", unknown);
        }
        ObjectNode existing = leads.values().stream().filter(l -> key.equals(l.path(EXTERNAL_ID).asText(null)))
                .findFirst().orElse(null);
        if (existing == null) {
            List<String> missing = new ArrayList<>();
            for (String required : List.of("LastName", "Company")) {
                if (fields.path(required).asText("").isBlank()) {
                    missing.add(required);
                }
            }
            if (!missing.isEmpty()) {
                return failure(codeName, "REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing,
                        missing.toArray(String[]::new));
            }
            String id = String.format(Locale.ROOT, "00QLOCAL%07dAAA", nextId.getAndIncrement());
            ObjectNode lead = json.createObjectNode();
            lead.putObject("attributes").put("type", "Lead").put("url", "/services/data/v62.0/sobjects/Lead/" + id);
            lead.put("Id", id);
            lead.setAll(fields);
            lead.put(EXTERNAL_ID, key);
            leads.put(id, lead);
            return result(id, true);
        }
        existing.setAll(fields);
        return result(existing.path("Id").asText(), false);
    }

    /** The first field Salesforce would refuse: unknown, or (in an upsert) {@code Id} or the key. */
    private static String unknownField(JsonNode fields, boolean byId) {
        for (var it = fields.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name) || name.equalsIgnoreCase("Id") || (!byId && name.equalsIgnoreCase(EXTERNAL_ID))) {
                return name;
            }
        }
        return null;
    }

    private FakeReply refused(FakeRequest req) {
        String token = req.bearerToken();
        if (token != null && (tokens.contains(token) || issued.standing(token) == IssuedTokens.Standing.VALID)) {
            apiCalls.incrementAndGet();
            return null;
        }
        return errors(401, "INVALID_SESSION_ID", "Session expired or invalid");
    }

    private ObjectNode result(String id, boolean created) {
        ObjectNode r = json.createObjectNode().put("id", id).put("success", true);
        r.putArray("errors");
        return r.put("created", created);
    }

    private ObjectNode failure(String codeName, String code, String message, String... fields) {
        ObjectNode r = json.createObjectNode().put("success", false);
        ObjectNode error = r.putArray("errors").addObject().put(codeName, code).put("message", message);
        ArrayNode names = error.putArray("fields");
        for (String f : fields) {
            names.add(f);
        }
        return r;
    }

    private FakeReply errors(int status, String code, String message) {
        ArrayNode body = json.createArrayNode();
        body.addObject().put("message", message).put("errorCode", code).putArray("fields");
        return withUsage(FakeReply.json(status, body));
    }

    private FakeReply oauthError(int status, String error, String description) {
        return FakeReply.json(status, json.createObjectNode().put("error", error)
                .put("error_description", description));
    }

    private FakeReply withUsage(FakeReply reply) {
        Map<String, String> headers = new LinkedHashMap<>(reply.headers());
        headers.put("Sforce-Limit-Info", "api-usage=" + apiCalls.get() + "/" + DAILY_ALLOCATION);
        return new FakeReply(reply.status(), reply.contentType(), headers, reply.body());
    }

    private JsonNode parse(FakeRequest req) {
        try {
            JsonNode node = json.readTree(req.bodyText());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return set;
    }
}
