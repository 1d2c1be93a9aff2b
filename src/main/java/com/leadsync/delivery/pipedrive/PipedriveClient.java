package com.leadsync.delivery.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.HttpOutcomes;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.RetryAfter;
import com.leadsync.delivery.UrlPolicy;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Pipedrive calls a delivery makes (crm.md §A.4), made with one token against one company's base URL, each
 * answer classified: 401 unauthorized (the credentials component refreshes an OAuth token once), 402/403 plan or
 * feature capping and 400/404/422 validation permanent with Pipedrive's {@code error}/{@code error_info}, 429 rate
 * limited after {@code Retry-After} or {@code x-ratelimit-reset}, 5xx and transport failures retryable.
 */
final class PipedriveClient {

    /** Pipedrive's burst window: a 429 without a reset header is over within it. */
    static final Duration BURST_WINDOW = Duration.ofSeconds(2);
    /**
     * ⚠ The daily budget's reset time is not documented (crm.md §A.4, ⚠ F.5): a 429 with
     * {@code x-daily-requests-left: 0} waits an hour between tries rather than burning requests every 2 s.
     */
    static final Duration DAILY_BUDGET_WAIT = Duration.ofHours(1);
    /** Field metadata and lead listings can be far above the default 64 KB answer cap. */
    private static final int METADATA_BYTES = 4 * 1024 * 1024;
    /** Largest page {@code /v1/leads} and {@code /v1/personFields} serve. */
    static final int PAGE = 500;
    /** Same-named persons whose {@code add_time} one search reads at most (search calls are paced tighter). */
    static final int CANDIDATES = 5;

    /** The company's base URL and the header that carries the token (API token or OAuth bearer). */
    record Session(String baseUrl, String authHeader, String authValue) {
    }

    private final OutboundHttp http;
    private final UrlPolicy urls;
    private final ObjectMapper json;
    private final Session session;

    PipedriveClient(OutboundHttp http, UrlPolicy urls, ObjectMapper json, Session session) {
        this.http = http;
        this.urls = urls;
        this.json = json;
        this.session = session;
    }

    /** The id of a person whose email is exactly {@code email}, or null. */
    String findPersonByEmail(String email) throws DeliveryException {
        JsonNode items = get("/api/v2/persons/search?term=" + enc(email) + "&fields=email&exact_match=true",
                "search person").path("data").path("items");
        for (JsonNode item : items) {
            String id = item.path("item").path("id").asText("");
            if (!id.isEmpty()) {
                return id;
            }
        }
        return null;
    }

    /**
     * The id of a person named exactly {@code name}, without an email, with {@code phone} among its phones when one
     * is given, added at or after {@code since}; null when there is none. Reads at most {@link #CANDIDATES} persons'
     * {@code add_time} (the search answer does not carry it).
     */
    String findPersonWithoutEmail(String name, String phone, Instant since) throws DeliveryException {
        JsonNode items = get("/api/v2/persons/search?term=" + enc(name) + "&fields=name&exact_match=true&limit=50",
                "search person").path("data").path("items");
        int read = 0;
        for (JsonNode item : items) {
            JsonNode p = item.path("item");
            String id = p.path("id").asText("");
            if (id.isEmpty() || !p.path("name").asText("").trim().equalsIgnoreCase(name.trim())
                    || !values(p.path("emails")).isEmpty()
                    || (phone != null && !values(p.path("phones")).isEmpty()
                            && !values(p.path("phones")).contains(phone))) {
                continue;
            }
            if (read++ == CANDIDATES) {
                return null;
            }
            Instant added = instant(get("/api/v2/persons/" + enc(id), "read person").path("data")
                    .path("add_time").asText(""));
            if (added != null && !added.isBefore(since)) {
                return id;
            }
        }
        return null;
    }

