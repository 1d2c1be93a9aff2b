package com.leadsync.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.leadsync.crypto.Sha256;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An offline Google Ads API and Google OAuth token endpoint (providers.md §2.2, §2.4, errors §2.6):
 * <ul>
 * <li>{@code POST /_local/google-ads/{version}/customers/{cid}/googleAds:search}: GAQL ({@link GaqlQuery}) over
 * {@code customer} (the access check, contract §5) and {@code lead_form_submission_data}, whose rows are the samples
 * in {@code infra/events/google-ads/*.json} (REST camelCase rows, re-rooted at the asked customer, times moved by
 * {@link SampleClock} and shown in the customer's time zone {@code leadsync.local.google-time-zone}); WHERE on
 * {@code submission_date_time} compares the literal read in that zone; {@code nextPageToken} paging by
 * {@code leadsync.local.google-page-size} rows (Google's fixed 10,000 by default), a token valid only for the same
 * query for 2 h. Any customer, for the tokens in {@code leadsync.local.google-tokens} and those issued by refresh;
 * the {@code developer-token} header must be {@code leadsync.google.developer-token}.</li>
 * <li>{@code POST /_local/google-oauth/token}: {@code grant_type=refresh_token} for the refresh tokens in
 * {@code leadsync.local.google-refresh-tokens} and the client {@code leadsync.google.client-id}/{@code -secret} →
 * a new access token (3599 s); {@code grant_type=authorization_code} for a code of the consent stand-in (PKCE
 * checked) → an access token and, when consent was offline, the first of those refresh tokens; otherwise Google's
 * {@code invalid_grant} / {@code invalid_client}.</li>
 * <li>{@code GET /_local/google-oauth/authorize}: the consent page as a user who allows at once (OAuth connect): a
 * 302 back to {@code redirect_uri} with a code and the {@code state}.</li>
 * <li>{@code GET /_local/google-ads/{version}/customers:listAccessibleCustomers}: the customers
 * {@code leadsync.local.google-customers}, for the same tokens as the search.</li>
 * </ul>
 */
@ApplicationScoped
public class LocalGoogleAdsFake {

    static final String LEADS = "lead_form_submission_data";
    static final String CUSTOMER = "customer";
    /** The fields of each resource the fake serves (for leads: the proto's, providers.md §2.2). */
    private static final Map<String, List<String>> FIELDS = Map.of(
            LEADS, List.of("resource_name", "id", "asset", "campaign", "ad_group", "ad_group_ad", "gclid",
                    "submission_date_time", "lead_form_submission_fields", "custom_lead_form_submission_fields"),
            CUSTOMER, List.of("resource_name", "id", "descriptive_name", "currency_code", "time_zone", "manager",
                    "test_account"));
    private static final Set<String> REPEATED = Set.of(LEADS + ".lead_form_submission_fields",
            LEADS + ".custom_lead_form_submission_fields");
    private static final String SUBMITTED = LEADS + ".submission_date_time";
    private static final DateTimeFormatter SUBMISSION_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssXXX",
            Locale.ROOT);
    private static final DateTimeFormatter GAQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss",
            Locale.ROOT);
    /** Page tokens expire (providers.md §2.2). */
    static final Duration PAGE_TOKEN_LIFETIME = Duration.ofHours(2);
    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofSeconds(3599);

    private final Path samples;
    private final Set<String> tokens;
    private final Set<String> refreshTokens;
    private final Optional<String> developerToken;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final ZoneId zone;
    private final int pageSize;
    private final SampleClock sampleClock;
    private final Clock clock;
    private final ObjectMapper json;
    private final IssuedTokens issued;
    private final List<String> customers;
    private final LocalConsent consent;

    LocalGoogleAdsFake(
            @ConfigProperty(name = "leadsync.local.google-ads-samples", defaultValue = "infra/events/google-ads")
            String samples,
            @ConfigProperty(name = "leadsync.local.google-tokens", defaultValue = "local-google-token")
            Set<String> tokens,
            @ConfigProperty(name = "leadsync.local.google-refresh-tokens", defaultValue = "local-google-refresh-token")
            Set<String> refreshTokens,
            @ConfigProperty(name = "leadsync.google.developer-token") Optional<String> developerToken,
            @ConfigProperty(name = "leadsync.google.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.google.client-secret") Optional<String> clientSecret,
            @ConfigProperty(name = "leadsync.local.google-time-zone", defaultValue = "America/New_York") ZoneId zone,
            @ConfigProperty(name = "leadsync.local.google-page-size", defaultValue = "10000") int pageSize,
            @ConfigProperty(name = "leadsync.local.google-customers", defaultValue = "1234567890")
            List<String> customers,
            SampleClock sampleClock, Clock clock, ObjectMapper json) {
        this.samples = Path.of(samples);
        this.tokens = Set.copyOf(tokens);
        this.refreshTokens = Set.copyOf(refreshTokens);
        this.developerToken = developerToken;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.zone = zone;
        this.pageSize = pageSize;
        this.sampleClock = sampleClock;
        this.clock = clock;
        this.json = json;
        this.issued = new IssuedTokens("ya29.local-", ACCESS_TOKEN_LIFETIME, clock);
        this.customers = List.copyOf(customers);
        this.consent = new LocalConsent("4/0local-", clock);
    }

    void routes(@Observes Router router) {
        // The method's colon may arrive percent-encoded (Google decodes it): both reach the same call.
        router.postWithRegex("/_local/google-ads/(v[0-9]+)/customers/([^/]+)/googleAds(?::|%3[Aa])search").order(-199)
                .blockingHandler(FakeReply.handler(ctx -> search(ctx.pathParam("param0"), ctx.pathParam("param1"),
                        FakeRequest.of(ctx))), false);
        router.getWithRegex("/_local/google-ads/(v[0-9]+)/customers(?::|%3[Aa])listAccessibleCustomers").order(-199)
                .blockingHandler(FakeReply.handler(ctx -> accessibleCustomers(ctx.pathParam("param0"),
                        FakeRequest.of(ctx))), false);
        router.get("/_local/google-oauth/authorize").order(-199)
                .blockingHandler(FakeReply.handler(ctx -> authorize(FakeRequest.of(ctx))), false);
        router.post("/_local/google-oauth/token").order(-199)
                .blockingHandler(FakeReply.handler(ctx -> token(FakeRequest.of(ctx))), false);
    }

    /** {@code googleAds:search} with body {@code {"query", "pageToken"?}}. */
    FakeReply search(String version, String customerId, FakeRequest req) {
        FakeReply refused = unauthenticated(version, req);
        if (refused != null) {
            return refused;
        }
        if (!customerId.matches("[0-9]{10}")) {
            return failure(version, 400, "INVALID_ARGUMENT", "requestError", "INVALID_CUSTOMER_ID",
                    "Invalid customer ID '" + customerId + "': 10 digits, no dashes.");
        }
        String login = req.header("login-customer-id");
        if (login != null && !login.matches("[0-9]{10}")) {
            return failure(version, 400, "INVALID_ARGUMENT", "headerError", "INVALID_LOGIN_CUSTOMER_ID",
                    "The login customer id header '" + login + "' is not a 10-digit customer id.");
        }
        FakeReply developer = developerTokenRefused(version, req);
        if (developer != null) {
            return developer;
        }
        JsonNode body;
        try {
            body = json.readTree(req.bodyText());
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return failure(version, 400, "INVALID_ARGUMENT", "requestError", "BAD_REQUEST",
                    "Invalid JSON payload received.");
        }
        if (body.has("pageSize")) {
            return failure(version, 400, "INVALID_ARGUMENT", "requestError", "PAGE_SIZE_NOT_SUPPORTED",
                    "Setting the page size is not supported: search pages hold 10,000 rows.");
        }
        String query = body.path("query").asText("");
        if (query.isBlank()) {
            return failure(version, 400, "INVALID_ARGUMENT", "requestError", "REQUIRED_FIELD_MISSING",
                    "The request is missing the query.");
        }
        try {
            GaqlQuery q = GaqlQuery.parse(query);
            return page(version, run(q, customerId), q, customerId, query, body.path("pageToken").asText(""));
        } catch (GaqlQuery.Refused e) {
            return failure(version, 400, "INVALID_ARGUMENT", "queryError", e.queryError, e.getMessage());
        } catch (InvalidValue e) {
            return failure(version, 400, "INVALID_ARGUMENT", "queryError", e.queryError, e.getMessage());
        }
    }

    /** The bearer token's refusal, as Google answers it; null when the token is good. */
    private FakeReply unauthenticated(String version, FakeRequest req) {
        String token = req.bearerToken();
        IssuedTokens.Standing standing = issued.standing(token);
        if (token == null || !tokens.contains(token) && standing != IssuedTokens.Standing.VALID) {
            return standing == IssuedTokens.Standing.EXPIRED
                    ? failure(version, 401, "UNAUTHENTICATED", "authenticationError", "OAUTH_TOKEN_EXPIRED",
                            "Authentication of the request failed: the OAuth token has expired.")
                    : failure(version, 401, "UNAUTHENTICATED", "authenticationError", "OAUTH_TOKEN_INVALID",
                            "Oauth token in the header is not valid (local fake: tokens are"
                                    + " leadsync.local.google-tokens or issued by /_local/google-oauth/token).");
        }
        return null;
    }

    /** The developer token's refusal, as Google answers it; null when it is this app's. */
    private FakeReply developerTokenRefused(String version, FakeRequest req) {
        String devToken = req.header("developer-token");
        if (devToken == null || devToken.isBlank()) {
            return failure(version, 400, "INVALID_ARGUMENT", "requestError", "DEVELOPER_TOKEN_PARAMETER_MISSING",
                    "The developer-token parameter is required for all requests.");
        }
        if (developerToken.filter(devToken::equals).isEmpty()) {
            return failure(version, 403, "PERMISSION_DENIED", "authorizationError", "DEVELOPER_TOKEN_NOT_APPROVED",
                    "The developer token is not approved (local fake: it is leadsync.google.developer-token).");
        }
        return null;
    }

    /** {@code customers:listAccessibleCustomers}: the configured customers, as resource names. */
    FakeReply accessibleCustomers(String version, FakeRequest req) {
        FakeReply refused = unauthenticated(version, req);
        if (refused == null) {
            refused = developerTokenRefused(version, req);
        }
        if (refused != null) {
            return refused;
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode names = body.putArray("resourceNames");
        customers.forEach(id -> names.add("customers/" + id));
        return FakeReply.json(200, body);
    }

    /** The consent stand-in: Google's checks of the request, then "Allow" at once. */
    FakeReply authorize(FakeRequest req) {
        if (clientId.isEmpty() || !clientId.get().equals(req.param("client_id"))) {
            return LocalConsent.badRequest("Error 401: invalid_client. The OAuth client was not found (local fake:"
                    + " it is leadsync.google.client-id).");
        }
        String redirect = req.param("redirect_uri");
        if (redirect == null || !redirect.matches("https?://.+")) {
            return LocalConsent.badRequest("Error 400: redirect_uri_mismatch. Missing or invalid redirect_uri.");
        }
        if (!"code".equals(req.param("response_type"))) {
            return LocalConsent.badRequest("Error 400: unsupported_response_type. response_type must be code.");
        }
        String scope = req.param("scope");
        if (scope == null || !List.of(scope.split(" ")).contains("https://www.googleapis.com/auth/adwords")) {
            return LocalConsent.badRequest("Error 400: invalid_scope. The local fake grants the adwords scope.");
        }
        String challenge = req.param("code_challenge");
        if (challenge != null && !"S256".equals(req.param("code_challenge_method"))) {
            return LocalConsent.badRequest("Error 400: invalid_request. code_challenge_method must be S256.");
        }
        return consent.allow(redirect, req.param("state"), challenge, "offline".equals(req.param("access_type")));
    }

    /** The query's matching rows, each field by its GAQL name, ordered and limited. */
    private List<Map<String, JsonNode>> run(GaqlQuery q, String customerId) {
        List<String> known = FIELDS.get(q.from());
        if (known == null) {
            throw new GaqlQuery.Refused("BAD_RESOURCE_TYPE_IN_FROM_CLAUSE", "'" + q.from()
                    + "' is not a resource the local fake serves (it serves " + String.join(", ", FIELDS.keySet()) + ").");
        }
        for (String field : q.select()) {
            requireKnown(q.from(), field);
        }
        for (GaqlQuery.Condition c : q.where()) {
            requireKnown(q.from(), c.field());
            if (REPEATED.contains(c.field())) {
                throw new GaqlQuery.Refused("PROHIBITED_FIELD_IN_WHERE_CLAUSE", c.field()
                        + " is a repeated field and cannot be filtered on.");
            }
        }
        for (GaqlQuery.Order o : q.orderBy()) {
            requireKnown(q.from(), o.field());
            if (REPEATED.contains(o.field())) {
                throw new GaqlQuery.Refused("PROHIBITED_FIELD_IN_ORDER_BY_CLAUSE", o.field()
                        + " is a repeated field and cannot be ordered by.");
            }
        }
        List<Map<String, JsonNode>> rows = new ArrayList<>();
        for (Map<String, JsonNode> row : q.from().equals(CUSTOMER) ? List.of(customerRow(customerId))
                : leadRows(customerId)) {
            if (q.where().stream().allMatch(c -> holds(c, row))) {
                rows.add(row);
            }
        }
        Comparator<Map<String, JsonNode>> order = null;
        for (GaqlQuery.Order o : q.orderBy()) {
            Comparator<Map<String, JsonNode>> by = Comparator.comparing(row -> sortKey(o.field(), row));
            by = o.descending() ? by.reversed() : by;
            order = order == null ? by : order.thenComparing(by);
        }
        if (order != null) {
            rows.sort(order);
        }
        return q.limit() == null || rows.size() <= q.limit() ? rows : rows.subList(0, q.limit());
    }

    private FakeReply page(String version, List<Map<String, JsonNode>> rows, GaqlQuery q, String customerId,
            String query, String pageToken) {
        String queryKey = Sha256.hex(customerId + "\n" + query).substring(0, 16);
        int start = 0;
        if (!pageToken.isEmpty()) {
            String[] parts = decode(pageToken).split("\\.");
            if (parts.length != 3 || !parts[2].equals(queryKey) || !parts[0].matches("[0-9]{1,9}")
                    || !parts[1].matches("[0-9]{1,12}")) {
                return failure(version, 400, "INVALID_ARGUMENT", "requestError", "INVALID_PAGE_TOKEN",
                        "Page token is invalid: it must come from the same query's previous page.");
            }
            if (Instant.ofEpochSecond(Long.parseLong(parts[1])).plus(PAGE_TOKEN_LIFETIME).isBefore(clock.instant())) {
                return failure(version, 400, "INVALID_ARGUMENT", "requestError", "EXPIRED_PAGE_TOKEN",
                        "Page token has expired.");
            }
            start = Math.min(rows.size(), Integer.parseInt(parts[0]));
        }
        List<Map<String, JsonNode>> slice = rows.subList(start, Math.min(rows.size(), start + pageSize));
        ObjectNode body = json.createObjectNode();
        if (!slice.isEmpty()) { // proto3 JSON leaves an empty list out
            ArrayNode results = body.putArray("results");
            slice.forEach(row -> results.add(render(q, row)));
        }
        if (start + slice.size() < rows.size()) {
            body.put("nextPageToken", encode((start + slice.size()) + "." + clock.instant().getEpochSecond() + "."
                    + queryKey));
        }
        List<String> mask = new ArrayList<>();
        q.select().forEach(field -> mask.add(camelPath(field)));
        body.put("fieldMask", String.join(",", mask));
        return FakeReply.json(200, body);
    }

    /** A row as the REST API writes it: {@code {"leadFormSubmissionData": {"resourceName", <selected>...}}}. */
    private ObjectNode render(GaqlQuery q, Map<String, JsonNode> row) {
        ObjectNode out = json.createObjectNode();
        ObjectNode resource = out.putObject(camel(q.from()));
        resource.set("resourceName", row.get(q.from() + ".resource_name"));
        for (String field : q.select()) {
            JsonNode value = row.get(field);
            if (value != null && !value.isNull()) {
                resource.set(camel(field.substring(q.from().length() + 1)), value);
            }
        }
        return out;
    }

    private Map<String, JsonNode> customerRow(String customerId) {
        Map<String, JsonNode> row = new LinkedHashMap<>();
        row.put("customer.resource_name", TextNode.valueOf("customers/" + customerId));
        row.put("customer.id", TextNode.valueOf(customerId));
        row.put("customer.descriptive_name", TextNode.valueOf("Local customer " + customerId));
        row.put("customer.currency_code", TextNode.valueOf("USD"));
        row.put("customer.time_zone", TextNode.valueOf(zone.getId()));
        row.put("customer.manager", json.getNodeFactory().booleanNode(false));
        row.put("customer.test_account", json.getNodeFactory().booleanNode(false));
        return row;
    }

    /** The sample rows as the customer's: resource names re-rooted at it, times moved and in its time zone. */
    private List<Map<String, JsonNode>> leadRows(String customerId) {
        List<Map<String, JsonNode>> rows = new ArrayList<>();
        for (ObjectNode sample : SampleFiles.all(json, samples)) {
            JsonNode data = sample.path(camel(LEADS));
            Map<String, JsonNode> row = new LinkedHashMap<>();
            for (String field : FIELDS.get(LEADS)) {
                JsonNode value = data.get(camel(field));
                if (value != null && value.isTextual() && value.asText().startsWith("customers/")) {
                    value = TextNode.valueOf(value.asText().replaceFirst("^customers/[0-9]+/", "customers/"
                            + customerId + "/"));
                }
                row.put(LEADS + "." + field, value);
            }
            Instant submitted = submissionTime(row.get(SUBMITTED));
            if (submitted != null) {
                row.put(SUBMITTED, TextNode.valueOf(SUBMISSION_TIME.format(sampleClock.present(submitted).atZone(zone))));
            }
            rows.add(row);
        }
        return rows;
    }

    private boolean holds(GaqlQuery.Condition c, Map<String, JsonNode> row) {
        JsonNode value = row.get(c.field());
        if (c.field().equals(SUBMITTED)) {
            Instant at = submissionTime(value);
            if (at == null) {
                return false;
            }
            List<Instant> bounds = c.values().stream().map(this::gaqlTime).toList();
            return switch (c.operator()) {
                case "IN" -> bounds.contains(at);
                case "NOT IN" -> !bounds.contains(at);
                default -> compare(at.compareTo(bounds.get(0)), c.operator());
            };
        }
        String text = value == null || value.isNull() ? "" : value.asText();
        return switch (c.operator()) {
            case "IN" -> c.values().contains(text);
            case "NOT IN" -> !c.values().contains(text);
            default -> compare(text.compareTo(c.values().get(0)), c.operator());
        };
    }

    private static boolean compare(int sign, String operator) {
        return switch (operator) {
            case "=" -> sign == 0;
            case "!=" -> sign != 0;
            case ">" -> sign > 0;
            case ">=" -> sign >= 0;
            case "<" -> sign < 0;
            case "<=" -> sign <= 0;
            default -> false;
        };
    }

    /** A GAQL date-time literal, {@code 'YYYY-MM-DD HH:MM:SS'} (or a date, or with an offset), in the customer's zone. */
    private Instant gaqlTime(String literal) {
        try {
            return LocalDateTime.parse(literal, GAQL_TIME).atZone(zone).toInstant();
        } catch (DateTimeParseException notLocal) {
            try {
                return OffsetDateTime.parse(literal, SUBMISSION_TIME).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    return LocalDate.parse(literal).atStartOfDay(zone).toInstant();
                } catch (DateTimeParseException e) {
                    throw new InvalidValue("INVALID_DATE_FORMAT", "'" + literal + "' is not a date-time:"
                            + " use 'YYYY-MM-DD HH:MM:SS'.");
                }
            }
        }
    }

    private String sortKey(String field, Map<String, JsonNode> row) {
        JsonNode value = row.get(field);
        if (field.equals(SUBMITTED)) {
            Instant at = submissionTime(value);
            return at == null ? "" : String.format(Locale.ROOT, "%020d", at.getEpochSecond());
        }
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static Instant submissionTime(JsonNode value) {
        try {
            return value == null ? null : OffsetDateTime.parse(value.asText(), SUBMISSION_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void requireKnown(String resource, String field) {
        int dot = field.indexOf('.');
        if (dot < 0 || !field.substring(0, dot).equals(resource)
                || !FIELDS.get(resource).contains(field.substring(dot + 1))) {
            throw new GaqlQuery.Refused("UNRECOGNIZED_FIELD", "Unrecognized field in the query: '" + field
                    + "' (the local fake serves " + resource + "." + String.join(", " + resource + ".",
                    FIELDS.get(resource)) + ").");
        }
    }

    /** {@code POST /token}, form-encoded: {@code grant_type=refresh_token} or {@code authorization_code}. */
    FakeReply token(FakeRequest req) {
        if (clientId.isEmpty() || clientSecret.isEmpty() || !clientId.get().equals(req.form("client_id"))
                || !clientSecret.get().equals(req.form("client_secret"))) {
            return oauthError(401, "invalid_client", "The OAuth client was not found.");
        }
        String grant = req.form("grant_type");
        if ("authorization_code".equals(grant)) {
            return exchange(req);
        }
        if (!"refresh_token".equals(grant)) {
            return oauthError(400, "unsupported_grant_type", "Invalid grant_type: " + (grant == null ? "" : grant));
        }
        String refresh = req.form("refresh_token");
        if (refresh == null || refresh.isEmpty()) {
            return oauthError(400, "invalid_request", "Missing required parameter: refresh_token");
        }
        if (!refreshTokens.contains(refresh)) {
            return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
        }
        return FakeReply.json(200, json.createObjectNode().put("access_token", issued.issue())
                .put("expires_in", issued.lifetime().toSeconds())
                .put("scope", "https://www.googleapis.com/auth/adwords").put("token_type", "Bearer"));
    }

    /** A code of the consent stand-in for tokens; a refresh token only when the consent was offline (as Google). */
    private FakeReply exchange(FakeRequest req) {
        if (req.form("code") == null) {
            return oauthError(400, "invalid_request", "Missing required parameter: code");
        }
        Optional<LocalConsent.Given> given = consent.exchange(req.form("code"), req.form("redirect_uri"),
                req.form("code_verifier"));
        if (given.isEmpty()) {
            return oauthError(400, "invalid_grant", "Malformed auth code.");
        }
        ObjectNode body = json.createObjectNode().put("access_token", issued.issue())
                .put("expires_in", issued.lifetime().toSeconds())
                .put("scope", "https://www.googleapis.com/auth/adwords").put("token_type", "Bearer");
        if (given.get().offline()) {
            body.put("refresh_token", refreshTokens.stream().sorted().findFirst().orElseThrow());
        }
        return FakeReply.json(200, body);
    }

    private FakeReply oauthError(int status, String error, String description) {
        return FakeReply.json(status, json.createObjectNode().put("error", error).put("error_description", description));
    }

    /** Google's REST error with a {@code GoogleAdsFailure} detail (providers.md §2.6). */
    private FakeReply failure(String version, int status, String grpcStatus, String errorKind, String errorCode,
            String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error").put("code", status).put("message", message).put("status", grpcStatus);
        ObjectNode failure = error.putArray("details").addObject()
                .put("@type", "type.googleapis.com/google.ads.googleads." + version + ".errors.GoogleAdsFailure");
        failure.putArray("errors").addObject().put("message", message).putObject("errorCode").put(errorKind, errorCode);
        failure.put("requestId", UUID.randomUUID().toString().replace("-", "").substring(0, 22));
        return FakeReply.json(status, body);
    }

    /** A literal the query has in the right place but that is not a value of its field. */
    private static final class InvalidValue extends RuntimeException {
        final String queryError;

        InvalidValue(String queryError, String message) {
            super(message);
            this.queryError = queryError;
        }
    }

    private static String camelPath(String field) {
        List<String> parts = new ArrayList<>();
        for (String part : field.split("\\.")) {
            parts.add(camel(part));
        }
        return String.join(".", parts);
    }

    static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
