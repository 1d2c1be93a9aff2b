package com.leadsync.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.leadsync.crypto.HmacSha256;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * LinkedIn's Marketing API and OAuth endpoint on the shared {@link Fakes#server()}, under the prefixes the
 * {@code %test.} REST-client URLs give them ({@code /linkedin}, {@code /linkedin-oauth}), speaking the shapes
 * of providers.md §3 (error bodies {@code {status, serviceErrorCode, code, message}} included), and the
 * webhook side: notifications signed the ways §3.2 allows.
 */
public final class LinkedInFake {

    public static final String API = "/linkedin/rest";
    public static final String TOKEN_PATH = "/linkedin-oauth/oauth/v2/accessToken";
    public static final String CLIENT_ID = "test-linkedin-client-id";
    public static final String CLIENT_SECRET = "test-linkedin-client-secret";
    public static final String VERSION = "202601";
    public static final String WEBHOOK = "/webhook/linkedin_ads";

    public static final String INVALID_TOKEN = error(401, 65600, "INVALID_ACCESS_TOKEN", "Invalid access token");

    static {
        // Any ad account for a token the fake was not told about: 401, as LinkedIn answers an unknown token.
        Fakes.server().stubFor(get(urlPathMatching(API + "/adAccounts/.*")).atPriority(9)
                .willReturn(json(401, INVALID_TOKEN)));
    }

    private LinkedInFake() {
    }

    /** An ad account connected to a new LeadSync account through {@code POST /connections}. */
    public record Connected(String accountId, String apiKey, String adAccountId, String token) {
    }

    /** LinkedIn's error body (providers.md §3.6). */
    public static String error(int status, int serviceErrorCode, String code, String message) {
        return "{\"status\":" + status + ",\"serviceErrorCode\":" + serviceErrorCode + ",\"code\":\"" + code
                + "\",\"message\":\"" + message + "\"}";
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("content-type", "application/json").withBody(body);
    }

