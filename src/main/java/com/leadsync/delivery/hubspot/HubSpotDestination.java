package com.leadsync.delivery.hubspot;

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
import com.leadsync.delivery.RetryAfter;
import com.leadsync.delivery.hubspot.HubSpotApi.UpsertInput;
import com.leadsync.delivery.hubspot.HubSpotApi.UpsertRequest;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
     * A daily-limit 429 resets at midnight in the portal's time zone, which we do not know; waiting an hour
     * between tries keeps us from burning the error budget HubSpot watches (errors under 5% of requests).
     */
    static final Duration DAILY_LIMIT_WAIT = Duration.ofHours(1);
    /** HubSpot asks for at least 2 s after a 423 Locked. */
    static final Duration LOCKED_WAIT = Duration.ofSeconds(2);

    static final FieldMapper FIELDS = new FieldMapper(defaultMapping());

    // HubSpot internal property names: letters, digits and underscores.
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final HubSpotApi api;
    private final ObjectMapper json;
    private final CrmTokens tokens;

    @Inject
    public HubSpotDestination(@RestClient HubSpotApi api, ObjectMapper json, CrmTokens tokens) {
        this.api = api;
        this.json = json;
        this.tokens = tokens;
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
        Response response;
        try {
            response = api.batchUpsert("Bearer " + token.trim(), request);
        } catch (WebApplicationException e) {
            // The REST client's default mapper throws for >= 400; the answer is still in the exception.
            response = e.getResponse();
            if (response == null) {
                throw HttpOutcomes.transportFailure(e, null);
            }
        } catch (ProcessingException e) {
            // Connect failures, resets and read timeouts all arrive here; the cause says which.
            throw HttpOutcomes.transportFailure(e.getCause() == null ? e : e.getCause(), null);
        }
        try {
            return classify(response);
        } finally {
            response.close();
        }
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

    private DeliveryReceipt classify(Response response) throws DeliveryException {
        int status = response.getStatus();
        String body = readBody(response);
        JsonNode tree = parse(body);

        if (!HttpOutcomes.isSuccess(status)) {
            throw httpFailure(status, response, body, tree);
        }
        JsonNode errors = tree.path("errors");
        JsonNode result = tree.path("results").path(0);
        if (result.isObject()) {
            String id = result.path("id").asText("?");
            boolean created = result.path("new").asBoolean(false);
            return new DeliveryReceipt(status, "HubSpot contact " + id + (created ? " created" : " updated"));
        }
        if (errors.isArray() && !errors.isEmpty()) {
            throw batchFailure(status, errors);
        }
        // A 2xx without a result still means HubSpot took the write; record what it said.
        return new DeliveryReceipt(status, "HubSpot answered " + status + ": " + HttpOutcomes.snippet(body));
    }

    private static DeliveryException httpFailure(int status, Response response, String body, JsonNode tree) {
        String message = "HubSpot " + status + describeError(tree, body);
        if (status == 429) {
            Duration wait = RetryAfter.parse(response.getHeaderString("Retry-After"));
            if (wait == null) {
                wait = "DAILY".equalsIgnoreCase(tree.path("policyName").asText()) ? DAILY_LIMIT_WAIT
                        : rollingWindow(response.getHeaderString("X-HubSpot-RateLimit-Interval-Milliseconds"));
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

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return json.missingNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException notJson) {
            return json.missingNode();
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
            JsonNode tree = parse(body);
            if (status == 401 || status == 403) {
                String message = "HubSpot " + status + describeError(tree, body) + (status == 401
                        ? " (the access token was revoked, rotated or has expired)"
                        : " (the token lacks a scope to read contact properties: crm.schemas.contacts.read?)");
                throw status == 401 ? DeliveryException.unauthorized(message, status)
                        : DeliveryException.permanent(message, status);
            }
            if (!HttpOutcomes.isSuccess(status)) {
                throw httpFailure(status, response, body, tree);
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
