package com.leadsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An offline LinkedIn Marketing API and OAuth token endpoint (providers.md §3.1, §3.3, §3.5, errors §3.6), answering
 * from {@code infra/events/linkedin/responses/<id>.json} (lead form responses) and {@code forms/<id>.json}:
 * <ul>
 * <li>{@code GET /_local/linkedin/rest/adAccounts/{id}}: any sponsored account, for the tokens in
 * {@code leadsync.local.linkedin-tokens} and those issued by refresh (others: 401 {@code INVALID_ACCESS_TOKEN});</li>
 * <li>{@code GET /rest/leadFormResponses?q=owner&owner=(sponsoredAccount:<urn>)&leadType=(leadType:SPONSORED)}: the
 * samples as that account's, oldest first, filtered by {@code submittedAtTimeRange=(start:ms,end:ms)} (start
 * inclusive, end exclusive), {@code versionedLeadGenFormUrn} and {@code limitedToTestLeads=true}, paged by
 * {@code start}/{@code count} in the list wrapper {@code {"paging":{start,count,links,total},"elements"}}, with the
 * Rest.li {@code fields} projection, {@code form:(...)} included from the form's file; URNs in the query must be
 * URL-encoded and {@code X-Restli-Protocol-Version: 2.0.0} sent (else 400, as LinkedIn answers);</li>
 * <li>{@code GET /rest/leadFormResponses/{id}} and {@code GET /rest/leadForms/{id}}: one each, 404 when unknown.</li>
 * </ul>
 * Every REST call needs a {@code LinkedIn-Version: YYYYMM} header. Submission times are moved by {@link SampleClock}.
 * {@code POST /_local/linkedin-oauth/oauth/v2/accessToken} refreshes the tokens in
 * {@code leadsync.local.linkedin-refresh-tokens} for the client {@code leadsync.linkedin.client-id}/{@code -secret}:
 * a 60-day access token, the same refresh token with what is left of its 365 days; it also exchanges the codes of
 * the consent stand-in {@code GET /_local/linkedin-oauth/oauth/v2/authorization} (OAuth connect: a 302 straight back
 * to {@code redirect_uri} with a code and the {@code state}) for a 60-day access token and the first of those
 * refresh tokens. {@code GET /_local/linkedin/rest/adAccountUsers?q=authenticatedUser} lists the member's roles on
 * the accounts {@code leadsync.local.linkedin-ad-accounts} ({@code ACCOUNT_MANAGER}).
 */
@ApplicationScoped
public class LocalLinkedInFake {

    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofDays(60);
    static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(365);
    private static final Pattern OWNER = Pattern.compile(
            "\\((sponsoredAccount|organization):urn:li:(sponsoredAccount|organization):([0-9]{1,20})\\)");
    private static final Pattern LEAD_TYPE = Pattern.compile("\\(leadType:([A-Z_]+)\\)");
    private static final Pattern TIME_RANGE = Pattern.compile("\\((?:start:([0-9]{1,15}))?,?(?:end:([0-9]{1,15}))?\\)");
    private static final Pattern FORM_URN = Pattern.compile(
            "urn:li:versionedLeadGenForm:\\(urn:li:leadGenForm:([0-9]{1,20}),[0-9]{1,9}\\)");
    private static final Pattern VERSION = Pattern.compile("[0-9]{6}(\\.[0-9]{2})?");
    private static final Set<String> LEAD_TYPES = Set.of("SPONSORED", "EVENT", "COMPANY", "ORGANIZATION_PRODUCT");
    private static final int DEFAULT_COUNT = 10;

    private final Path responses;
    private final Path forms;
    private final Set<String> tokens;
    private final Set<String> refreshTokens;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final SampleClock sampleClock;
    private final Clock clock;
    private final ObjectMapper json;
    private final IssuedTokens issued;
    /** Refresh tokens keep their first lifetime: refreshing does not extend it (providers.md §3.5). */
    private final Instant refreshTokensExpire;
    private final List<String> adAccounts;
    private final LocalConsent consent;

