package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Zoho CRM v8 and Zoho Accounts on the shared {@link Fakes#server()}, each instance under its own prefix so tests
 * do not see each other's stubs: {@code {prefix}/eu-api} stands for a data centre's api_domain
 * (https://www.zohoapis.eu), {@code {prefix}/eu-accounts} for its accounts server. Bodies are the shapes of
 * crm.md §A.3: per-record results in {@code data[i]}, {@code {"code","details","message","status"}} errors, the
 * token endpoint's {@code {"error": ...}} (with status 200, as Zoho Accounts answers a bad refresh token).
 */
public final class ZohoFake {

    public static final String CLIENT_ID = "1000.TESTZOHOCLIENTID0000000000000";
    public static final String CLIENT_SECRET = "test-zoho-client-secret";
    public static final String UPSERT = "/crm/v8/Leads/upsert";
    public static final String FIELDS = "/crm/v8/settings/fields";
    public static final String TOKEN = "/oauth/v2/token";

    public static final String INVALID_TOKEN =
            "{\"code\":\"INVALID_TOKEN\",\"details\":{},\"message\":\"invalid oauth token\",\"status\":\"error\"}";
    public static final String TOO_MANY_REQUESTS = "{\"code\":\"TOO_MANY_REQUESTS\",\"details\":{},"
            + "\"message\":\"The number of concurrent requests has exceeded the limit\",\"status\":\"error\"}";
    public static final String INTERNAL_ERROR =
            "{\"code\":\"INTERNAL_ERROR\",\"details\":{},\"message\":\"Internal Server Error\",\"status\":\"error\"}";
    public static final String OAUTH_SCOPE_MISMATCH = "{\"code\":\"OAUTH_SCOPE_MISMATCH\",\"details\":{},"
            + "\"message\":\"invalid oauth scope to access this URL\",\"status\":\"error\"}";

    private final String prefix;

    private ZohoFake(String prefix) {
        this.prefix = prefix;
    }

    public static ZohoFake fresh() {
        return new ZohoFake("/zoho/" + UUID.randomUUID());
    }

    public String apiDomain() {
        return Fakes.baseUrl() + prefix + "/eu-api";
    }

    public String accountsServer() {
        return Fakes.baseUrl() + prefix + "/eu-accounts";
    }

    public String upsertPath() {
        return prefix + "/eu-api" + UPSERT;
    }

    public String tokenPath() {
        return prefix + "/eu-accounts" + TOKEN;
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("content-type", "application/json;charset=UTF-8")
                .withBody(body);
    }

    /** Every upsert with {@code token} is answered so, whatever it carries. */
    public void upsertAnswers(String token, ResponseDefinitionBuilder answer) {
        Fakes.server().stubFor(post(urlPathEqualTo(upsertPath()))
                .withHeader("Authorization", equalTo("Zoho-oauthtoken " + token)).willReturn(answer));
    }

    /** Upserts with {@code token}: the first answered {@code first}, every later one {@code then}. */
    public void upsertAnswersInTurn(String token, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        String scenario = prefix + " upserts";
        Fakes.server().stubFor(post(urlPathEqualTo(upsertPath()))
                .withHeader("Authorization", equalTo("Zoho-oauthtoken " + token))
                .inScenario(scenario).whenScenarioStateIs("Started").willSetStateTo("answered").willReturn(first));
        Fakes.server().stubFor(post(urlPathEqualTo(upsertPath()))
                .withHeader("Authorization", equalTo("Zoho-oauthtoken " + token))
                .inScenario(scenario).whenScenarioStateIs("answered").willReturn(then));
    }

    /** Any other token: 401 INVALID_TOKEN, as Zoho answers an expired or revoked access token. */
    public void refusesOtherTokens() {
        Fakes.server().stubFor(post(urlPathEqualTo(upsertPath())).atPriority(9).willReturn(json(401, INVALID_TOKEN)));
        Fakes.server().stubFor(get(urlPathEqualTo(prefix + "/eu-api" + FIELDS)).atPriority(9)
                .willReturn(json(401, INVALID_TOKEN)));
    }

    /** {@code GET settings/fields?module=Leads} with {@code token} lists these API names. */
    public void leadFields(String token, String... apiNames) {
        String fields = Arrays.stream(apiNames).map(name -> "{\"api_name\":\"" + name + "\",\"field_label\":\""
                + name.replace('_', ' ') + "\",\"data_type\":\"text\",\"id\":\"5725767000000002" + Math.abs(
                name.hashCode() % 1000) + "\",\"custom_field\":" + name.endsWith("_Id") + "}")
                .collect(Collectors.joining(","));
        Fakes.server().stubFor(get(urlPathEqualTo(prefix + "/eu-api" + FIELDS)).withQueryParam("module",
                equalTo("Leads")).withHeader("Authorization", equalTo("Zoho-oauthtoken " + token))
                .willReturn(json(200, "{\"fields\":[" + fields + "]}")));
    }

    /** The token endpoint answers a refresh with {@code refreshToken} so. */
    public void tokenAnswers(String refreshToken, ResponseDefinitionBuilder answer) {
        Fakes.server().stubFor(post(urlPathEqualTo(tokenPath()))
                .withFormParam("refresh_token", equalTo(refreshToken)).willReturn(answer));
    }

    /** A successful refresh: a new hour-long access token for the EU data centre. */
    public static String tokenGranted(String accessToken) {
        return "{\"access_token\":\"" + accessToken + "\",\"scope\":\"ZohoCRM.modules.leads.ALL ZohoCRM.settings"
                + ".fields.READ\",\"api_domain\":\"https://www.zohoapis.eu\",\"token_type\":\"Bearer\","
                + "\"expires_in\":3600}";
    }

    /** {@code {"data":[...]}} of per-record results. */
    public static String data(String... records) {
        return "{\"data\":[" + String.join(",", records) + "]}";
    }

    /** A record written: {@code action} insert ("record added") or update ("record updated"). */
    public static String written(String id, String action) {
        boolean insert = action.equals("insert");
        return "{\"code\":\"SUCCESS\",\"duplicate_field\":" + (insert ? "null" : "\"Email\"") + ",\"action\":\""
                + action + "\",\"details\":{\"Modified_Time\":\"2026-03-07T15:30:06+01:00\",\"Modified_By\":{"
                + "\"name\":\"Ana Admin\",\"id\":\"5725767000000411001\"},\"Created_Time\":\"2026-03-07T15:30:06+01:00\","
                + "\"id\":\"" + id + "\",\"Created_By\":{\"name\":\"Ana Admin\",\"id\":\"5725767000000411001\"}},"
                + "\"message\":\"" + (insert ? "record added" : "record updated") + "\",\"status\":\"success\"}";
    }

    /** A record refused, e.g. {@code MANDATORY_NOT_FOUND} "required field not found" for {@code Last_Name}. */
    public static String refused(String code, String apiName, int index, String message) {
        return "{\"code\":\"" + code + "\",\"details\":{\"api_name\":\"" + apiName + "\",\"json_path\":\"$.data["
                + index + "]." + apiName + "\"},\"message\":\"" + message + "\",\"status\":\"error\"}";
    }

    public List<LoggedRequest> upserts() {
        return Fakes.server().findAll(postRequestedFor(urlPathEqualTo(upsertPath())));
    }

    public List<LoggedRequest> fieldReads() {
        return Fakes.server().findAll(getRequestedFor(urlPathEqualTo(prefix + "/eu-api" + FIELDS)));
    }

    public List<LoggedRequest> refreshes() {
        return Fakes.server().findAll(postRequestedFor(urlPathEqualTo(tokenPath())));
    }

    /** Every request to this fake, any path: what a check must keep to reads. */
    public List<LoggedRequest> writes() {
        return Fakes.server().getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getUrl().startsWith(prefix) && !r.getMethod().getName().equals("GET"))
                .map(LoggedRequest.class::cast).toList();
    }
}
