package com.leadsync.delivery.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.CrmTokens;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.Destination;
import com.leadsync.crypto.Sha256;
import com.leadsync.delivery.FieldMapper;
import com.leadsync.delivery.HttpOutcomes;
import com.leadsync.delivery.Pace;
import com.leadsync.delivery.RetryAfter;
import com.leadsync.delivery.hubspot.HubSpotApi.UpsertInput;
import com.leadsync.delivery.hubspot.HubSpotApi.UpsertRequest;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Writes a lead as a HubSpot contact with one idempotent batch upsert (crm.md §A.1): matched on email, or,
 * for leads without email, on a unique-value contact property ({@code config.leadIdProperty}) holding our
 * leadId, so a retry or a re-push updates the same contact instead of creating another. Config: secret
 * {@code accessToken} (private-app or OAuth token), secret {@code refreshToken} (OAuth only: the token is then
 * refreshed, see {@link HubSpotTokenRefresher}), optional {@code leadIdProperty}. Every call goes through
 * {@link CrmTokens}.
 */
@ApplicationScoped
public class HubSpotDestination implements Destination {

    public static final String TYPE = "hubspot";
    public static final String ACCESS_TOKEN = "accessToken";
    public static final String REFRESH_TOKEN = "refreshToken";
    public static final String LEAD_ID_PROPERTY = "leadIdProperty";

    /** No Retry-After on a short-window 429: HubSpot's window is ten seconds (crm.md §A.1, official SDK). */
    static final Duration ROLLING_LIMIT_WAIT = Duration.ofSeconds(10);
    /**
     * A daily-limit 429 resets at midnight in the portal's time zone ({@code GET /account-info/v3/details}). When
     * that cannot be read, no fixed instant is both safe and soon (the reset may be anywhere in the next 24 h), so
     * the destination is parked an hour at a time: at most 24 refused requests a day, far inside the 5% error budget
     * HubSpot watches.
     */
    static final Duration DAILY_LIMIT_WAIT = Duration.ofHours(1);
    /** After the portal's midnight, so that our clock and HubSpot's need not agree to the second. */
    static final Duration DAILY_RESET_MARGIN = Duration.ofMinutes(2);
    /** Batch upsert takes up to 100 inputs (crm.md §A.1). */
    static final int MAX_BATCH = 100;
    /**
     * Private apps on Free/Starter: 100 requests per rolling 10 s (crm.md §A.1; higher tiers get 190 or 250: set
     * {@code config.rateLimit}).
     */
    static final Pace PACE = Pace.of(100, Duration.ofSeconds(10));
    /** HubSpot asks for at least 2 s after a 423 Locked. */
    static final Duration LOCKED_WAIT = Duration.ofSeconds(2);

    static final FieldMapper FIELDS = new FieldMapper(defaultMapping());

    // HubSpot internal property names: letters, digits and underscores.
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final HubSpotApi api;
    private final HubSpotAccountApi account;
    private final ObjectMapper json;
    private final CrmTokens tokens;
    private final Clock clock;
    /** Portal time zones by token digest: read once per token, on its first daily-limit 429. */
    private final Map<String, ZoneId> zones = new ConcurrentHashMap<>();

    @Inject
    public HubSpotDestination(@RestClient HubSpotApi api, @RestClient HubSpotAccountApi account, ObjectMapper json,
            CrmTokens tokens, Clock clock) {
        this.api = api;
        this.account = account;
        this.json = json;
        this.tokens = tokens;
        this.clock = clock;
    }