    LocalLinkedInFake(
            @ConfigProperty(name = "leadsync.local.linkedin-samples", defaultValue = "infra/events/linkedin")
            String samples,
            @ConfigProperty(name = "leadsync.local.linkedin-tokens", defaultValue = "local-linkedin-token")
            Set<String> tokens,
            @ConfigProperty(name = "leadsync.local.linkedin-refresh-tokens",
                    defaultValue = "local-linkedin-refresh-token") Set<String> refreshTokens,
            @ConfigProperty(name = "leadsync.linkedin.client-id") Optional<String> clientId,
            @ConfigProperty(name = "leadsync.linkedin.client-secret") Optional<String> clientSecret,
            @ConfigProperty(name = "leadsync.local.linkedin-ad-accounts", defaultValue = "508915158")
            List<String> adAccounts,
            SampleClock sampleClock, Clock clock, ObjectMapper json) {
        this.responses = Path.of(samples, "responses");
        this.forms = Path.of(samples, "forms");
        this.tokens = Set.copyOf(tokens);
        this.refreshTokens = Set.copyOf(refreshTokens);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.sampleClock = sampleClock;
        this.clock = clock;
        this.json = json;
        this.issued = new IssuedTokens("AQ-local-", ACCESS_TOKEN_LIFETIME, clock);
        this.refreshTokensExpire = clock.instant().plus(REFRESH_TOKEN_LIFETIME);
        this.adAccounts = List.copyOf(adAccounts);
        this.consent = new LocalConsent("AQT-local-", clock);
    }

    void routes(@Observes Router router) {
        router.get("/_local/linkedin/rest/adAccounts/:id").order(-199).blockingHandler(
                FakeReply.handler(ctx -> adAccount(ctx.pathParam("id"), FakeRequest.of(ctx))), false);
        router.get("/_local/linkedin/rest/leadFormResponses").order(-199).blockingHandler(
                FakeReply.handler(ctx -> responses(FakeRequest.of(ctx))), false);
        router.get("/_local/linkedin/rest/leadFormResponses/:id").order(-199).blockingHandler(
                FakeReply.handler(ctx -> response(ctx.pathParam("id"), FakeRequest.of(ctx))), false);
        router.get("/_local/linkedin/rest/leadForms/:id").order(-199).blockingHandler(
                FakeReply.handler(ctx -> form(ctx.pathParam("id"), FakeRequest.of(ctx))), false);
        router.get("/_local/linkedin/rest/adAccountUsers").order(-199).blockingHandler(
                FakeReply.handler(ctx -> adAccountUsers(FakeRequest.of(ctx))), false);
        router.get("/_local/linkedin-oauth/oauth/v2/authorization").order(-199).blockingHandler(
                FakeReply.handler(ctx -> authorize(FakeRequest.of(ctx))), false);
        router.post("/_local/linkedin-oauth/oauth/v2/accessToken").order(-199).blockingHandler(
                FakeReply.handler(ctx -> token(FakeRequest.of(ctx))), false);
    }

    /** {@code GET /rest/adAccounts/{id}}: the account the token reaches. */
    FakeReply adAccount(String id, FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        String account = id.replaceFirst("^urn:li:sponsoredAccount:", "");
        if (!account.matches("[0-9]{1,20}")) {
            return error(404, "NOT_FOUND", "Not found: adAccounts/" + id);
        }
        ObjectNode body = json.createObjectNode().put("id", Long.parseLong(account))
                .put("name", "Local ad account " + account).put("currency", "USD").put("status", "ACTIVE")
                .put("type", "BUSINESS").put("test", false);
        body.putArray("servingStatuses").add("RUNNABLE");
        return FakeReply.json(200, body);
    }