    /** Search answers list a person's emails and phones as strings; ⚠ read {@code {"value":…}} objects too. */
    private static List<String> values(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : list) {
            String s = (v.isObject() ? v.path("value") : v).asText("").trim();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** v2 times are RFC 3339; ⚠ v1 wrote {@code yyyy-MM-dd HH:mm:ss} in UTC, read that too. Null when neither. */
    static Instant instant(String text) {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notRfc3339) {
            try {
                return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException neither) {
                return null;
            }
        }
    }

    /** The id of an organization named {@code name} (case aside), or null. */
    String findOrganizationByName(String name) throws DeliveryException {
        JsonNode items = get("/api/v2/organizations/search?term=" + enc(name) + "&fields=name&exact_match=true",
                "search organization").path("data").path("items");
        for (JsonNode item : items) {
            JsonNode org = item.path("item");
            // exact_match ignores case in Pipedrive; so do we, but still insist on the name itself.
            boolean sameName = org.path("name").asText("").trim().equalsIgnoreCase(name.trim());
            if (sameName && !org.path("id").asText("").isEmpty()) {
                return org.path("id").asText();
            }
        }
        return null;
    }

    String createPerson(ObjectNode body) throws DeliveryException {
        return id(send("POST", "/api/v2/persons", body, "create person"), "person");
    }

    String createOrganization(ObjectNode body) throws DeliveryException {
        return id(send("POST", "/api/v2/organizations", body, "create organization"), "organization");
    }

    String createLead(ObjectNode body) throws DeliveryException {
        return id(send("POST", "/v1/leads", body, "create lead"), "lead");
    }

    /** The id of the person's lead whose title ends with {@code titleSuffix}, or null; walks every page. */
    String findLeadOfPerson(String personId, String titleSuffix) throws DeliveryException {
        int start = 0;
        while (true) {
            JsonNode page = get("/v1/leads?person_id=" + enc(personId) + "&start=" + start + "&limit=" + PAGE,
                    "list leads");
            JsonNode data = page.path("data");
            for (JsonNode lead : data) {
                if (lead.path("title").asText("").endsWith(titleSuffix)) {
                    return lead.path("id").asText();
                }
            }
            Integer next = nextStart(page, start, data.size());
            if (next == null) {
                return null;
            }
            start = next;
        }
    }

    /**
     * The key of every person field, standard and custom: what a write names a field by (a custom field's display
     * name is not accepted in {@code custom_fields}, so it does not count).
     */
    Set<String> personFieldKeys() throws DeliveryException {
        Set<String> out = new LinkedHashSet<>();
        int start = 0;
        while (true) {
            JsonNode page = get("/v1/personFields?start=" + start + "&limit=" + PAGE, "read person fields");
            JsonNode data = page.path("data");
            for (JsonNode field : data) {
                out.add(field.path("key").asText(""));
            }
            Integer next = nextStart(page, start, data.size());
            if (next == null) {
                out.remove("");
                return out;
            }
            start = next;
        }
    }

    /**
     * v1 lists say {@code additional_data.pagination.more_items_in_collection}/{@code next_start}; ⚠ the leads list
     * has been seen with those at {@code additional_data} itself, so both places are read.
     */
    private static Integer nextStart(JsonNode page, int start, int served) {
        JsonNode extra = page.path("additional_data");
        JsonNode pagination = extra.has("pagination") ? extra.path("pagination") : extra;
        if (!pagination.path("more_items_in_collection").asBoolean(false) || served == 0) {
            return null;
        }
        int next = pagination.path("next_start").asInt(start + served);
        return next > start ? next : null;
    }

    private JsonNode get(String pathAndQuery, String what) throws DeliveryException {
        return call("GET", pathAndQuery, null, what, METADATA_BYTES);
    }

    private JsonNode send(String method, String path, ObjectNode body, String what) throws DeliveryException {
        return call(method, path, body.toString(), what, OutboundHttp.MAX_BODY_BYTES);
    }