    private static Map<String, String> defaultMapping() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("email", "email");
        m.put("firstName", "firstname");
        m.put("lastName", "lastname");
        m.put("phoneNumber", "phone");
        m.put("company", "company");
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
    public List<String> validate(DeliveryTarget target) {
        List<String> problems = new ArrayList<>();
        String token = target.config(ACCESS_TOKEN);
        if (token == null || token.isBlank()) {
            problems.add("config.accessToken is required (a HubSpot private-app or OAuth access token)");
        } else if (token.trim().chars().anyMatch(c -> c <= ' ')) {
            problems.add("config.accessToken must not contain spaces or line breaks");
        }
        String refreshToken = target.config(REFRESH_TOKEN);
        if (refreshToken != null && (refreshToken.isBlank() || refreshToken.trim().chars().anyMatch(c -> c <= ' '))) {
            problems.add("config.refreshToken, when given, must be a HubSpot OAuth refresh token (no spaces)");
        }
        String leadIdProperty = target.config(LEAD_ID_PROPERTY);
        if (leadIdProperty != null && !PROPERTY_NAME.matcher(leadIdProperty).matches()) {
            problems.add("config.leadIdProperty must be a HubSpot property internal name (letters, digits, _)");
        }
        return problems;
    }

    @Override
    public DeliveryReceipt send(DeliveryTarget target, StoredLead lead, DeliveryContext context)
            throws DeliveryException {
        UpsertRequest request = new UpsertRequest(List.of(input(target, lead, context)));
        return tokens.withToken(target, token -> upsert(token, request));
    }

    /** One batch upsert with that access token; a 401 is {@link DeliveryException#unauthorized}. */
    private DeliveryReceipt upsert(String token, UpsertRequest request) throws DeliveryException {
        if (token == null || token.isBlank()) {
            throw DeliveryException.permanent("config.accessToken is missing", null);
        }
        Response response = post(token.trim(), request);
        try {
            return classify(response, token.trim());
        } finally {
            response.close();
        }
    }

    @Override
    public int maxBatchSize(DeliveryTarget target) {
        return MAX_BATCH;
    }

    @Override
    public Pace pace(DeliveryTarget target) {
        return PACE;
    }