    /** {@code GET /rest/adAccountUsers?q=authenticatedUser}: the member's role on each local account, paged. */
    FakeReply adAccountUsers(FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        if (!"authenticatedUser".equals(req.param("q"))) {
            return error(400, "ILLEGAL_ARGUMENT", "Unsupported finder q=" + req.param("q")
                    + " (the local fake serves authenticatedUser)");
        }
        int start;
        int count;
        try {
            start = req.param("start") == null ? 0 : Integer.parseInt(req.param("start"));
            count = req.param("count") == null ? DEFAULT_COUNT : Integer.parseInt(req.param("count"));
        } catch (NumberFormatException e) {
            start = -1;
            count = -1;
        }
        if (start < 0 || count < 1) {
            return error(400, "ILLEGAL_ARGUMENT", "start must be >= 0 and count >= 1");
        }
        ObjectNode body = json.createObjectNode();
        body.putObject("paging").put("start", start).put("count", count).put("total", adAccounts.size())
                .putArray("links");
        ArrayNode elements = body.putArray("elements");
        adAccounts.stream().skip(start).limit(count).forEach(id -> elements.addObject()
                .put("account", "urn:li:sponsoredAccount:" + id).put("role", "ACCOUNT_MANAGER")
                .put("user", "urn:li:person:local-member"));
        return FakeReply.json(200, body);
    }

    /** The consent stand-in: LinkedIn's checks of the request, then "Allow" at once. */
    FakeReply authorize(FakeRequest req) {
        if (clientId.isEmpty() || !clientId.get().equals(req.param("client_id"))) {
            return LocalConsent.badRequest("invalid_client: the client id is not leadsync.linkedin.client-id");
        }
        String redirect = req.param("redirect_uri");
        if (redirect == null || !redirect.matches("https?://.+")) {
            return LocalConsent.badRequest("invalid_request: missing or invalid redirect_uri");
        }
        if (!"code".equals(req.param("response_type"))) {
            return LocalConsent.badRequest("unsupported_response_type: response_type must be code");
        }
        String scope = req.param("scope");
        if (scope == null || !List.of(scope.split(" ")).contains("r_marketing_leadgen_automation")) {
            return LocalConsent.badRequest("unauthorized_scope_error: the local fake grants"
                    + " r_marketing_leadgen_automation (space-separated scopes)");
        }
        return consent.allow(redirect, req.param("state"), null, true);
    }

