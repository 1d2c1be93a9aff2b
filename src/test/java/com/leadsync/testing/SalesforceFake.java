package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A Salesforce org on the shared WireMock server ({@link Fakes#server()}), under a prefix of its own
 * ({@code /salesforce/<random>}), answering in the REST API's documented shapes (crm.md §A.2): upsert results
 * ({@code {"id","success","errors","created"}}), error arrays ({@code [{"message","errorCode","fields"}]}, sObject
 * Collections naming the code {@code statusCode}), duplicate-rule results, Lead describe, the OAuth token endpoint.
 * Every answer carries {@code Sforce-Limit-Info}.
 */
public final class SalesforceFake {

    public static final String VERSION = "v62.0";
    public static final String EXTERNAL_ID = "LeadSync_Lead_Id__c";
    public static final String LIMIT_INFO = "api-usage=18/15000";

    /** WireMock's {@code Scenario.STARTED}; that class's name is taken in this package by {@link Scenario}. */
    private static final String SCENARIO_STARTED = "Started";

    private final WireMockServer server = Fakes.server();
    private final String prefix = "/salesforce/" + UUID.randomUUID();

    public String instanceUrl() {
        return Fakes.baseUrl() + prefix;
    }

    /** The login server's base (its token endpoint is {@code /services/oauth2/token} under it). */
    public String loginUrl() {
        return Fakes.baseUrl() + prefix + "/login";
    }

    public String dataPath(String path) {
        return prefix + "/services/data/" + VERSION + path;
    }

    public String upsertPath(String leadId) {
        return dataPath("/sobjects/Lead/" + EXTERNAL_ID + "/" + leadId);
    }

    public String collectionsPath() {
        return dataPath("/composite/sobjects/Lead/" + EXTERNAL_ID);
    }

    public String tokenPath() {
        return prefix + "/login/services/oauth2/token";
    }

    // --- answers ---------------------------------------------------------------------------------------

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=UTF-8")
                .withHeader("Sforce-Limit-Info", LIMIT_INFO).withBody(body);
    }

    public static ResponseDefinitionBuilder created(String id) {
        return json(201, "{\"id\":\"" + id + "\",\"success\":true,\"errors\":[],\"created\":true}");
    }

    public static ResponseDefinitionBuilder updated(String id) {
        return json(200, "{\"id\":\"" + id + "\",\"success\":true,\"errors\":[],\"created\":false}");
    }

    public static ResponseDefinitionBuilder noContent() {
        return aResponse().withStatus(204).withHeader("Sforce-Limit-Info", LIMIT_INFO);
    }

    /** An error array with one entry, as the REST API answers a refused call. */
    public static ResponseDefinitionBuilder error(int status, String errorCode, String message, String... fields) {
        return json(status, "[" + errorEntry("errorCode", errorCode, message, fields) + "]");
    }

    /** The answer to a save an active duplicate rule blocked, naming the matching records. */
    public static ResponseDefinitionBuilder duplicates(String... matchedIds) {
        return json(400, "[" + duplicateEntry("errorCode", matchedIds) + "]");
    }

    /** 300 Multiple Choices: the upsert's external id matched several records; the body lists them. */
    public static ResponseDefinitionBuilder multipleChoices(String... ids) {
        return json(300, List.of(ids).stream().map(id -> "\"/services/data/" + VERSION + "/sobjects/Lead/" + id + "\"")
                .collect(Collectors.joining(",", "[", "]")));
    }

    /** One record's result inside an sObject Collections answer. */
    public static String collectionSuccess(String id, boolean created) {
        return "{\"id\":\"" + id + "\",\"success\":true,\"errors\":[],\"created\":" + created + "}";
    }

    public static String collectionFailure(String statusCode, String message, String... fields) {
        return "{\"success\":false,\"errors\":[" + errorEntry("statusCode", statusCode, message, fields) + "]}";
    }

    public static String collectionDuplicate(String... matchedIds) {
        return "{\"success\":false,\"errors\":[" + duplicateEntry("statusCode", matchedIds) + "]}";
    }

    public static ResponseDefinitionBuilder collectionResults(String... results) {
        return json(200, "[" + String.join(",", results) + "]");
    }

    /** The Lead describe with these fields (plus the usual standard ones); the external id field is marked so. */
    public static ResponseDefinitionBuilder describe(String... extraFields) {
        StringBuilder fields = new StringBuilder();
        for (String name : List.of("Id", "LastName", "FirstName", "Company", "Email", "Phone", "LeadSource",
                "Status", "IsDeleted", "OwnerId")) {
            fields.append(field(name, false)).append(',');
        }
        for (String name : extraFields) {
            fields.append(field(name, name.equals(EXTERNAL_ID))).append(',');
        }
        fields.setLength(fields.length() - 1);
        return json(200, "{\"actionOverrides\":[],\"activateable\":false,\"createable\":true,\"custom\":false,"
                + "\"keyPrefix\":\"00Q\",\"label\":\"Lead\",\"name\":\"Lead\",\"fields\":[" + fields + "],"
                + "\"urls\":{\"describe\":\"/services/data/" + VERSION + "/sobjects/Lead/describe\"}}");
    }

    public static ResponseDefinitionBuilder token(String accessToken, String rotatedRefreshToken, String instanceUrl) {
        return json(200, "{\"access_token\":\"" + accessToken + "\","
                + (rotatedRefreshToken == null ? "" : "\"refresh_token\":\"" + rotatedRefreshToken + "\",")
                + "\"signature\":\"CMJ4l+CCaPQiKjoOEwEig9H4wqhpuLSk4J2urAe+fVg=\",\"scope\":\"refresh_token api\","
                + "\"instance_url\":\"" + instanceUrl + "\",\"id\":\"https://login.salesforce.com/id/00Dxx0000001gPL"
                + "AAQ/005xx000001SwiUAAS\",\"token_type\":\"Bearer\",\"issued_at\":\"1764599000000\"}");
    }

    public static ResponseDefinitionBuilder invalidGrant() {
        return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"expired access/refresh token\"}");
    }

    // --- stubs and what was received ----------------------------------------------------------------

    public void onUpsert(String leadId, ResponseDefinitionBuilder answer) {
        stub(patch(urlPathEqualTo(upsertPath(leadId))), answer);
    }

    /** The upsert answers each of {@code answers} in turn, the last one from then on. */
    public void onUpsertInTurn(String leadId, ResponseDefinitionBuilder... answers) {
        String scenario = prefix + " upsert " + leadId;
        for (int i = 0; i < answers.length; i++) {
            ScenarioMappingBuilder mapping = patch(urlPathEqualTo(upsertPath(leadId))).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? SCENARIO_STARTED : "answer " + i);
            if (i + 1 < answers.length) {
                mapping = mapping.willSetStateTo("answer " + (i + 1));
            }
            stub(mapping, answers[i]);
        }
    }

    /** The upsert answers {@code answer} for requests carrying {@code token}. */
    public void onUpsertWithToken(String leadId, String token, ResponseDefinitionBuilder answer) {
        stub(patch(urlPathEqualTo(upsertPath(leadId))).withHeader("Authorization", equalTo("Bearer " + token)),
                answer);
    }

    /** The upsert answers {@code answer} for requests that override duplicate rules. */
    public void onUpsertAllowingSave(String leadId, ResponseDefinitionBuilder answer) {
        stub(patch(urlPathEqualTo(upsertPath(leadId))).withHeader("Sforce-Duplicate-Rule-Header",
                equalTo("allowSave=true")).atPriority(1), answer);
    }

    public void onRecordUpdate(String recordId, ResponseDefinitionBuilder answer) {
        stub(patch(urlPathEqualTo(dataPath("/sobjects/Lead/" + recordId))), answer);
    }

    public void onCollections(ResponseDefinitionBuilder answer) {
        stub(patch(urlPathEqualTo(collectionsPath())), answer);
    }

    public void onDescribe(ResponseDefinitionBuilder answer) {
        stub(get(urlPathEqualTo(dataPath("/sobjects/Lead/describe"))), answer);
    }

    public void onToken(ResponseDefinitionBuilder answer) {
        stub(post(urlPathEqualTo(tokenPath())), answer);
    }

    /** Every request this org received, oldest first. */
    public List<LoggedRequest> requests() {
        List<LoggedRequest> all = new ArrayList<>(server.findAll(RequestPatternBuilder.allRequests()));
        all.removeIf(r -> !r.getUrl().startsWith(prefix + "/"));
        all.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return all;
    }

    private void stub(MappingBuilder mapping, ResponseDefinitionBuilder answer) {
        server.stubFor(mapping.willReturn(answer));
    }

    private static String errorEntry(String codeName, String code, String message, String... fields) {
        return "{\"message\":\"" + message + "\",\"" + codeName + "\":\"" + code + "\",\"fields\":["
                + List.of(fields).stream().map(f -> "\"" + f + "\"").collect(Collectors.joining(",")) + "]}";
    }

    private static String duplicateEntry(String codeName, String... matchedIds) {
        String records = List.of(matchedIds).stream().map(id -> "{\"additionalInformation\":[],\"fieldDiffs\":[],"
                + "\"matchConfidence\":100.0,\"record\":{\"attributes\":{\"type\":\"Lead\",\"url\":\"/services/data/"
                + VERSION + "/sobjects/Lead/" + id + "\"},\"Id\":\"" + id + "\"}}").collect(Collectors.joining(","));
        return "{\"duplicateResult\":{\"allowSave\":false,\"duplicateRule\":\"Standard_Lead_Duplicate_Rule\","
                + "\"duplicateRuleEntityType\":\"Lead\",\"errorMessage\":\"You're creating a duplicate record. We"
                + " recommend you use an existing record instead.\",\"matchResults\":[{\"entityType\":\"Lead\","
                + "\"errors\":[],\"matchEngine\":\"FuzzyMatchEngine\",\"matchRecords\":[" + records + "],"
                + "\"rule\":\"Standard_Lead_Match_Rule_v1_0\",\"size\":" + matchedIds.length + ",\"success\":true}]},"
                + "\"" + codeName + "\":\"DUPLICATES_DETECTED\","
                + "\"message\":\"Use one of these records?\",\"fields\":[]}";
    }

    private static String field(String name, boolean externalId) {
        return "{\"name\":\"" + name + "\",\"label\":\"" + name + "\",\"type\":\"string\",\"custom\":"
                + name.endsWith("__c") + ",\"externalId\":" + externalId + ",\"unique\":" + externalId
                + ",\"idLookup\":" + (externalId || name.equals("Id") || name.equals("Email")) + ",\"updateable\":"
                + !name.equals("Id") + "}";
    }
}