    /**
     * One batch upsert for all items. HubSpot answers per input: results (matched to our inputs by
     * {@code objectWriteTraceId}, else by the id value) and, with a 207, errors naming the input (its
     * {@code objectWriteTraceId} or its id in {@code context.ids}). Only failed inputs fail; an input the answer
     * says nothing about is retried (the upsert is idempotent, so a second write is harmless).
     */
    @Override
    public List<BatchOutcome> sendBatch(DeliveryTarget target, List<BatchItem> items) throws DeliveryException {
        BatchOutcome[] out = new BatchOutcome[items.size()];
        List<UpsertInput> inputs = new ArrayList<>();
        List<Integer> sent = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                UpsertInput input = input(target, items.get(i).lead(), items.get(i).context());
                if (!ids.add(input.idProperty() + "\u0000" + input.id().toLowerCase(Locale.ROOT))) {
                    // HubSpot refuses a batch naming one contact twice: this one goes in the next try.
                    out[i] = BatchOutcome.failed(DeliveryException.retryable("another lead of this batch upserts the "
                            + "same contact (" + input.idProperty() + "); sent on its own", null, null));
                    continue;
                }
                inputs.add(input);
                sent.add(i);
            } catch (DeliveryException e) {
                out[i] = BatchOutcome.failed(e);
            }
        }
        if (!inputs.isEmpty()) {
            tokens.withToken(target, token -> {
                sendInputs(token, inputs, sent, out);
                return null;
            });
        }
        return Arrays.asList(out);
    }

    /** The batch request with that access token: each input's outcome into {@code out} at its item's place. */
    private void sendInputs(String token, List<UpsertInput> inputs, List<Integer> sent, BatchOutcome[] out)
            throws DeliveryException {
        if (token == null || token.isBlank()) {
            throw DeliveryException.permanent("config.accessToken is missing", null);
        }
        Response response = post(token.trim(), new UpsertRequest(inputs));
        try {
            int status = response.getStatus();
            String body = readBody(response);
            JsonNode tree = HttpOutcomes.jsonOrMissing(json, body);
            if (!HttpOutcomes.isSuccess(status)) {
                throw httpFailure(status, response, body, tree, token.trim());
            }
            for (int k = 0; k < inputs.size(); k++) {
                out[sent.get(k)] = outcome(status, inputs.get(k), k, inputs.size(), tree);
            }
        } finally {
            response.close();
        }
    }

    private Response post(String token, UpsertRequest request) throws DeliveryException {
        try {
            return api.batchUpsert("Bearer " + token, request);
        } catch (WebApplicationException e) {
            if (e.getResponse() == null) {
                throw HttpOutcomes.transportFailure(e, null);
            }
            return e.getResponse();
        } catch (ProcessingException e) {
            throw HttpOutcomes.transportFailure(e.getCause() == null ? e : e.getCause(), null);
        }
    }

    /** What HubSpot's answer says of input {@code k}. */
    private static BatchOutcome outcome(int status, UpsertInput input, int k, int count, JsonNode tree) {
        JsonNode results = tree.path("results");
        JsonNode errors = tree.path("errors");
        for (JsonNode error : errors) {
            if (names(error, input)) {
                return BatchOutcome.failed(batchFailure(status, json(error)));
            }
        }
        for (JsonNode result : results) {
            if (input.objectWriteTraceId().equals(result.path("objectWriteTraceId").asText(null))
                    || input.id().equalsIgnoreCase(result.path("properties").path(input.idProperty()).asText(""))) {
                return BatchOutcome.delivered(receipt(status, result));
            }
        }
        boolean noErrors = !errors.isArray() || errors.isEmpty();
        // No way to tell which result is whose: by order, only when HubSpot answered every input and no error.
        if (results.size() == count && noErrors) {
            return BatchOutcome.delivered(receipt(status, results.path(k)));
        }
        // HubSpot answers a batch 200 only when every input was written (a partial one is a 207 with errors).
        if (status == 200 && noErrors) {
            return BatchOutcome.delivered(new DeliveryReceipt(status, "HubSpot wrote the batch of " + count
                    + " (200, no result names this contact)"));
        }
        return BatchOutcome.failed(DeliveryException.retryable("HubSpot's " + status + " answer to the batch "
                + "named neither a result nor an error for this contact", status, null));
    }

    private static boolean names(JsonNode error, UpsertInput input) {
        String trace = input.objectWriteTraceId();
        if (trace.equals(error.path("objectWriteTraceId").asText(null))
                || trace.equals(error.path("context").path("objectWriteTraceId").path(0).asText(null))) {
            return true;
        }
        for (JsonNode id : error.path("context").path("ids")) {
            if (input.id().equalsIgnoreCase(id.asText())) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode json(JsonNode error) {
        return JsonNodeFactory.instance.arrayNode().add(error);
    }

    private static DeliveryReceipt receipt(int status, JsonNode result) {
        String id = result.path("id").asText("?");
        boolean created = result.path("new").asBoolean(false);
        return new DeliveryReceipt(status, "HubSpot contact " + id + (created ? " created" : " updated"));
    }

    static UpsertInput input(DeliveryTarget target, StoredLead lead, DeliveryContext context)
            throws DeliveryException {
        Map<String, String> properties = new LinkedHashMap<>(FIELDS.map(lead, target.fieldMapping()));
        String leadIdProperty = blankToNull(target.config(LEAD_ID_PROPERTY));
        if (leadIdProperty != null) {
            // Always written, so a contact first matched by email can later be found by leadId and vice versa.
            properties.put(leadIdProperty, lead.leadId());
        }
        String email = blankToNull(lead.email());
        if (email != null) {
            return new UpsertInput("email", email, properties, context.idempotencyKey());
        }
        if (leadIdProperty != null) {
            return new UpsertInput(leadIdProperty, lead.leadId(), properties, context.idempotencyKey());
        }
        throw DeliveryException.permanent("lead has no email; HubSpot upserts contacts by email or by a unique "
                + "property — set config.leadIdProperty to deliver leads without email", null);
    }

    private DeliveryReceipt classify(Response response, String token) throws DeliveryException {
        int status = response.getStatus();
        String body = readBody(response);
        JsonNode tree = HttpOutcomes.jsonOrMissing(json, body);

        if (!HttpOutcomes.isSuccess(status)) {
            throw httpFailure(status, response, body, tree, token);
        }
        JsonNode errors = tree.path("errors");
        JsonNode result = tree.path("results").path(0);
        if (result.isObject()) {
            return receipt(status, result);
        }
        if (errors.isArray() && !errors.isEmpty()) {
            throw batchFailure(status, errors);
        }
        // A 2xx without a result still means HubSpot took the write; record what it said.
        return new DeliveryReceipt(status, "HubSpot answered " + status + ": " + HttpOutcomes.snippet(body));
    }

    private DeliveryException httpFailure(int status, Response response, String body, JsonNode tree,
            String token) {
        String message = "HubSpot " + status + describeError(tree, body);
        if (status == 429) {
            Duration wait = RetryAfter.parse(response.getHeaderString("Retry-After"));
            if ("DAILY".equalsIgnoreCase(tree.path("policyName").asText())) {
                // The whole portal is out of requests until its midnight: park the destination, not just this lead.
                return DeliveryException.destinationRateLimited(message, status, wait != null ? wait
                        : untilDailyReset(token));
            }
            if (wait == null) {
                wait = rollingWindow(response.getHeaderString("X-HubSpot-RateLimit-Interval-Milliseconds"));
            }
            return DeliveryException.rateLimited(message, status, wait);
        }
        if (status == 423) {
            Duration wait = RetryAfter.parse(response.getHeaderString("Retry-After"));
            return DeliveryException.retryable(message, status, wait == null ? LOCKED_WAIT : wait);
        }
        if (status == 401) {
            return DeliveryException.unauthorized(message + " (the access token was revoked, rotated or has expired)",
                    status);
        }
        if (status == 403) {
            message += " (the token lacks the crm.objects.contacts.write scope?)";
        }
        return HttpOutcomes.failure(status, response::getHeaderString, message);
    }

    /** Until the portal's next midnight (its time zone read once per token), else {@link #DAILY_LIMIT_WAIT}. */
    private Duration untilDailyReset(String token) {
        ZoneId zone = zones.computeIfAbsent(Sha256.hex(token), digest -> portalZone(token));
        if (zone == null) {
            return DAILY_LIMIT_WAIT;
        }
        ZonedDateTime now = clock.instant().atZone(zone);
        ZonedDateTime midnight = now.toLocalDate().plusDays(1).atStartOfDay(zone);
        return Duration.between(now, midnight).plus(DAILY_RESET_MARGIN);
    }

    /** The portal's time zone, or null when HubSpot did not say (not cached then: asked again next time). */
    private ZoneId portalZone(String token) {
        try (Response r = account.details("Bearer " + token)) {
            String zone = r.getStatus() == 200 ? HttpOutcomes.jsonOrMissing(json, readBody(r)).path("timeZone").asText("") : "";
            return zone.isBlank() ? null : ZoneId.of(zone);
        } catch (WebApplicationException | ProcessingException | DateTimeException unknown) {
            return null;
        }
    }

    /** The rolling window HubSpot says it counts in (crm.md §A.1), else its documented ten seconds. */
    private static Duration rollingWindow(String intervalMillis) {
        if (intervalMillis != null) {
            try {
                long ms = Long.parseLong(intervalMillis.trim());
                if (ms > 0 && ms <= DAILY_LIMIT_WAIT.toMillis()) {
                    return Duration.ofMillis(ms);
                }
            } catch (NumberFormatException malformed) {
                // the documented default below
            }
        }
        return ROLLING_LIMIT_WAIT;
    }

    /** A 207: the request was fine but our one input was refused. Only a rate limit is worth retrying. */
    private static DeliveryException batchFailure(int status, JsonNode errors) {
        boolean rateLimited = false;
        List<String> parts = new ArrayList<>();
        for (JsonNode error : errors) {
            String category = error.path("category").asText("");
            String text = error.path("message").asText("");
            String code = error.path("status").asText("");
            String all = (category + " " + error.path("errorType").asText("") + " " + text).toLowerCase(Locale.ROOT);
            rateLimited |= all.contains("rate_limit") || all.contains("rate limit") || all.contains("too_many_requests")
                    || code.equals("429");
            parts.add(category.isEmpty() ? text : category + ": " + text);
        }
        String message = "HubSpot refused the contact (" + status + "): " + HttpOutcomes.snippet(String.join("; ", parts));
        return rateLimited
                ? DeliveryException.rateLimited(message, status, ROLLING_LIMIT_WAIT)
                : DeliveryException.permanent(message, status);
    }

    /** ": CATEGORY: message" from HubSpot's error JSON, else the body snippet. */
    private static String describeError(JsonNode tree, String body) {
        String category = tree.path("category").asText(tree.path("errorType").asText(""));
        String message = tree.path("message").asText("");
        if (message.isEmpty()) {
            String snippet = HttpOutcomes.snippet(body);
            return snippet.isEmpty() ? "" : ": " + snippet;
        }
        return ": " + HttpOutcomes.snippet(category.isEmpty() ? message : category + ": " + message);
    }

    private static String readBody(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException unreadable) {
            // An unreadable body must not hide the status, which is what the classification rests on.
            return "";
        }
    }

    /**
     * The test route: lists the contact properties (a read) and names the mapped ones HubSpot does not have,
     * {@code leadIdProperty} included. A refused token is the check's answer, with HubSpot's message.
     */
    @Override
    public CheckReport check(DeliveryTarget target) throws DeliveryException {
        return tokens.withToken(target, token -> checkWith(token, target));
    }

    private CheckReport checkWith(String token, DeliveryTarget target) throws DeliveryException {
        if (token == null || token.isBlank()) {
            throw DeliveryException.permanent("config.accessToken is missing", null);
        }
        Response response;
        try {
            response = api.contactProperties("Bearer " + token.trim());
        } catch (WebApplicationException e) {
            response = e.getResponse();
            if (response == null) {
                throw HttpOutcomes.transportFailure(e, null);
            }
        } catch (ProcessingException e) {
            throw HttpOutcomes.transportFailure(e.getCause() == null ? e : e.getCause(), null);
        }
        try {
            int status = response.getStatus();
            String body = readBody(response);
            JsonNode tree = HttpOutcomes.jsonOrMissing(json, body);
            if (status == 401 || status == 403) {
                String message = "HubSpot " + status + describeError(tree, body) + (status == 401
                        ? " (the access token was revoked, rotated or has expired)"
                        : " (the token lacks a scope to read contact properties: crm.schemas.contacts.read?)");
                throw status == 401 ? DeliveryException.unauthorized(message, status)
                        : DeliveryException.permanent(message, status);
            }
            if (!HttpOutcomes.isSuccess(status)) {
                throw httpFailure(status, response, body, tree, token.trim());
            }
            JsonNode results = tree.path("results");
            if (!results.isArray()) {
                throw DeliveryException.retryable("HubSpot answered " + status + " without a property list: "
                        + HttpOutcomes.snippet(body), status, null);
            }
            Set<String> known = new HashSet<>();
            results.forEach(property -> known.add(property.path("name").asText()));
            List<String> unknown = mappedProperties(target).stream().filter(name -> !known.contains(name)).toList();
            return CheckReport.fields("HubSpot", unknown);
        } finally {
            response.close();
        }
    }

    /** Every contact property a delivery to this target writes. */
    static Set<String> mappedProperties(DeliveryTarget target) {
        Set<String> names = new LinkedHashSet<>(FIELDS.crmFields(target.fieldMapping()));
        String leadIdProperty = blankToNull(target.config(LEAD_ID_PROPERTY));
        if (leadIdProperty != null) {
            names.add(leadIdProperty);
        }
        return names;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
