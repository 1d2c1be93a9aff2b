package com.leadsync.delivery.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.CrmTokens;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.Destination;
import com.leadsync.delivery.FieldMapper;
import com.leadsync.delivery.HttpOutcomes;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.Pace;
import com.leadsync.delivery.Placeholders;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.delivery.salesforce.SalesforceErrors.SalesforceError;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes a lead as a Salesforce Lead with an idempotent upsert on an external-id field holding our leadId
 * (crm.md §A.2, contract §7): {@code PATCH …/sobjects/Lead/{externalIdField}/{leadId}} for one lead, sObject
 * Collections upsert for up to 200. Every retry, every concurrent copy and every re-push of a lead lands on the
 * same URL, so Salesforce keeps one record per lead. Required {@code LastName} and {@code Company} get
 * {@link Placeholders} when the mapping gives none; a save blocked by a duplicate rule is resolved as
 * {@code config.duplicateRule} says. All calls carry the token {@link CrmTokens} hands out, which refreshes it
 * once when Salesforce answers {@code INVALID_SESSION_ID}.
 */
@ApplicationScoped
public class SalesforceDestination implements Destination {

    public static final String TYPE = "salesforce";

    /** sObject Collections take at most 200 records per request. */
    static final int MAX_BATCH = 200;
    /**
     * Salesforce has no short-window rate limit, only the org's 24-hour allocation and 25 concurrent long-running
     * (≥ 20 s) requests per org (5 on Developer/Trial orgs). Twenty at once leaves room for the org's other
     * integrations; the daily allocation is watched through {@code Sforce-Limit-Info} and REQUEST_LIMIT_EXCEEDED.
     */
    static final int CONCURRENT_REQUESTS = 20;
    /** Describe answers run to a few hundred KB on orgs with many custom fields. */
    static final int DESCRIBE_BYTES = 4 * 1024 * 1024;
    /**
     * 200 results, each with its errors (a duplicate rule's carry the matched records): far above the default cap.
     * A cut answer cannot be matched to the records, which would retry a batch Salesforce had already written.
     */
    static final int COLLECTION_BYTES = 1024 * 1024;

    static final String LAST_NAME = "LastName";
    static final String COMPANY = "Company";
    static final String DUPLICATE_RULE_HEADER = "Sforce-Duplicate-Rule-Header";

    static final FieldMapper FIELDS = new FieldMapper(defaultMapping());

    private final OutboundHttp http;
    private final UrlPolicy urlPolicy;
    private final CrmTokens tokens;
    private final ObjectMapper json;
    private final boolean allowPrivate;

    @Inject
    public SalesforceDestination(OutboundHttp http, UrlPolicy urlPolicy, CrmTokens tokens, ObjectMapper json,
            @ConfigProperty(name = "leadsync.allow-private-urls", defaultValue = "false") boolean allowPrivate) {
        this.http = http;
        this.urlPolicy = urlPolicy;
        this.tokens = tokens;
        this.json = json;
        this.allowPrivate = allowPrivate;
    }