    /** The {@code q=owner} finder over the sample responses. */
    FakeReply responses(FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        if (!"2.0.0".equals(req.header("x-restli-protocol-version"))) {
            return error(400, "ILLEGAL_ARGUMENT", "Syntax exception in path variables: send"
                    + " X-Restli-Protocol-Version: 2.0.0 with Rest.li 2.0 query values");
        }
        if (req.rawQuery().contains("urn:li:")) {
            return error(400, "ILLEGAL_ARGUMENT", "Invalid Rest.li 2.0 value: a URN inside (...) must be URL-encoded"
                    + " (urn%3Ali%3A...)");
        }
        if (!"owner".equals(req.param("q"))) {
            return error(400, "ILLEGAL_ARGUMENT", "Unsupported finder q=" + req.param("q") + " (the finder is owner)");
        }
        Matcher owner = OWNER.matcher(String.valueOf(req.param("owner")));
        if (!owner.matches() || !owner.group(1).equals(owner.group(2))) {
            return error(400, "ILLEGAL_ARGUMENT", "owner must be (sponsoredAccount:urn:li:sponsoredAccount:<id>) or"
                    + " (organization:urn:li:organization:<id>), got " + req.param("owner"));
        }
        Matcher leadType = LEAD_TYPE.matcher(String.valueOf(req.param("leadType")));
        if (!leadType.matches() || !LEAD_TYPES.contains(leadType.group(1))) {
            return error(400, "ILLEGAL_ARGUMENT", "leadType must be (leadType:SPONSORED|EVENT|COMPANY|"
                    + "ORGANIZATION_PRODUCT), got " + req.param("leadType"));
        }
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        String range = req.param("submittedAtTimeRange");
        if (range != null) {
            Matcher m = TIME_RANGE.matcher(range);
            if (!m.matches() || m.group(1) == null && m.group(2) == null) {
                return error(400, "ILLEGAL_ARGUMENT", "submittedAtTimeRange must be (start:<epoch ms>,end:<epoch ms>),"
                        + " got " + range);
            }
            from = m.group(1) == null ? from : Long.parseLong(m.group(1));
            to = m.group(2) == null ? to : Long.parseLong(m.group(2));
        }
        String form = req.param("versionedLeadGenFormUrn");
        if (form != null && !FORM_URN.matcher(form).matches()) {
            return error(400, "ILLEGAL_ARGUMENT", "versionedLeadGenFormUrn must be"
                    + " urn:li:versionedLeadGenForm:(urn:li:leadGenForm:<id>,<version>), got " + form);
        }
        int start;
        int count;
        try {
            start = req.param("start") == null ? 0 : Integer.parseInt(req.param("start"));
            count = req.param("count") == null ? DEFAULT_COUNT : Integer.parseInt(req.param("count"));
        } catch (NumberFormatException e) {
            start = -1;
            count = -1;
        }
        if (start < 0 || count < 1) {
            return error(400, "ILLEGAL_ARGUMENT", "start must be >= 0 and count >= 1");
        }
        Map<String, Map<String, ?>> projection = projection(req.param("fields"));
        boolean testOnly = "true".equals(req.param("limitedToTestLeads"));
        List<ObjectNode> matching = new ArrayList<>();
        boolean sponsored = owner.group(1).equals("sponsoredAccount");
        for (ObjectNode sample : sponsored ? SampleFiles.all(json, responses) : List.<ObjectNode>of()) {
            ObjectNode lead = present(sample);
            long at = lead.path("submittedAt").asLong();
            if (at >= from && at < to && leadType.group(1).equals(lead.path("leadType").asText())
                    && (form == null || form.equals(lead.path("versionedLeadGenFormUrn").asText()))
                    && (!testOnly || lead.path("testLead").asBoolean())) {
                lead.putObject("owner").put("sponsoredAccount", "urn:li:sponsoredAccount:" + owner.group(3));
                matching.add(lead);
            }
        }
        matching.sort(Comparator.comparingLong((ObjectNode l) -> l.path("submittedAt").asLong())
                .thenComparing(l -> l.path("id").asText()));
        ObjectNode body = json.createObjectNode();
        ObjectNode paging = body.putObject("paging").put("start", start).put("count", count);
        ArrayNode links = paging.putArray("links");
        if (start > 0) {
            links.addObject().put("type", "application/json").put("rel", "prev")
                    .put("href", relative(req.withParam("start", Integer.toString(Math.max(0, start - count)))));
        }
        if (start + count < matching.size()) {
            links.addObject().put("type", "application/json").put("rel", "next")
                    .put("href", relative(req.withParam("start", Integer.toString(start + count))));
        }
        paging.put("total", matching.size());
        ArrayNode elements = body.putArray("elements");
        for (ObjectNode lead : matching.subList(Math.min(start, matching.size()),
                Math.min(matching.size(), start + count))) {
            elements.add(render(lead, projection));
        }
        return FakeReply.json(200, body);
    }

    /** {@code GET /rest/leadFormResponses/{id}} (the id, or its {@code urn:li:leadGenFormResponse:} URN). */
    FakeReply response(String id, FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        String plain = id.replaceFirst("^urn:li:leadGenFormResponse:", "");
        return SampleFiles.one(json, responses, plain)
                .map(lead -> FakeReply.json(200, render(present(lead), projection(req.param("fields")))))
                .orElseGet(() -> error(404, "NOT_FOUND", "Not found: leadFormResponses/" + id
                        + " (local fake: add " + responses.resolve(plain + ".json") + ")"));
    }

