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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An offline Zoho CRM and Zoho Accounts (crm.md §A.3) under {@code /_local/zoho}, which stands for both a data
 * centre's api_domain and its accounts server, so a zoho destination with {@code apiDomain} and
 * {@code accountsServer} {@code http://localhost:8080/_local/zoho} delivers in local mode:
 * <ul>
 * <li>{@code POST /crm/v8/Leads/upsert}: up to 100 records, each matched on the request's
 * {@code duplicate_check_fields} (default Email) in order, updated when one matches (action {@code update},
 * "record updated"), else added with a new id; {@code Last_Name} missing → {@code MANDATORY_NOT_FOUND};</li>
 * <li>{@code GET /crm/v8/Leads}: what was written, newest last, to see a lead arrive once;</li>
 * <li>{@code GET /crm/v8/settings/fields?module=Leads}: the standard Lead fields plus {@code LeadSync_Lead_Id};</li>
 * <li>{@code POST /oauth/v2/token}: a refresh for the tokens in {@code leadsync.local.zoho-refresh-tokens} and the
 * client {@code leadsync.zoho.client-id}/{@code -secret} (query or form parameters), an hour-long access token;
 * {@code {"error":"invalid_code"}} with status 200 for another refresh token, as Zoho answers; codes of the consent
 * stand-in {@code GET /_local/zoho/oauth/v2/auth} (which names this fake as the {@code accounts-server}) redeemed once
 * for the first of those refresh tokens;</li>
 * <li>{@code GET /crm/v8/org}: organization {@value #LOCAL_ORG_ID};</li>
 * </ul>
 * CRM calls need {@code Authorization: Zoho-oauthtoken <token>} with a token of {@code leadsync.local.zoho-tokens}
 * or one the refresh issued, else 401 {@code INVALID_TOKEN}. Records live in memory until local mode restarts.
 */
@ApplicationScoped
public class LocalZohoFake {

    static final String BASE = "/_local/zoho";
    static final int MAX_RECORDS = 100;
    static final String LOCAL_ORG_ID = "5725767000000000001";
    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);
    private static final List<String> LEAD_FIELDS = List.of("Email", "First_Name", "Last_Name", "Full_Name",
            "Phone", "Mobile", "Company", "Designation", "Lead_Source", "Lead_Status", "Industry", "Website",
            "Street", "City", "State", "Zip_Code", "Country", "Description", "LeadSync_Lead_Id");

    private final Set<String> tokens;
    private final Set<String> refreshTokens;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final Clock clock;
    private final ObjectMapper json;
    private final IssuedTokens issued;
    private final LocalOAuthConsent consent;
    private final List<ObjectNode> leads = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(5725767000000600001L);

    LocalZohoFake(
            @ConfigProperty(name = "leadsync.local.zoho-tokens", defaultValue = "local-zoho-token") Set<String> tokens,
            @ConfigProperty(name = "leadsync.local.zoho-refresh-tokens", defaultValue = "local-zoho-refresh-token")
            Set<String> refreshTokens,
            @ConfigProperty(name = "leadsync.zoho.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.zoho.client-secret") Optional<String> clientSecret,
            Clock clock, ObjectMapper json) {
        this.tokens = Set.copyOf(tokens);
        this.refreshTokens = Set.copyOf(refreshTokens);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
        this.json = json;
        this.issued = new IssuedTokens("1000.local.", ACCESS_TOKEN_LIFETIME, clock);
        this.consent = new LocalOAuthConsent("1000.localcode.", clock);
    }

    void routes(@Observes Router router) {
        router.post(BASE + "/crm/v8/Leads/upsert").order(-199)
                .blockingHandler(FakeReply.handler(ctx -> upsert(FakeRequest.of(ctx))), false);
        router.get(BASE + "/crm/v8/Leads").order(-199)
                .blockingHandler(FakeReply.handler(ctx -> list(FakeRequest.of(ctx))), false);
        router.get(BASE + "/crm/v8/settings/fields").order(-199)
                .blockingHandler(FakeReply.handler(ctx -> fields(FakeRequest.of(ctx))), false);
        router.post(BASE + "/oauth/v2/token").order(-199)
                .blockingHandler(FakeReply.handler(ctx -> token(FakeRequest.of(ctx))), false);
        // Zoho sends the person back with their data centre's accounts server: here, this fake.
        router.get(BASE + "/oauth/v2/auth").order(-199).handler(FakeReply.handler(ctx -> {
            FakeRequest req = FakeRequest.of(ctx);
            return consent.consent(req, Map.of("location", "us", "accounts-server", base(req.url())));
        }));
        router.get(BASE + "/crm/v8/org").order(-199).handler(FakeReply.handler(ctx -> org(FakeRequest.of(ctx))));
    }

    /** {@code POST /crm/v8/Leads/upsert}. */
    FakeReply upsert(FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        JsonNode body;
        try {
            body = json.readTree(req.bodyText());
        } catch (IOException e) {
            return error(400, "INVALID_DATA", "body is not valid JSON");
        }
        JsonNode data = body == null ? null : body.path("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            return error(400, "INVALID_DATA", "data is required and must be a non-empty array");
        }
        if (data.size() > MAX_RECORDS) {
            return error(400, "LIMIT_EXCEEDED", "the number of records exceeds the limit of " + MAX_RECORDS);
        }
        List<String> checkFields = new ArrayList<>();
        body.path("duplicate_check_fields").forEach(f -> checkFields.add(f.asText()));
        if (checkFields.isEmpty()) {
            checkFields.add("Email"); // Zoho's system-defined unique field of Leads
        }
        ArrayNode results = json.createArrayNode();
        int failed = 0;
        synchronized (leads) {
            for (int i = 0; i < data.size(); i++) {
                JsonNode record = data.get(i);
                if (!record.isObject() || record.path("Last_Name").asText("").isBlank()) {
                    failed++;
                    results.add(json.createObjectNode().put("code", "MANDATORY_NOT_FOUND").put("message",
                            "required field not found").put("status", "error").set("details", json.createObjectNode()
                            .put("api_name", "Last_Name").put("json_path", "$.data[" + i + "].Last_Name")));
                    continue;
                }
                results.add(write((ObjectNode) record, checkFields));
            }
        }
        int status = failed == data.size() ? 400 : 200;
        return FakeReply.json(status, json.createObjectNode().set("data", results));
    }

    private ObjectNode write(ObjectNode record, List<String> checkFields) {
        String now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .toString();
        for (String field : checkFields) {
            String value = record.path(field).asText("");
            if (value.isBlank()) {
                continue;
            }
            for (ObjectNode existing : leads) {
                if (value.equalsIgnoreCase(existing.path(field).asText(""))) {
                    existing.setAll(record);
                    existing.put("Modified_Time", now);
                    return success(existing.path("id").asText(), "update", field, now);
                }
            }
        }
        ObjectNode stored = record.deepCopy();
        String id = Long.toString(ids.getAndIncrement());
        stored.put("id", id).put("Created_Time", now).put("Modified_Time", now);
        leads.add(stored);
        return success(id, "insert", null, now);
    }

    private ObjectNode success(String id, String action, String duplicateField, String now) {
        ObjectNode details = json.createObjectNode().put("Modified_Time", now).put("Created_Time", now).put("id", id);
        details.set("Modified_By", json.createObjectNode().put("name", "Local Admin").put("id", "5725767000000411001"));
        ObjectNode result = json.createObjectNode().put("code", "SUCCESS").put("duplicate_field", duplicateField)
                .put("action", action);
        result.set("details", details);
        return result.put("message", action.equals("insert") ? "record added" : "record updated")
                .put("status", "success");
    }

    /** {@code GET /crm/v8/Leads}: every stored lead. */
    FakeReply list(FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        ArrayNode data = json.createArrayNode();
        synchronized (leads) {
            leads.forEach(lead -> data.add(lead.deepCopy()));
        }
        if (data.isEmpty()) {
            return new FakeReply(204, "application/json", Map.of(), new byte[0]);
        }
        ObjectNode body = json.createObjectNode();
        body.set("data", data);
        body.set("info", json.createObjectNode().put("count", data.size()).put("more_records", false)
                .put("page", 1).put("per_page", 200));
        return FakeReply.json(200, body);
    }

    /** {@code GET /crm/v8/settings/fields?module=Leads}. */
    FakeReply fields(FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        if (!"Leads".equals(req.param("module"))) {
            return error(400, "INVALID_MODULE", "the module name given seems to be invalid");
        }
        ArrayNode fields = json.createArrayNode();
        for (String name : LEAD_FIELDS) {
            fields.add(json.createObjectNode().put("api_name", name).put("field_label", name.replace('_', ' '))
                    .put("data_type", name.equals("Email") ? "email" : "text")
                    .put("custom_field", name.equals("LeadSync_Lead_Id"))
                    .put("system_mandatory", name.equals("Last_Name")));
        }
        return FakeReply.json(200, json.createObjectNode().set("fields", fields));
    }

    /** {@code POST /oauth/v2/token?grant_type=refresh_token&...} (or the same as a form body). */
    FakeReply token(FakeRequest req) {
        String client = param(req, "client_id");
        if (clientId.isEmpty() || clientSecret.isEmpty() || !clientId.get().equals(client)
                || !clientSecret.get().equals(param(req, "client_secret"))) {
            return FakeReply.json(200, json.createObjectNode().put("error", "invalid_client"));
        }
        String grant = param(req, "grant_type");
        boolean code = "authorization_code".equals(grant);
        if (!code && !"refresh_token".equals(grant)) {
            return FakeReply.json(200, json.createObjectNode().put("error", "unsupported_grant_type"));
        }
        if (code ? !consent.redeem(param(req, "code"), null) : !refreshTokens.contains(param(req, "refresh_token"))) {
            return FakeReply.json(200, json.createObjectNode().put("error", "invalid_code"));
        }
        ObjectNode body = json.createObjectNode().put("access_token", issued.issue())
                .put("scope", "ZohoCRM.modules.leads.ALL ZohoCRM.settings.fields.READ ZohoCRM.org.READ")
                .put("api_domain", base(req.url()))
                .put("token_type", "Bearer").put("expires_in", issued.lifetime().toSeconds());
        if (code) {
            // The code grants the first configured refresh token, so the destination keeps refreshing here.
            body.put("refresh_token", new TreeSet<>(refreshTokens).first());
        }
        return FakeReply.json(200, body);
    }

    /** This fake's base as the caller sees it: its accounts server and its api_domain. */
    private static String base(String url) {
        int at = url.indexOf(BASE);
        return url.substring(0, at + BASE.length());
    }

    /** {@code GET /crm/v8/org}: the organization the token is for. */
    FakeReply org(FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        ObjectNode body = json.createObjectNode();
        body.putArray("org").addObject().put("id", LOCAL_ORG_ID).put("company_name", "Local Zoho org")
                .put("domain_name", "org" + LOCAL_ORG_ID).put("country_code", "US").put("time_zone", "UTC");
        return FakeReply.json(200, body);
    }

    private static String param(FakeRequest req, String name) {
        String query = req.param(name);
        return query != null ? query : req.form(name);
    }

    private FakeReply refused(FakeRequest req) {
        String auth = req.header("authorization");
        String token = auth != null && auth.startsWith("Zoho-oauthtoken ") ? auth.substring(16).trim() : null;
        if (token != null && (tokens.contains(token) || issued.standing(token) == IssuedTokens.Standing.VALID)) {
            return null;
        }
        return error(401, "INVALID_TOKEN", "invalid oauth token");
    }

    private FakeReply error(int status, String code, String message) {
        ObjectNode body = json.createObjectNode().put("code", code);
        body.set("details", json.createObjectNode());
        return FakeReply.json(status, body.put("message", message).put("status", "error"));
    }
}