    public static String newAdAccountId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L));
    }

    public static String newToken() {
        return "AQV-linkedin-token-" + UUID.randomUUID();
    }

    public static String newLeadId() {
        return UUID.randomUUID() + "-" + ThreadLocalRandom.current().nextInt(1, 9);
    }

    /** From now on {@code GET /rest/adAccounts/{id}} answers that account for that token. */
    public static void grantAccount(String adAccountId, String token) {
        Fakes.server().stubFor(get(urlPathEqualTo(API + "/adAccounts/" + adAccountId))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .withHeader("LinkedIn-Version", equalTo(VERSION))
                .withHeader("X-Restli-Protocol-Version", equalTo("2.0.0"))
                .willReturn(json(200, adAccount(adAccountId))));
    }

    /** An ad account as {@code /rest/adAccounts/{id}} answers it. */
    public static String adAccount(String adAccountId) {
        return """
                {"test":false,"notifiedOnCreativeRejection":true,"servingStatuses":["RUNNABLE"],"type":"BUSINESS",
                 "version":{"versionTag":"6"},"reference":"urn:li:organization:2414183",
                 "changeAuditStamps":{"created":{"actor":"urn:li:unknown:0","time":1498178296000},
                   "lastModified":{"actor":"urn:li:unknown:0","time":1707347731000}},
                 "name":"Acme Ads","currency":"USD","id":%s,"status":"ACTIVE"}""".formatted(adAccountId);
    }

    /** A new LeadSync account with a new ad account connected by token (the verifier asks the fake). */
    public static Connected connectedAccount() {
        Response r = Scenario.given().header("x-api-key", Scenario.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "LinkedIn " + UUID.randomUUID())).post("/accounts");
        r.then().statusCode(201);
        String adAccountId = newAdAccountId();
        String token = newToken();
        grantAccount(adAccountId, token);
        String apiKey = r.path("apiKey");
        Scenario.given().header("x-api-key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("providerType", "linkedin_ads", "externalId", adAccountId, "accessToken", token))
                .post("/connections").then().statusCode(201);
        return new Connected(r.path("accountId"), apiKey, adAccountId, token);
    }

    /**
     * A {@code leadFormResponses} element as the {@code form:(...)} projection returns it (providers.md §3.3's
     * Postman example, with this lead's ids and email).
     */
    public static String lead(String adAccountId, String leadId, String email, long submittedAtMillis) {
        return withForm(leadWithoutForm(adAccountId, leadId, email, submittedAtMillis, "3162", 1), "3162");
    }

    /** {@code lead} (an element without its form) with form {@code formId} embedded as the projection does. */
    public static String withForm(String lead, String formId) {
        return lead.substring(0, lead.lastIndexOf('}')) + ",\"form\":" + form(formId) + "}";
    }

    /** The element without its {@code form} (as when the projection is not applied). */
    public static String leadWithoutForm(String adAccountId, String leadId, String email, long submittedAtMillis,
            String formId, int formVersion) {
        return """
                {"id":"%s","owner":{"sponsoredAccount":"urn:li:sponsoredAccount:%s"},
                 "submitter":"urn:li:person:Ab1Cd2Ef3G","leadType":"SPONSORED",
                 "versionedLeadGenFormUrn":"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:%s,%d)",
                 "submittedAt":%d,"testLead":false,
                 "leadMetadata":{"sponsoredLeadMetadata":{"campaign":"urn:li:sponsoredCampaign:234567890"}},
                 "associatedEntity":{"associatedCreative":"urn:li:sponsoredCreative:123456789"},
                 "formResponse":{"answers":[
                   {"questionId":1,"answerDetails":{"textQuestionAnswer":{"answer":"Jane"}}},
                   {"questionId":2,"answerDetails":{"textQuestionAnswer":{"answer":"Doe"}}},
                   {"questionId":3,"answerDetails":{"textQuestionAnswer":{"answer":"%s"}}},
                   {"questionId":4,"answerDetails":{"textQuestionAnswer":{"answer":"Acme Inc"}}},
                   {"questionId":5,"answerDetails":{"multipleChoiceAnswer":{"options":[2]}}}],
                  "consentResponses":[{"consentId":4,"accepted":true}]}}"""
                .formatted(leadId, adAccountId, formId, formVersion, submittedAtMillis, email);
    }

    /** A lead form (as {@code /rest/leadForms/{id}} answers it, and as the projection embeds it). */
    public static String form(String formId) {
        return """
                {"id":%s,"name":"Demo request","creationLocale":"en_US","content":{"questions":[
                  {"questionId":1,"name":"firstName","predefinedField":"FIRST_NAME","question":{"localized":{"en_US":"First name"}},"questionDetails":{"textQuestionDetails":{}}},
                  {"questionId":2,"name":"lastName","predefinedField":"LAST_NAME","question":{"localized":{"en_US":"Last name"}},"questionDetails":{"textQuestionDetails":{}}},
                  {"questionId":3,"name":"email","predefinedField":"EMAIL","question":{"localized":{"en_US":"Email address"}},"questionDetails":{"textQuestionDetails":{}}},
                  {"questionId":4,"name":"company","predefinedField":"COMPANY_NAME","question":{"localized":{"en_US":"Company name"}},"questionDetails":{"textQuestionDetails":{}}},
                  {"questionId":5,"name":"budget","question":{"localized":{"en_US":"Monthly budget?"}},
                   "questionDetails":{"multipleChoiceQuestionDetails":{"options":[
                     {"id":1,"text":{"localized":{"en_US":"<$5k"}}},{"id":2,"text":{"localized":{"en_US":"$5k-$10k"}}}]}}}],
                  "legalInfo":{"consents":[{"consentId":4,"checkRequired":false,
                    "consent":{"localized":{"en_US":"Send me product news"}}}]}},
                 "hiddenFields":[{"name":"utm_source","value":"linkedin"}]}""".formatted(formId);
    }

    /** The lead notification of providers.md §3.2 for one lead. */
    public static String notification(String adAccountId, String leadId, String action) {
        return """
                {"type":"LEAD_ACTION","leadGenFormResponse":"urn:li:leadGenFormResponse:%s",
                 "leadGenForm":"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:3162,1)",
                 "owner":{"sponsoredAccount":"urn:li:sponsoredAccount:%s"},
                 "associatedEntity":{"associatedCreative":"urn:li:sponsoredCreative:123456789"},
                 "leadType":"SPONSORED","leadAction":"%s","occurredAt":1762179727123}"""
                .formatted(leadId, adAccountId, action);
    }

    /** {@code hex(HMAC(secret, body))}: one of the three signature forms of providers.md §3.2. */
    public static String signBare(byte[] body, String secret) {
        return HexFormat.of().formatHex(HmacSha256.mac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    /** {@code "hmacsha256=" + hex(HMAC(secret, body))}. */
    public static String signWithPrefix(byte[] body, String secret) {
        return "hmacsha256=" + signBare(body, secret);
    }

    /** {@code hex(HMAC(secret, "hmacsha256=" + body))}. */
    public static String signPrefixedBody(byte[] body, String secret) {
        byte[] prefix = "hmacsha256=".getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        System.arraycopy(body, 0, message, prefix.length, body.length);
        return signBare(message, secret);
    }

    /** {@code POST /webhook/linkedin_ads} signed with the test client secret (bare form). */
    public static Response postWebhook(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return Scenario.given().contentType(ContentType.JSON).header("X-LI-Signature", signBare(bytes, CLIENT_SECRET))
                .body(bytes).post(WEBHOOK);
    }
}