    private JsonNode call(String method, String pathAndQuery, String body, String what, int keep)
            throws DeliveryException {
        String url = session.baseUrl() + pathAndQuery;
        OutboundHttp.Response response;
        try {
            response = http.send(OutboundHttp.Call.json(method, urls.checkBeforeSend(url), body,
                    Map.of(session.authHeader(), session.authValue())).keeping(keep));
        } catch (IOException e) {
            throw HttpOutcomes.transportFailure(e, http.defaultTimeout());
        }
        JsonNode tree = HttpOutcomes.jsonOrMissing(json, response.body());
        int status = response.statusCode();
        if (HttpOutcomes.isSuccess(status) && tree.path("success").asBoolean(true)) {
            return tree;
        }
        throw failure(what, status, response, tree);
    }

    static DeliveryException failure(String what, int status, OutboundHttp.Response response, JsonNode tree) {
        String message = "Pipedrive " + what + ": " + status + describe(tree, response.body());
        if (status == 401) {
            return DeliveryException.unauthorized(message + " (the token is invalid, expired or was regenerated)",
                    status);
        }
        if (status == 402 || status == 403) {
            return DeliveryException.permanent(message + " (the company's plan or the user's permissions do not allow"
                    + " this; it stays so until they change)", status);
        }
        if (status == 429) {
            String dailyLeft = response.header("x-daily-requests-left");
            if (dailyLeft != null && dailyLeft.trim().equals("0")) {
                // The company's daily budget is spent: park the destination, not just this lead (crm.md §A.5).
                return DeliveryException.destinationRateLimited(message, status, rateLimitWait(response));
            }
            return DeliveryException.rateLimited(message, status, rateLimitWait(response));
        }
        if (HttpOutcomes.isSuccess(status)) {
            // success:false in a 2xx: Pipedrive refused it without saying how; retrying sends the same thing.
            return DeliveryException.permanent(message, status);
        }
        return HttpOutcomes.failure(status, response::header, message);
    }

    /** Retry-After, else {@code x-ratelimit-reset} (seconds until the window resets), else the burst window. */
    static Duration rateLimitWait(OutboundHttp.Response response) {
        Duration wait = RetryAfter.parse(response.header("Retry-After"));
        if (wait == null) {
            wait = RetryAfter.parse(response.header("x-ratelimit-reset"));
        }
        String dailyLeft = response.header("x-daily-requests-left");
        boolean budgetSpent = dailyLeft != null && dailyLeft.trim().equals("0");
        if (budgetSpent && (wait == null || wait.compareTo(DAILY_BUDGET_WAIT) < 0)) {
            return DAILY_BUDGET_WAIT;
        }
        return wait == null || wait.isZero() ? BURST_WINDOW : wait;
    }

    /** ": error (error_info)" from Pipedrive's {@code {"success":false,"error","error_info"}}, else a body snippet. */
    private static String describe(JsonNode tree, String body) {
        String error = tree.path("error").asText("");
        String info = tree.path("error_info").asText("");
        if (error.isEmpty()) {
            String snippet = HttpOutcomes.snippet(body);
            return snippet.isEmpty() ? "" : ": " + snippet;
        }
        return ": " + HttpOutcomes.snippet(info.isEmpty() ? error : error + " (" + info + ")");
    }

    private static String id(JsonNode answer, String what) throws DeliveryException {
        String id = answer.path("data").path("id").asText("");
        if (id.isEmpty()) {
            // We cannot record what we cannot name; a retry finds the record by its search and links it then.
            throw DeliveryException.retryable("Pipedrive created a " + what + " but its answer has no data.id: "
                    + HttpOutcomes.snippet(answer.toString()), null, null);
        }
        return id;
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    ArrayNode array() {
        return json.createArrayNode();
    }

    static List<String> missing(Set<String> known, List<String> wanted) {
        List<String> out = new ArrayList<>();
        for (String field : wanted) {
            if (!known.contains(field)) {
                out.add(field);
            }
        }
        return out;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