    /** LeadSource is left out on purpose: it is a picklist, and a restricted one refuses unknown values. */
    private static Map<String, String> defaultMapping() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("email", "Email");
        m.put("firstName", "FirstName");
        m.put("lastName", LAST_NAME);
        m.put("phoneNumber", "Phone");
        m.put("company", COMPANY);
        return m;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(SalesforceConfig.ACCESS_TOKEN, SalesforceConfig.REFRESH_TOKEN);
    }

    @Override
    public Set<String> endpointKeys() {
        return Set.of(SalesforceConfig.INSTANCE_URL, SalesforceConfig.LOGIN_URL);
    }

    @Override
    public List<String> validate(DeliveryTarget target) {
        List<String> problems = SalesforceConfig.problems(target.config(), urlPolicy, allowPrivate);
        SalesforceConfig c = SalesforceConfig.of(target.config());
        for (Map.Entry<String, String> e : new TreeMap<>(target.fieldMapping()).entrySet()) {
            String field = e.getValue() == null ? "" : e.getValue().trim();
            if (field.isEmpty()) {
                continue;
            }
            if (!SalesforceConfig.API_NAME.matcher(field).matches()) {
                problems.add("fieldMapping: '" + field + "' (for " + e.getKey()
                        + ") is not a Salesforce field API name");
            } else if (field.equalsIgnoreCase("Id") || field.equalsIgnoreCase(c.externalIdField())) {
                problems.add("fieldMapping: " + e.getKey() + " maps to " + field
                        + ", which LeadSync sets itself (the upsert key)");
            }
        }
        return problems;
    }

    @Override
    public DeliveryReceipt send(DeliveryTarget target, StoredLead lead, DeliveryContext context)
            throws DeliveryException {
        SalesforceConfig c = usable(target);
        Map<String, String> fields = fields(target, lead, c);
        return tokens.withToken(target, token -> upsert(c, token, lead, fields, false));
    }

    @Override
    public int maxBatchSize(DeliveryTarget target) {
        return MAX_BATCH;
    }

    @Override
    public List<BatchOutcome> sendBatch(DeliveryTarget target, List<BatchItem> items) throws DeliveryException {
        SalesforceConfig c = usable(target);
        List<Map<String, String>> fields = new ArrayList<>(items.size());
        List<Map<String, Object>> records = new ArrayList<>(items.size());
        for (BatchItem item : items) {
            Map<String, String> f = fields(target, item.lead(), c);
            fields.add(f);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("attributes", Map.of("type", "Lead"));
            record.put(c.externalIdField(), item.lead().leadId());
            record.putAll(f);
            records.add(record);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("allOrNone", false);
        body.put("records", records);
        String url = dataUrl(c, "/composite/sobjects/Lead/" + c.externalIdField());
        String encoded = write(body);
        return tokens.withToken(target, token -> {
            OutboundHttp.Response response = exchange(OutboundHttp.Call.json("PATCH", urlPolicy.checkBeforeSend(url),
                    encoded, headers(token, false)).keeping(COLLECTION_BYTES));
            if (response.statusCode() != 200) {
                throw failure(response);
            }
            JsonNode results = HttpOutcomes.jsonOrMissing(json, response.body());
            if (!results.isArray() || results.size() != items.size()) {
                // Results are matched to records by position; a different count cannot be matched safely.
                throw DeliveryException.retryable("Salesforce answered " + (results.isArray() ? results.size() : 0)
                        + " results for " + items.size() + " records: " + HttpOutcomes.snippet(response.body()),
                        200, null);
            }
            String usage = usageSuffix(response);
            List<BatchOutcome> out = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                out.add(outcome(c, token, items.get(i).lead(), fields.get(i), results.get(i), usage));
            }
            return out;
        });
    }

    /** One record's result: delivered, a duplicate resolved on its own, or its errors classified. */
    private BatchOutcome outcome(SalesforceConfig c, String token, StoredLead lead, Map<String, String> fields,
            JsonNode result, String usage) throws DeliveryException {
        if (result.path("success").asBoolean(false)) {
            return BatchOutcome.delivered(new DeliveryReceipt(200,
                    recordDetail(result.path("id").asText("?"), result.path("created").asBoolean(false)) + usage));
        }
        List<SalesforceError> errors = SalesforceErrors.read(result.path("errors"));
        DeliveryException failure;
        if (errors.stream().anyMatch(e -> e.is(SalesforceErrors.DUPLICATES_DETECTED))) {
            try {
                return BatchOutcome.delivered(resolveDuplicate(c, token, lead, fields, errors, null));
            } catch (DeliveryException e) {
                failure = e;
            }
        } else {
            failure = SalesforceErrors.classify(null, errors, result.toString(), name -> null);
        }
        if (failure.kind() == DeliveryException.Kind.UNAUTHORIZED) {
            throw failure; // the token, not the record: CrmTokens refreshes it and the batch is sent again
        }
        return BatchOutcome.failed(failure);
    }

    @Override
    public Pace pace(DeliveryTarget target) {
        return Pace.UNLIMITED.withConcurrency(CONCURRENT_REQUESTS);
    }

    @Override
    public CheckReport check(DeliveryTarget target) throws DeliveryException {
        SalesforceConfig c = usable(target);
        String url = dataUrl(c, "/sobjects/Lead/describe");
        JsonNode describe = tokens.withToken(target, token -> {
            OutboundHttp.Response response = exchange(OutboundHttp.Call.json("GET", urlPolicy.checkBeforeSend(url),
                    null, headers(token, false)).keeping(DESCRIBE_BYTES));
            if (response.statusCode() != 200) {
                throw failure(response);
            }
            return HttpOutcomes.jsonOrMissing(json, response.body());
        });
        // API names are case-insensitive in Salesforce.
        Set<String> existing = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        JsonNode externalId = null;
        for (JsonNode field : describe.path("fields")) {
            String name = field.path("name").asText("");
            existing.add(name);
            if (name.equalsIgnoreCase(c.externalIdField())) {
                externalId = field;
            }
        }
        if (existing.isEmpty()) {
            throw DeliveryException.retryable("Salesforce's Lead describe listed no fields: "
                    + HttpOutcomes.snippet(describe.toString()), 200, null);
        }
        Set<String> wanted = new LinkedHashSet<>(FIELDS.crmFields(target.fieldMapping()));
        wanted.add(c.externalIdField());
        List<String> unknown = wanted.stream().filter(f -> !existing.contains(f)).toList();
        if (unknown.isEmpty() && externalId != null && !externalId.path("externalId").asBoolean(false)) {
            return new CheckReport(false, "credentials accepted by Salesforce, but the Lead field "
                    + c.externalIdField() + " is not marked External ID, so LeadSync cannot upsert on it", List.of());
        }
        return CheckReport.fields("Salesforce", unknown);
    }

    /** The upsert, and the duplicate-rule resolution it may need, with one access token. */
    private DeliveryReceipt upsert(SalesforceConfig c, String token, StoredLead lead, Map<String, String> fields,
            boolean allowSave) throws DeliveryException {
        String url = dataUrl(c, "/sobjects/Lead/" + c.externalIdField() + "/" + pathSegment(lead.leadId()));
        OutboundHttp.Response response = exchange(OutboundHttp.Call.json("PATCH", urlPolicy.checkBeforeSend(url),
                write(fields), headers(token, allowSave)));
        int status = response.statusCode();
        if (status == 200 || status == 201 || status == 204) {
            JsonNode body = HttpOutcomes.jsonOrMissing(json, response.body());
            String id = body.path("id").asText("");
            // 201 is a create; before v46 an update answered 204 without a body, since then 200 with created:false.
            boolean created = status == 201 || body.path("created").asBoolean(false);
            String detail = id.isEmpty() ? "Salesforce lead " + c.externalIdField() + "=" + lead.leadId()
                    + (created ? " created" : " updated") : recordDetail(id, created);
            return new DeliveryReceipt(status, detail + usageSuffix(response));
        }
        if (status == 300) {
            throw DeliveryException.permanent("several Salesforce leads have " + c.externalIdField() + " = "
                    + lead.leadId() + " (" + HttpOutcomes.snippet(response.body()) + "); make the field Unique, or"
                    + " merge them", 300);
        }
        List<SalesforceError> errors = SalesforceErrors.read(HttpOutcomes.jsonOrMissing(json, response.body()));
        if (!allowSave && errors.stream().anyMatch(e -> e.is(SalesforceErrors.DUPLICATES_DETECTED))) {
            return resolveDuplicate(c, token, lead, fields, errors, response);
        }
        throw SalesforceErrors.classify(status, errors, response.body(), response::header);
    }

    /** A save blocked by an active duplicate rule, resolved as {@code config.duplicateRule} says. */
    private DeliveryReceipt resolveDuplicate(SalesforceConfig c, String token, StoredLead lead,
            Map<String, String> fields, List<SalesforceError> errors, OutboundHttp.Response response)
            throws DeliveryException {
        List<String> matched = errors.stream().flatMap(e -> e.matchedIds().stream()).distinct().toList();
        Integer status = response == null ? null : response.statusCode();
        return switch (c.duplicateRule()) {
            case ALLOW_SAVE -> upsert(c, token, lead, fields, true);
            case UPDATE -> {
                if (matched.isEmpty()) {
                    throw DeliveryException.permanent("Salesforce DUPLICATES_DETECTED but named no matching record"
                            + " to update: " + describe(errors), status);
                }
                yield updateMatched(c, token, lead, fields, matched.get(0));
            }
            case FAIL -> throw DeliveryException.permanent("Salesforce " + describe(errors)
                    + (matched.isEmpty() ? "" : " (matches " + String.join(", ", matched) + ")")
                    + "; config.duplicateRule is fail", status);
        };
    }

    /**
     * Updates the record a duplicate rule matched, writing our external id on it too, so later upserts of this
     * lead find it instead of tripping the rule again. The first match is taken when the rule names several.
     */
    private DeliveryReceipt updateMatched(SalesforceConfig c, String token, StoredLead lead,
            Map<String, String> fields, String recordId) throws DeliveryException {
        Map<String, String> withKey = new LinkedHashMap<>(fields);
        withKey.put(c.externalIdField(), lead.leadId());
        String url = dataUrl(c, "/sobjects/Lead/" + pathSegment(recordId));
        OutboundHttp.Response response = exchange(OutboundHttp.Call.json("PATCH", urlPolicy.checkBeforeSend(url),
                write(withKey), headers(token, false)));
        int status = response.statusCode();
        if (status == 200 || status == 204) {
            return new DeliveryReceipt(status, "Salesforce lead " + recordId
                    + " updated (matched by a duplicate rule)" + usageSuffix(response));
        }
        throw failure(response);
    }

    /** The lead's fields as Salesforce gets them: mapped, placeholders for the required ones, never the key. */
    private static Map<String, String> fields(DeliveryTarget target, StoredLead lead, SalesforceConfig c) {
        Map<String, String> fields = new LinkedHashMap<>(FIELDS.map(lead, target.fieldMapping()));
        // Salesforce refuses a body that sets Id or the external-id field of the URL.
        fields.keySet().removeIf(k -> k.equalsIgnoreCase("Id") || k.equalsIgnoreCase(c.externalIdField()));
        if (fields.keySet().stream().noneMatch(LAST_NAME::equalsIgnoreCase)) {
            fields.put(LAST_NAME, Placeholders.lastName(lead));
        }
        if (fields.keySet().stream().noneMatch(COMPANY::equalsIgnoreCase)) {
            fields.put(COMPANY, Placeholders.company(lead));
        }
        return fields;
    }

    private SalesforceConfig usable(DeliveryTarget target) throws DeliveryException {
        List<String> problems = SalesforceConfig.problems(target.config(), urlPolicy, allowPrivate);
        if (!problems.isEmpty()) {
            throw DeliveryException.permanent("the Salesforce destination's config is unusable: "
                    + String.join("; ", problems), null);
        }
        return SalesforceConfig.of(target.config());
    }

    private static String dataUrl(SalesforceConfig c, String path) {
        return c.instanceUrl() + "/services/data/" + c.apiVersion() + path;
    }

    private static Map<String, String> headers(String token, boolean allowSave) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        if (allowSave) {
            headers.put(DUPLICATE_RULE_HEADER, "allowSave=true");
        }
        return headers;
    }

    private OutboundHttp.Response exchange(OutboundHttp.Call call) throws DeliveryException {
        try {
            return http.send(call);
        } catch (IOException e) {
            throw HttpOutcomes.transportFailure(e, http.defaultTimeout());
        } catch (IllegalArgumentException e) {
            // A header value that would split the request (a token with a line break): retrying cannot help.
            throw DeliveryException.permanent("cannot build the Salesforce request: " + e.getMessage(), null);
        }
    }

    private DeliveryException failure(OutboundHttp.Response response) {
        return SalesforceErrors.classify(response.statusCode(), SalesforceErrors.read(HttpOutcomes.jsonOrMissing(json, response.body())),
                response.body(), response::header);
    }

    private static String recordDetail(String id, boolean created) {
        return "Salesforce lead " + id + (created ? " created" : " updated");
    }

    private static String usageSuffix(OutboundHttp.Response response) {
        return ApiUsage.parse(response.header(ApiUsage.HEADER)).map(u -> " (" + u + ")").orElse("");
    }

    private static String describe(List<SalesforceError> errors) {
        return HttpOutcomes.snippet(String.join("; ", errors.stream().map(SalesforceError::describe).toList()));
    }

    /** A path segment: URLEncoder's form encoding, with spaces as %20 rather than '+'. */
    private static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String write(Object body) throws DeliveryException {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw DeliveryException.permanent("cannot serialize the lead: " + e.getOriginalMessage(), null);
        }
    }
}
