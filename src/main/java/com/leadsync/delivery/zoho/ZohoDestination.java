package com.leadsync.delivery.zoho;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import com.leadsync.delivery.PinnedUrl;
import com.leadsync.delivery.Placeholders;
import com.leadsync.delivery.RetryAfter;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes leads as Zoho CRM Leads with one idempotent upsert of up to 100 records (crm.md §A.3):
 * {@code POST {apiDomain}/crm/v8/Leads/upsert}, matched on {@code duplicate_check_fields} — {@code Email}, or the
 * configured unique field — so a retry or a re-push updates the record instead of creating another. A lead
 * that has no value for any duplicate-check field is refused rather than sent: Zoho would create a new record on
 * every retry. {@code config.leadIdField} (a unique custom field) always gets our leadId and joins the duplicate
 * check after {@code duplicateCheckField}, so leads without email upsert too. Tokens go through {@link CrmTokens};
 * both hosts are per destination (data centres), see {@link ZohoEndpoints}.
 */
@ApplicationScoped
public class ZohoDestination implements Destination {

    public static final String TYPE = "zoho";
    public static final String API_DOMAIN = "apiDomain";
    public static final String ACCOUNTS_SERVER = "accountsServer";
    public static final String ACCESS_TOKEN = "accessToken";
    public static final String REFRESH_TOKEN = "refreshToken";
    public static final String DUPLICATE_CHECK_FIELD = "duplicateCheckField";
    public static final String LEAD_ID_FIELD = "leadIdField";
    public static final String TRIGGER = "trigger";
    public static final String CONCURRENCY = "concurrency";

    static final String UPSERT_PATH = "/crm/v8/Leads/upsert";
    static final String FIELDS_PATH = "/crm/v8/settings/fields?module=Leads";
    static final String DEFAULT_DUPLICATE_CHECK_FIELD = "Email";
    static final String LAST_NAME = "Last_Name";
    static final List<String> DEFAULT_TRIGGER = List.of("workflow");
    static final Set<String> TRIGGERS = Set.of("workflow", "approval", "blueprint");
    static final int MAX_BATCH = 100;
    /** Zoho caps concurrent calls per app and org, from Free 5 to Ultimate 25 (crm.md §A.3): the lowest by default. */
    static final int DEFAULT_CONCURRENCY = 5;
    static final int MAX_CONCURRENCY = 25;
    /** A 429 without Retry-After: Zoho's cap is concurrency, which frees up as soon as a running call ends. */
    static final Duration RATE_LIMIT_WAIT = Duration.ofSeconds(10);
    /** Field metadata of an org with many custom fields is far above OutboundHttp's default 64 KB. */
    static final int FIELDS_ANSWER_BYTES = 4 * 1024 * 1024;
    static final String CRM = "Zoho CRM";

    static final FieldMapper FIELDS = new FieldMapper(defaultMapping());