    /** {@code GET /rest/leadForms/{id}} (the id, or its {@code urn:li:leadGenForm:} URN). */
    FakeReply form(String id, FakeRequest req) {
        FakeReply refused = refused(req);
        if (refused != null) {
            return refused;
        }
        String plain = id.replaceFirst("^urn:li:leadGenForm:", "");
        return SampleFiles.one(json, forms, plain).filter(form -> plain.matches("[0-9]{1,20}"))
                .map(form -> FakeReply.json(200, form))
                .orElseGet(() -> error(404, "NOT_FOUND", "Not found: leadForms/" + id));
    }

    /** {@code POST /oauth/v2/accessToken}, form-encoded: only {@code grant_type=refresh_token}. */
    FakeReply token(FakeRequest req) {
        if (clientId.isEmpty() || clientSecret.isEmpty() || !clientId.get().equals(req.form("client_id"))
                || !clientSecret.get().equals(req.form("client_secret"))) {
            return oauthError(401, "invalid_client", "Client authentication failed");
        }
        if ("authorization_code".equals(req.form("grant_type"))) {
            if (consent.exchange(req.form("code"), req.form("redirect_uri"), null).isEmpty()) {
                return oauthError(400, "invalid_request", "Unable to retrieve access token: appid/redirect uri/code"
                        + " verifier does not match authorization code. Or authorization code expired.");
            }
            String refresh = refreshTokens.stream().sorted().findFirst().orElseThrow();
            return FakeReply.json(200, json.createObjectNode().put("access_token", issued.issue())
                    .put("expires_in", issued.lifetime().toSeconds()).put("refresh_token", refresh)
                    .put("refresh_token_expires_in", Duration.between(clock.instant(), refreshTokensExpire).toSeconds())
                    .put("scope", "r_ads,r_marketing_leadgen_automation"));
        }
        if (!"refresh_token".equals(req.form("grant_type"))) {
            return oauthError(400, "unsupported_grant_type", "grant_type must be refresh_token or"
                    + " authorization_code (local fake)");
        }
        String refresh = req.form("refresh_token");
        if (refresh == null || !refreshTokens.contains(refresh) || !clock.instant().isBefore(refreshTokensExpire)) {
            return oauthError(400, "invalid_grant",
                    "The provided authorization grant or refresh token is invalid, expired or revoked");
        }
        return FakeReply.json(200, json.createObjectNode().put("access_token", issued.issue())
                .put("expires_in", issued.lifetime().toSeconds()).put("refresh_token", refresh)
                .put("refresh_token_expires_in", Duration.between(clock.instant(), refreshTokensExpire).toSeconds())
                .put("scope", "r_ads,r_marketing_leadgen_automation"));
    }

    /** A lead with the moved time, projected; {@code form} comes from the form's file when the projection asks. */
    private ObjectNode render(ObjectNode lead, Map<String, Map<String, ?>> projection) {
        if (projection == null) {
            return lead;
        }
        ObjectNode out = json.createObjectNode();
        for (Map.Entry<String, Map<String, ?>> field : projection.entrySet()) {
            JsonNode value = field.getKey().equals("form") ? formOf(lead) : lead.get(field.getKey());
            if (value != null) {
                out.set(field.getKey(), project(value, field.getValue()));
            }
        }
        return out;
    }

    private JsonNode formOf(ObjectNode lead) {
        Matcher urn = FORM_URN.matcher(lead.path("versionedLeadGenFormUrn").asText());
        return urn.matches() ? SampleFiles.one(json, forms, urn.group(1)).orElse(null) : null;
    }

    @SuppressWarnings("unchecked")
    private JsonNode project(JsonNode value, Map<String, ?> sub) {
        if (sub.isEmpty()) {
            return value;
        }
        if (value.isArray()) {
            ArrayNode out = json.createArrayNode();
            value.forEach(item -> out.add(project(item, sub)));
            return out;
        }
        if (!value.isObject()) {
            return value;
        }
        ObjectNode out = json.createObjectNode();
        sub.forEach((name, inner) -> {
            if (value.has(name)) {
                out.set(name, project(value.get(name), (Map<String, ?>) inner));
            }
        });
        return out;
    }

    /**
     * A Rest.li projection ({@code a,b,form:(c,d:(e))}) as names to sub-projections (empty: the whole value);
     * null when there is none (everything but {@code form}).
     */
    static Map<String, Map<String, ?>> projection(String fields) {
        if (fields == null || fields.isBlank()) {
            return null;
        }
        int[] at = {0};
        return projectionAt(fields, at);
    }

    private static Map<String, Map<String, ?>> projectionAt(String text, int[] at) {
        Map<String, Map<String, ?>> out = new LinkedHashMap<>();
        StringBuilder name = new StringBuilder();
        while (at[0] < text.length()) {
            char c = text.charAt(at[0]++);
            if (c == ':' && at[0] < text.length() && text.charAt(at[0]) == '(') {
                at[0]++;
                out.put(name.toString().trim(), projectionAt(text, at));
                name.setLength(0);
            } else if (c == ',' || c == ')') {
                if (!name.toString().isBlank()) {
                    out.put(name.toString().trim(), Map.of());
                }
                name.setLength(0);
                if (c == ')') {
                    return out;
                }
            } else {
                name.append(c);
            }
        }
        if (!name.toString().isBlank()) {
            out.put(name.toString().trim(), Map.of());
        }
        return out;
    }

    private ObjectNode present(ObjectNode sample) {
        ObjectNode lead = sample.deepCopy();
        if (sample.path("submittedAt").canConvertToLong()) {
            lead.put("submittedAt", sampleClock.present(Instant.ofEpochMilli(sample.path("submittedAt").asLong()))
                    .toEpochMilli());
        }
        return lead;
    }

    /** The token and version every REST call needs; null when both are fine. */
    private FakeReply refused(FakeRequest req) {
        String token = req.bearerToken();
        IssuedTokens.Standing standing = issued.standing(token);
        if (token == null || !tokens.contains(token) && standing != IssuedTokens.Standing.VALID) {
            return standing == IssuedTokens.Standing.EXPIRED
                    ? error(401, 65602, "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired")
                    : error(401, 65600, "INVALID_ACCESS_TOKEN", "Invalid access token (local fake: tokens are"
                            + " leadsync.local.linkedin-tokens or issued by /_local/linkedin-oauth)");
        }
        String version = req.header("linkedin-version");
        if (version == null) {
            return error(400, "VERSION_MISSING", "A version must be present. Please specify a version by adding the"
                    + " LinkedIn-Version header.");
        }
        if (!VERSION.matcher(version).matches()) {
            return error(400, "INVALID_VERSION", "LinkedIn-Version must be YYYYMM, got " + version);
        }
        return null;
    }

    private FakeReply error(int status, String code, String message) {
        return FakeReply.json(status, json.createObjectNode().put("status", status).put("code", code)
                .put("message", message));
    }

    private FakeReply error(int status, int serviceErrorCode, String code, String message) {
        return FakeReply.json(status, json.createObjectNode().put("status", status)
                .put("serviceErrorCode", serviceErrorCode).put("code", code).put("message", message));
    }

    private FakeReply oauthError(int status, String error, String description) {
        return FakeReply.json(status, json.createObjectNode().put("error", error).put("error_description", description));
    }

    /** LinkedIn's paging links are relative to the API host: {@code /rest/...}. */
    private static String relative(String url) {
        int rest = url.indexOf("/rest/");
        return rest < 0 ? url : url.substring(rest);
    }
}