    /** Zoho API names: letters, digits and underscores. */
    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,99}");

    private final OutboundHttp http;
    private final ZohoEndpoints endpoints;
    private final CrmTokens tokens;
    private final ObjectMapper json;

    @Inject
    public ZohoDestination(OutboundHttp http, ZohoEndpoints endpoints, CrmTokens tokens, ObjectMapper json) {
        this.http = http;
        this.endpoints = endpoints;
        this.tokens = tokens;
        this.json = json;
    }

    private static Map<String, String> defaultMapping() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("email", "Email");
        m.put("firstName", "First_Name");
        m.put("lastName", LAST_NAME);
        m.put("phoneNumber", "Phone");
        m.put("company", "Company");
        return m;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(ACCESS_TOKEN, REFRESH_TOKEN);
    }

    @Override
    public Set<String> endpointKeys() {
        return Set.of(API_DOMAIN, ACCOUNTS_SERVER);
    }

    @Override
    public List<String> validate(DeliveryTarget target) {
        List<String> problems = new ArrayList<>();
        endpoints.problem(API_DOMAIN, target.config(API_DOMAIN)).ifPresent(problems::add);
        String refreshToken = target.config(REFRESH_TOKEN);
        // Only a refresh talks to the accounts server: required with a refresh token, checked whenever given.
        if ((refreshToken != null && !refreshToken.isBlank()) || target.config(ACCOUNTS_SERVER) != null) {
            endpoints.problem(ACCOUNTS_SERVER, target.config(ACCOUNTS_SERVER)).ifPresent(problems::add);
        }
        tokenProblem(ACCESS_TOKEN, target.config(ACCESS_TOKEN), true).ifPresent(problems::add);
        tokenProblem(REFRESH_TOKEN, refreshToken, false).ifPresent(problems::add);
        for (String key : List.of(DUPLICATE_CHECK_FIELD, LEAD_ID_FIELD)) {
            String name = target.config(key);
            // Blank means not set, as everywhere else: Email, and no leadId field.
            if (name != null && !name.isBlank() && !API_NAME.matcher(name.trim()).matches()) {
                problems.add("config." + key + " must be a Zoho field API name (letters, digits, _), e.g. "
                        + (key.equals(LEAD_ID_FIELD) ? "LeadSync_Lead_Id" : "Email"));
            }
        }
        String trigger = target.config(TRIGGER);
        if (trigger != null) {
            for (String t : splitList(trigger)) {
                if (!TRIGGERS.contains(t)) {
                    problems.add("config.trigger: unknown trigger '" + t + "'; use a comma-separated list of "
                            + "workflow, approval, blueprint (empty: none)");
                }
            }
        }
        String concurrency = target.config(CONCURRENCY);
        if (concurrency != null && parseConcurrency(concurrency) == 0) {
            problems.add("config.concurrency must be a whole number from 1 to " + MAX_CONCURRENCY
                    + " (Zoho's concurrent-call cap of the org's edition)");
        }
        return problems;
    }

    private static Optional<String> tokenProblem(String key, String token, boolean required) {
        if (token == null || token.isBlank()) {
            return required ? Optional.of("config." + key + " is required (a Zoho OAuth "
                    + (key.equals(ACCESS_TOKEN) ? "access" : "refresh") + " token)") : Optional.empty();
        }
        if (token.trim().chars().anyMatch(c -> c <= ' ')) {
            return Optional.of("config." + key + " must not contain spaces or line breaks");
        }
        return Optional.empty();
    }

    @Override
    public int maxBatchSize(DeliveryTarget target) {
        return MAX_BATCH;
    }

    @Override
    public Pace pace(DeliveryTarget target) {
        String configured = target.config(CONCURRENCY);
        int concurrent = configured == null ? DEFAULT_CONCURRENCY : parseConcurrency(configured);
        return Pace.UNLIMITED.withConcurrency(concurrent == 0 ? DEFAULT_CONCURRENCY : concurrent);
    }

    @Override
    public DeliveryReceipt send(DeliveryTarget target, StoredLead lead, DeliveryContext context)
            throws DeliveryException {
        BatchOutcome outcome = sendBatch(target, List.of(new BatchItem(lead, context))).get(0);
        if (!outcome.ok()) {
            throw outcome.failure();
        }
        return outcome.receipt();
    }

    @Override
    public List<BatchOutcome> sendBatch(DeliveryTarget target, List<BatchItem> items) throws DeliveryException {
        List<String> checkFields = duplicateCheckFields(target);
        BatchOutcome[] outcomes = new BatchOutcome[items.size()];
        List<Integer> sent = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ArrayNode data = json.createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            StoredLead lead = items.get(i).lead();
            Map<String, String> record = record(target, lead);
            if (checkFields.stream().noneMatch(record::containsKey)) {
                outcomes[i] = BatchOutcome.failed(noMatchKey(lead, checkFields));
                continue;
            }
            List<String> matchKeys = checkFields.stream().filter(record::containsKey)
                    .map(f -> f + "\u0000" + record.get(f).trim().toLowerCase(Locale.ROOT)).toList();
            if (matchKeys.stream().anyMatch(seen::contains)) {
                // Two records one upsert matches to the same Zoho lead would race inside Zoho (one may be created
                // twice, or DUPLICATE_DATA refuse the other): this one goes in the next try, on its own.
                outcomes[i] = BatchOutcome.failed(DeliveryException.retryable("another lead of this batch upserts "
                        + "the same Zoho record (" + String.join(", ", checkFields) + "); sent on its own", null,
                        null));
                continue;
            }
            seen.addAll(matchKeys);
            ObjectNode node = data.addObject();
            record.forEach(node::put);
            sent.add(i);
        }
        if (sent.isEmpty()) {
            return Arrays.asList(outcomes);
        }
        ObjectNode body = json.createObjectNode();
        body.set("data", data);
        checkFields.forEach(body.putArray("duplicate_check_fields")::add);
        trigger(target).forEach(body.putArray("trigger")::add);
        String text = write(body);
        PinnedUrl url = endpoints.beforeSend(API_DOMAIN, target.config(API_DOMAIN), UPSERT_PATH);

        List<BatchOutcome> results = tokens.withToken(target, token -> results(call(
                OutboundHttp.Call.json("POST", url, text, auth(token))), sent.size()));
        for (int j = 0; j < sent.size(); j++) {
            outcomes[sent.get(j)] = results.get(j);
        }
        return Arrays.asList(outcomes);
    }

    @Override
    public CheckReport check(DeliveryTarget target) throws DeliveryException {
        PinnedUrl url = endpoints.beforeSend(API_DOMAIN, target.config(API_DOMAIN), FIELDS_PATH);
        OutboundHttp.Response response = tokens.withToken(target, token -> {
            OutboundHttp.Response r = call(OutboundHttp.Call.json("GET", url, null, auth(token))
                    .keeping(FIELDS_ANSWER_BYTES));
            if (!HttpOutcomes.isSuccess(r.statusCode())) {
                throw requestFailure(r, HttpOutcomes.jsonOrMissing(json, r.body()));
            }
            return r;
        });
        JsonNode fields = HttpOutcomes.jsonOrMissing(json, response.body()).path("fields");
        if (!fields.isArray()) {
            throw DeliveryException.retryable(CRM + " answered " + response.statusCode()
                    + " without a field list: " + HttpOutcomes.snippet(response.body()), response.statusCode(), null);
        }
        Set<String> known = new HashSet<>();
        fields.forEach(f -> known.add(f.path("api_name").asText()));
        Set<String> written = new LinkedHashSet<>(FIELDS.crmFields(target.fieldMapping()));
        written.add(LAST_NAME);
        written.addAll(duplicateCheckFields(target));
        List<String> unknown = written.stream().filter(name -> !known.contains(name)).toList();
        return CheckReport.fields(CRM, unknown);
    }

    /** The record sent for a lead: the mapping, our leadId in {@code leadIdField}, Last_Name never missing. */
    static Map<String, String> record(DeliveryTarget target, StoredLead lead) {
        Map<String, String> record = new LinkedHashMap<>();
        FIELDS.map(lead, target.fieldMapping()).forEach((field, value) -> {
            if (!value.isBlank()) {
                record.put(field, value);
            }
        });
        String leadIdField = blankToNull(target.config(LEAD_ID_FIELD));
        if (leadIdField != null) {
            record.put(leadIdField, lead.leadId());
        }
        // Zoho refuses a Lead without Last_Name (MANDATORY_NOT_FOUND); contract §7's placeholder instead.
        record.putIfAbsent(LAST_NAME, Placeholders.lastName(lead));
        return record;
    }

    /** {@code duplicateCheckField} (default Email), then {@code leadIdField} when configured: Zoho tries them in order. */
    static List<String> duplicateCheckFields(DeliveryTarget target) {
        Set<String> fields = new LinkedHashSet<>();
        String configured = blankToNull(target.config(DUPLICATE_CHECK_FIELD));
        fields.add(configured == null ? DEFAULT_DUPLICATE_CHECK_FIELD : configured);
        String leadIdField = blankToNull(target.config(LEAD_ID_FIELD));
        if (leadIdField != null) {
            fields.add(leadIdField);
        }
        return List.copyOf(fields);
    }

    static List<String> trigger(DeliveryTarget target) {
        String configured = target.config(TRIGGER);
        return configured == null ? DEFAULT_TRIGGER : splitList(configured);
    }

    private static DeliveryException noMatchKey(StoredLead lead, List<String> checkFields) {
        return DeliveryException.permanent("lead " + lead.leadId() + " has no value for "
                + String.join(" or ", checkFields) + ", the fields Zoho CRM matches existing records on, so every "
                + "retry would create another Lead — set config.leadIdField to a unique Zoho field to deliver it",
                null);
    }

    private OutboundHttp.Response call(OutboundHttp.Call call) throws DeliveryException {
        try {
            return http.send(call);
        } catch (IOException e) {
            throw HttpOutcomes.transportFailure(e, http.defaultTimeout());
        } catch (IllegalArgumentException e) {
            // A token that would split a header line; no retry can help.
            throw DeliveryException.permanent("cannot build the Zoho CRM request: " + e.getMessage(), null);
        }
    }

    private static Map<String, String> auth(String token) {
        return Map.of("Authorization", "Zoho-oauthtoken " + token.trim());
    }

    /**
     * One outcome per record sent, from {@code data[i]} in request order. Zoho answers a request whose records
     * all failed with a 4xx that still carries {@code data}, so the records are read whatever the status, unless
     * the status is one that fails the whole request.
     */
    private List<BatchOutcome> results(OutboundHttp.Response response, int count) throws DeliveryException {
        int status = response.statusCode();
        JsonNode tree = HttpOutcomes.jsonOrMissing(json, response.body());
        JsonNode data = tree.path("data");
        boolean wholeRequestFailed = status == 401 || status == 429 || status >= 500 || status < 200;
        if (wholeRequestFailed || !data.isArray() || data.size() != count) {
            if (HttpOutcomes.isSuccess(status)) {
                // A 2xx we cannot pair with our records: Zoho may have written them, so retrying is safe (upsert).
                throw DeliveryException.retryable(CRM + " answered " + status + " with " + data.size()
                        + " results for " + count + " records: " + HttpOutcomes.snippet(response.body()), status, null);
            }
            throw requestFailure(response, tree);
        }
        List<BatchOutcome> out = new ArrayList<>(count);
        for (JsonNode result : data) {
            out.add(outcome(status, result));
        }
        return out;
    }

    private static BatchOutcome outcome(int status, JsonNode result) {
        String code = result.path("code").asText("");
        if (code.equals("SUCCESS") || result.path("status").asText("").equals("success")) {
            String id = result.path("details").path("id").asText("?");
            String action = result.path("action").asText("");
            String done = action.equals("insert") ? "created" : action.equals("update") ? "updated"
                    : result.path("message").asText("written");
            return BatchOutcome.delivered(new DeliveryReceipt(status, CRM + " lead " + id + " " + done));
        }
        String message = CRM + " refused the lead: " + describe(result);
        if (code.equals("TOO_MANY_REQUESTS")) {
            return BatchOutcome.failed(DeliveryException.rateLimited(message, status, RATE_LIMIT_WAIT));
        }
        if (code.equals("INTERNAL_ERROR")) {
            return BatchOutcome.failed(DeliveryException.retryable(message, status, null));
        }
        // MANDATORY_NOT_FOUND, INVALID_DATA, DUPLICATE_DATA, ...: the record, the mapping or the org's rules.
        return BatchOutcome.failed(DeliveryException.permanent(message, status));
    }

    /** A failure of the whole request: 401 refreshes, 429 waits, 5xx retries, any other status is permanent. */
    private static DeliveryException requestFailure(OutboundHttp.Response response, JsonNode tree) {
        int status = response.statusCode();
        String code = tree.path("code").asText("");
        String message = CRM + " " + status + (tree.isObject() && !code.isEmpty() ? ": " + describe(tree)
                : bodySnippet(response.body()));
        if (status == 401 || code.equals("INVALID_TOKEN") || code.equals("AUTHENTICATION_FAILURE")) {
            return DeliveryException.unauthorized(message, status);
        }
        if (status == 429 || code.equals("TOO_MANY_REQUESTS")) {
            Duration wait = RetryAfter.parse(response.header("Retry-After"));
            return DeliveryException.rateLimited(message, status, wait == null ? RATE_LIMIT_WAIT : wait);
        }
        if (code.equals("OAUTH_SCOPE_MISMATCH")) {
            message += " (the grant lacks the ZohoCRM.modules.leads.ALL or ZohoCRM.settings.fields.READ scope)";
        }
        return HttpOutcomes.failure(status, response::header, message);
    }

    /** "CODE (api_name): message", the code first: it becomes the delivery's lastError. */
    private static String describe(JsonNode error) {
        String code = error.path("code").asText("ERROR");
        JsonNode details = error.path("details");
        StringBuilder text = new StringBuilder(code);
        String field = details.path("api_name").asText("");
        if (!field.isEmpty()) {
            text.append(" (").append(field).append(')');
        }
        String message = error.path("message").asText("");
        if (!message.isEmpty()) {
            text.append(": ").append(message);
        }
        String duplicateOf = details.path("id").asText("");
        if (code.equals("DUPLICATE_DATA") && !duplicateOf.isEmpty()) {
            text.append(" (existing record ").append(duplicateOf).append(')');
        }
        return HttpOutcomes.snippet(text.toString());
    }

    private static String bodySnippet(String body) {
        String snippet = HttpOutcomes.snippet(body);
        return snippet.isEmpty() ? "" : ": " + snippet;
    }

    private String write(ObjectNode body) throws DeliveryException {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw DeliveryException.permanent("cannot serialize the leads: " + e.getOriginalMessage(), null);
        }
    }

    private static List<String> splitList(String list) {
        return Arrays.stream(list.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .distinct().toList();
    }

    /** 1..{@link #MAX_CONCURRENCY}, or 0 when {@code text} is not such a number. */
    private static int parseConcurrency(String text) {
        try {
            int n = Integer.parseInt(text.trim());
            return n >= 1 && n <= MAX_CONCURRENCY ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
