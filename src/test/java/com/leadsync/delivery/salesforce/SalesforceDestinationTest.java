package com.leadsync.delivery.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.leadsync.testing.SalesforceFake.EXTERNAL_ID;
import static com.leadsync.testing.SalesforceFake.collectionDuplicate;
import static com.leadsync.testing.SalesforceFake.collectionFailure;
import static com.leadsync.testing.SalesforceFake.collectionResults;
import static com.leadsync.testing.SalesforceFake.collectionSuccess;
import static com.leadsync.testing.SalesforceFake.created;
import static com.leadsync.testing.SalesforceFake.describe;
import static com.leadsync.testing.SalesforceFake.duplicates;
import static com.leadsync.testing.SalesforceFake.error;
import static com.leadsync.testing.SalesforceFake.invalidGrant;
import static com.leadsync.testing.SalesforceFake.multipleChoices;
import static com.leadsync.testing.SalesforceFake.noContent;
import static com.leadsync.testing.SalesforceFake.token;
import static com.leadsync.testing.SalesforceFake.updated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryException.Kind;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.Destination.BatchItem;
import com.leadsync.delivery.Destination.BatchOutcome;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.Pace;
import com.leadsync.delivery.Placeholders;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.StoredLead;
import com.leadsync.testing.SalesforceFake;
import com.leadsync.testing.TestCrmTokens;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Salesforce destination against a WireMock org speaking the REST API's shapes (no Quarkus needed). */
class SalesforceDestinationTest {

    private static final String OLD_TOKEN = "00Dxx0000001gPL!AQ4AQFnvVvQ.old";
    private static final String NEW_TOKEN = "00Dxx0000001gPL!AQ4AQBx3Rt9.new";
    private static final String REFRESH_TOKEN = "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJrVy1Jr";
    private static final String RECORD_ID = "00Q5g00000AbCdEEAV";
    private static final DeliveryContext CONTEXT = new DeliveryContext("msg_ld_1_dst_1_0");

    private final ObjectMapper json = DestinationTestLeads.json();
    private final OutboundHttp http = new OutboundHttp(Duration.ofSeconds(15));
    private final UrlPolicy urlPolicy = new UrlPolicy(true);
    private final StoredLead lead = DestinationTestLeads.lead();
    private SalesforceFake org;
    private SalesforceTokenRefresher refresher;
    private TestCrmTokens tokens;
    private SalesforceDestination destination;

    @BeforeEach
    void start() {
        org = new SalesforceFake();
        refresher = new SalesforceTokenRefresher(http, urlPolicy, json, Optional.of("3MVG9test.client.id"),
                Optional.of("test-client-secret"), true);
        tokens = new TestCrmTokens(Map.of("salesforce", refresher));
        destination = new SalesforceDestination(http, urlPolicy, tokens, json, true);
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private DeliveryTarget target(Map<String, String> extra, Map<String, String> fieldMapping) {
        Map<String, String> config = new HashMap<>();
        config.put("instanceUrl", org.instanceUrl());
        config.put("loginUrl", org.loginUrl());
        config.put("accessToken", OLD_TOKEN);
        config.put("refreshToken", REFRESH_TOKEN);
        config.putAll(extra);
        return DestinationTestLeads.target("salesforce", config, fieldMapping);
    }

    private DeliveryTarget target() {
        return target(Map.of(), Map.of());
    }

    private JsonNode body(LoggedRequest request) throws Exception {
        return json.readTree(request.getBodyAsString());
    }

    private static StoredLead nameless(String fullName) {
        StoredLead l = DestinationTestLeads.lead();
        return new StoredLead(l.leadId(), l.accountId(), l.providerType(), l.providerLeadId(), l.email(), l.firstName(),
                null, fullName, l.phoneNumber(), null, l.rawFieldData(), l.customFields(), l.receivedAt(), l.formId(),
                l.adId(), l.campaignId(), l.isTest(), l.storedAt());
    }

    @Test
    void a_new_lead_is_created_by_an_upsert_on_the_external_id_with_the_mapped_fields() throws Exception {
        org.onUpsert(lead.leadId(), created(RECORD_ID));

        DeliveryReceipt receipt = destination.send(target(), lead, CONTEXT);

        assertThat(receipt.httpStatus()).isEqualTo(201);
        assertThat(receipt.detail()).isEqualTo("Salesforce lead " + RECORD_ID + " created (api-usage=18/15000)");
        List<LoggedRequest> requests = org.requests();
        assertThat(requests).hasSize(1);
        LoggedRequest upsert = requests.get(0);
        assertThat(upsert.getMethod().getName()).isEqualTo("PATCH");
        assertThat(upsert.getUrl()).isEqualTo(org.upsertPath(lead.leadId()));
        assertThat(upsert.getHeader("Authorization")).isEqualTo("Bearer " + OLD_TOKEN);
        assertThat(upsert.getHeader("Content-Type")).startsWith("application/json");
        assertThat(equalToJson("""
                {"Email":"ana@example.com","FirstName":"Ana","LastName":"García López","Phone":"+14155550123",
                 "Company":"Acme Corp"}""").match(upsert.getBodyAsString()).isExactMatch()).isTrue();
    }

    @Test
    void an_existing_lead_is_updated_whether_salesforce_answers_204_or_200() throws Exception {
        org.onUpsertInTurn(lead.leadId(), noContent(), updated(RECORD_ID));

        DeliveryReceipt old = destination.send(target(), lead, CONTEXT);
        DeliveryReceipt current = destination.send(target(), lead, CONTEXT);

        assertThat(old.httpStatus()).isEqualTo(204);
        assertThat(old.detail()).isEqualTo("Salesforce lead " + EXTERNAL_ID + "=" + lead.leadId()
                + " updated (api-usage=18/15000)");
        assertThat(current.httpStatus()).isEqualTo(200);
        assertThat(current.detail()).startsWith("Salesforce lead " + RECORD_ID + " updated");
    }

    @Test
    void a_lead_without_last_name_or_company_gets_the_contract_placeholders() throws Exception {
        org.onUpsert(lead.leadId(), created(RECORD_ID));

        destination.send(target(), nameless("Ana García López"), CONTEXT);
        destination.send(target(), nameless(null), CONTEXT);

        List<LoggedRequest> requests = org.requests();
        assertThat(body(requests.get(0)).path("LastName").asText()).isEqualTo("Ana García López");
        assertThat(body(requests.get(0)).path("Company").asText()).isEqualTo(Placeholders.NOT_PROVIDED);
        assertThat(body(requests.get(1)).path("LastName").asText()).isEqualTo(Placeholders.NOT_PROVIDED);
    }

    @Test
    void a_custom_mapping_adds_and_drops_fields_and_never_sends_the_key_in_the_body() throws Exception {
        org.onUpsert(lead.leadId(), created(RECORD_ID));
        Map<String, String> mapping = Map.of("customFields.budget", "Budget__c", "providerType", "LeadSource",
                "phoneNumber", "", "fullName", "LastName");

        destination.send(target(Map.of(), mapping), lead, CONTEXT);

        assertThat(equalToJson("""
                {"Email":"ana@example.com","FirstName":"Ana","LastName":"Ana García López","Company":"Acme Corp",
                 "Budget__c":"5000","LeadSource":"meta_lead_ads"}""")
                .match(org.requests().get(0).getBodyAsString()).isExactMatch()).isTrue();
    }

    @Test
    void several_leads_with_the_same_external_id_fail_permanently() {
        org.onUpsert(lead.leadId(), multipleChoices("00Q5g00000AAAAAEA1", "00Q5g00000BBBBBEA1"));

        DeliveryException e = catchThrowableOfType(() -> destination.send(target(), lead, CONTEXT),
                DeliveryException.class);

        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e.httpStatus()).isEqualTo(300);
        assertThat(e.getMessage()).startsWith("several Salesforce leads have " + EXTERNAL_ID + " = " + lead.leadId())
                .contains("00Q5g00000AAAAAEA1");
    }

    @Test
    void a_duplicate_rule_match_is_resolved_by_updating_the_matched_lead_and_giving_it_the_external_id()
            throws Exception {
        org.onUpsert(lead.leadId(), duplicates(RECORD_ID, "00Q5g00000ZZZZZEA1"));
        org.onRecordUpdate(RECORD_ID, noContent());

        DeliveryReceipt receipt = destination.send(target(), lead, CONTEXT);

        assertThat(receipt.httpStatus()).isEqualTo(204);
        assertThat(receipt.detail()).startsWith("Salesforce lead " + RECORD_ID + " updated (matched by a duplicate rule)");
        LoggedRequest update = org.requests().get(1);
        assertThat(update.getMethod().getName()).isEqualTo("PATCH");
        assertThat(update.getUrl()).isEqualTo(org.dataPath("/sobjects/Lead/" + RECORD_ID));
        assertThat(body(update).path(EXTERNAL_ID).asText()).isEqualTo(lead.leadId());
        assertThat(body(update).path("Email").asText()).isEqualTo("ana@example.com");
    }

    @Test
    void a_duplicate_rule_match_is_saved_anyway_with_allow_save_when_configured() throws Exception {
        org.onUpsert(lead.leadId(), duplicates(RECORD_ID));
        org.onUpsertAllowingSave(lead.leadId(), created("00Q5g00000NEWWWEA1"));

        DeliveryReceipt receipt = destination.send(target(Map.of("duplicateRule", "allowSave"), Map.of()), lead,
                CONTEXT);

        assertThat(receipt.detail()).startsWith("Salesforce lead 00Q5g00000NEWWWEA1 created");
        List<LoggedRequest> requests = org.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).getHeader("Sforce-Duplicate-Rule-Header")).isNull();
        assertThat(requests.get(1).getHeader("Sforce-Duplicate-Rule-Header")).isEqualTo("allowSave=true");
        assertThat(requests.get(1).getUrl()).isEqualTo(org.upsertPath(lead.leadId()));
    }

    @Test
    void a_duplicate_rule_match_fails_permanently_naming_the_match_when_configured_to_fail() {
        org.onUpsert(lead.leadId(), duplicates(RECORD_ID));

        DeliveryException e = catchThrowableOfType(
                () -> destination.send(target(Map.of("duplicateRule", "fail"), Map.of()), lead, CONTEXT),
                DeliveryException.class);

        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e.getMessage()).contains("DUPLICATES_DETECTED").contains(RECORD_ID);
        assertThat(org.requests()).hasSize(1);
    }

    @Test
    void a_locked_row_is_retryable_and_the_next_attempt_goes_through() throws Exception {
        org.onUpsertInTurn(lead.leadId(),
                error(400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records: "
                        + RECORD_ID), created(RECORD_ID));

        DeliveryException e = catchThrowableOfType(() -> destination.send(target(), lead, CONTEXT),
                DeliveryException.class);
        DeliveryReceipt retried = destination.send(target(), lead, CONTEXT);

        assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(e.getMessage()).contains("UNABLE_TO_LOCK_ROW");
        assertThat(retried.httpStatus()).isEqualTo(201);
    }

    @Test
    void request_limit_exceeded_is_rate_limited_longer_when_the_daily_allocation_is_spent() throws Exception {
        org.onUpsertInTurn(lead.leadId(),
                error(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."),
                error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
                created(RECORD_ID));

        DeliveryException concurrency = catchThrowableOfType(() -> destination.send(target(), lead, CONTEXT),
                DeliveryException.class);
        DeliveryException daily = catchThrowableOfType(() -> destination.send(target(), lead, CONTEXT),
                DeliveryException.class);
        DeliveryReceipt retried = destination.send(target(), lead, CONTEXT);

        assertThat(concurrency.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(concurrency.retryAfter()).isEqualTo(SalesforceErrors.CONCURRENCY_LIMIT_WAIT);
        assertThat(daily.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(daily.retryAfter()).isEqualTo(SalesforceErrors.DAILY_LIMIT_WAIT);
        assertThat(daily.getMessage()).contains("REQUEST_LIMIT_EXCEEDED");
        assertThat(concurrency.destinationPaused()).isFalse();
        assertThat(daily.destinationPaused()).as("a spent 24 h allocation parks the destination").isTrue();
        assertThat(retried.httpStatus()).isEqualTo(201);
    }

    @Test
    void an_expired_session_is_refreshed_once_and_the_upsert_sent_again_with_the_new_token() throws Exception {
        org.onUpsertWithToken(lead.leadId(), OLD_TOKEN, error(401, "INVALID_SESSION_ID", "Session expired or invalid"));
        org.onUpsertWithToken(lead.leadId(), NEW_TOKEN, created(RECORD_ID));
        org.onToken(token(NEW_TOKEN, null, org.instanceUrl()));

        DeliveryReceipt receipt = destination.send(target(), lead, CONTEXT);

        assertThat(receipt.httpStatus()).isEqualTo(201);
        assertThat(tokens.refreshes()).isEqualTo(1);
        List<LoggedRequest> requests = org.requests();
        assertThat(requests).extracting(LoggedRequest::getUrl)
                .containsExactly(org.upsertPath(lead.leadId()), org.tokenPath(), org.upsertPath(lead.leadId()));
        LoggedRequest refresh = requests.get(1);
        assertThat(refresh.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(refresh.getBodyAsString()).isEqualTo("grant_type=refresh_token&client_id=3MVG9test.client.id"
                + "&client_secret=test-client-secret&refresh_token=" + REFRESH_TOKEN);
    }

    @Test
    void a_refresh_keeps_a_rotated_refresh_token_and_leaves_the_expiry_unknown() {
        org.onToken(token(NEW_TOKEN, "5Aep861rotated", org.instanceUrl()));

        RefreshedTokens refreshed = refresher.refresh(REFRESH_TOKEN, target().config());

        assertThat(refreshed.accessToken()).isEqualTo(NEW_TOKEN);
        assertThat(refreshed.refreshToken()).isEqualTo("5Aep861rotated");
        assertThat(refreshed.expiresAt()).isNull();
    }

    @Test
    void a_dead_refresh_token_is_a_revoked_grant_and_fails_the_delivery_for_good() {
        org.onToken(invalidGrant());
        org.onUpsert(lead.leadId(), error(401, "INVALID_SESSION_ID", "Session expired or invalid"));

        GrantRevoked revoked = catchThrowableOfType(() -> refresher.refresh(REFRESH_TOKEN, target().config()),
                GrantRevoked.class);
        DeliveryException e = catchThrowableOfType(() -> destination.send(target(), lead, CONTEXT),
                DeliveryException.class);

        assertThat(revoked.getMessage()).contains("invalid_grant").contains("expired access/refresh token");
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e.getMessage()).contains("invalid_grant");
    }

    @Test
    void the_refresher_sends_no_client_secret_to_a_login_host_that_is_not_salesforce() {
        SalesforceTokenRefresher strict = new SalesforceTokenRefresher(http, urlPolicy, json,
                Optional.of("3MVG9test.client.id"), Optional.of("test-client-secret"), false);

        ProviderCallException e = catchThrowableOfType(() -> strict.refresh(REFRESH_TOKEN,
                Map.of("loginUrl", "https://collector.example.net", "instanceUrl", org.instanceUrl())),
                ProviderCallException.class);

        assertThat(e.kind()).isEqualTo(ProviderCallException.Kind.INVALID);
        assertThat(e.getMessage()).contains("collector.example.net");
    }

    @Test
    void other_refusals_are_permanent_with_salesforce_s_error_code_in_the_message() {
        org.onUpsertInTurn(lead.leadId(),
                error(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Company]", "Company"),
                error(400, "INVALID_FIELD", "No such column 'Budget__c' on sobject of type Lead"));

        DeliveryException missing = catchThrowableOfType(() -> destination.send(target(), lead, CONTEXT),
                DeliveryException.class);
        DeliveryException invalid = catchThrowableOfType(() -> destination.send(target(), lead, CONTEXT),
                DeliveryException.class);

        assertThat(missing.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(missing.getMessage()).isEqualTo("Salesforce 400: REQUIRED_FIELD_MISSING: Required fields are"
                + " missing: [Company] (fields: Company)");
        assertThat(invalid.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(invalid.getMessage()).contains("INVALID_FIELD");
    }

    @Test
    void server_errors_and_unreachable_orgs_are_retryable() throws Exception {
        org.onUpsert(lead.leadId(), error(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable"));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        DeliveryException unavailable = catchThrowableOfType(() -> destination.send(target(), lead, CONTEXT),
                DeliveryException.class);
        DeliveryException unreachable = catchThrowableOfType(() -> destination.send(
                target(Map.of("instanceUrl", "http://127.0.0.1:" + closedPort), Map.of()), lead, CONTEXT),
                DeliveryException.class);

        assertThat(unavailable.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(unavailable.httpStatus()).isEqualTo(503);
        assertThat(unreachable.kind()).isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void a_half_failed_collections_batch_reports_each_lead_in_order_and_resolves_its_duplicate() throws Exception {
        StoredLead first = lead;
        StoredLead second = withId(lead, "ld_second000000000000000000000000");
        StoredLead third = withId(lead, "ld_third0000000000000000000000000");
        org.onCollections(collectionResults(collectionSuccess("00Q5g00000FIRSTEA1", true),
                collectionFailure("REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", "LastName"),
                collectionDuplicate(RECORD_ID)));
        org.onRecordUpdate(RECORD_ID, noContent());

        List<BatchOutcome> outcomes = destination.sendBatch(target(), List.of(new BatchItem(first, CONTEXT),
                new BatchItem(second, CONTEXT), new BatchItem(third, CONTEXT)));

        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(0).ok()).isTrue();
        assertThat(outcomes.get(0).receipt().detail()).startsWith("Salesforce lead 00Q5g00000FIRSTEA1 created");
        assertThat(outcomes.get(1).ok()).isFalse();
        assertThat(outcomes.get(1).failure().kind()).isEqualTo(Kind.PERMANENT);
        assertThat(outcomes.get(1).failure().getMessage()).contains("REQUIRED_FIELD_MISSING");
        assertThat(outcomes.get(2).ok()).isTrue();
        assertThat(outcomes.get(2).receipt().detail()).contains(RECORD_ID).contains("duplicate rule");

        List<LoggedRequest> requests = org.requests();
        assertThat(requests.get(0).getUrl()).isEqualTo(org.collectionsPath());
        JsonNode sent = body(requests.get(0));
        assertThat(sent.path("allOrNone").asBoolean(true)).isFalse();
        assertThat(sent.path("records")).hasSize(3);
        assertThat(sent.path("records").get(1).path("attributes").path("type").asText()).isEqualTo("Lead");
        assertThat(sent.path("records").get(1).path(EXTERNAL_ID).asText()).isEqualTo(second.leadId());
        assertThat(body(requests.get(1)).path(EXTERNAL_ID).asText()).isEqualTo(third.leadId());
    }

    @Test
    void a_collections_request_refused_as_a_whole_fails_every_lead_at_once() {
        org.onCollections(error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));

        DeliveryException e = catchThrowableOfType(() -> destination.sendBatch(target(), List.of(
                new BatchItem(lead, CONTEXT), new BatchItem(withId(lead, "ld_other"), CONTEXT))),
                DeliveryException.class);

        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    }

    @Test
    void the_check_reports_mapped_fields_the_org_lacks_and_creates_nothing() throws Exception {
        org.onDescribe(describe(EXTERNAL_ID));

        CheckReport report = destination.check(target(Map.of(), Map.of("customFields.budget", "Budget__c")));

        assertThat(report.ok()).isFalse();
        assertThat(report.unknownFields()).containsExactly("Budget__c");
        assertThat(org.requests()).extracting(r -> r.getMethod().getName()).containsOnly("GET");
    }

    @Test
    void the_check_passes_when_every_mapped_field_and_the_external_id_exist() throws Exception {
        org.onDescribe(describe(EXTERNAL_ID, "Budget__c"));

        CheckReport report = destination.check(target(Map.of(), Map.of("customFields.budget", "budget__c")));

        assertThat(report.ok()).isTrue();
        assertThat(report.unknownFields()).isEmpty();
    }

    @Test
    void the_check_names_a_missing_external_id_field() throws Exception {
        org.onDescribe(describe());

        CheckReport report = destination.check(target());

        assertThat(report.unknownFields()).containsExactly(EXTERNAL_ID);
    }

    @Test
    void twenty_concurrent_deliveries_of_one_lead_all_upsert_the_same_external_id() throws Exception {
        org.onUpsertInTurn(lead.leadId(), created(RECORD_ID), updated(RECORD_ID));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<DeliveryReceipt>> sends = new ArrayList<>();
        try {
            List<Callable<DeliveryReceipt>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> destination.send(target(), lead, CONTEXT));
            }
            sends.addAll(pool.invokeAll(calls));
        } finally {
            pool.shutdown();
        }

        for (Future<DeliveryReceipt> send : sends) {
            assertThat(send.get().detail()).contains(RECORD_ID);
        }
        assertThat(org.requests()).hasSize(20).allSatisfy(r -> {
            assertThat(r.getMethod().getName()).isEqualTo("PATCH");
            assertThat(r.getUrl()).isEqualTo(org.upsertPath(lead.leadId()));
        });
    }

    @Test
    void it_declares_batches_of_200_and_twenty_concurrent_requests() {
        assertThat(destination.maxBatchSize(target())).isEqualTo(200);
        Pace pace = destination.pace(target());
        assertThat(pace.concurrent()).isEqualTo(20);
        assertThat(pace.requests()).isZero();
    }

    @Test
    void a_config_is_validated_with_a_sentence_per_problem() throws Exception {
        InetAddress publicAddress = InetAddress.getByAddress(new byte[] {13, 110, 54, 10});
        UrlPolicy strictPolicy = new UrlPolicy(false, host -> new InetAddress[] {publicAddress});
        SalesforceDestination strict = new SalesforceDestination(http, strictPolicy, tokens, json, false);

        assertThat(strict.validate(DestinationTestLeads.target("salesforce", Map.of(
                "instanceUrl", "https://acme.my.salesforce.com", "accessToken", OLD_TOKEN), Map.of()))).isEmpty();
        assertThat(strict.validate(DestinationTestLeads.target("salesforce", Map.of(), Map.of())))
                .anySatisfy(p -> assertThat(p).startsWith("config.instanceUrl is required"))
                .anySatisfy(p -> assertThat(p).startsWith("config.accessToken is required"));
        assertThat(strict.validate(DestinationTestLeads.target("salesforce", Map.of(
                "instanceUrl", "http://acme.my.salesforce.com", "loginUrl", "https://login.example.net",
                "accessToken", OLD_TOKEN, "apiVersion", "62", "externalIdField", "Lead Id",
                "duplicateRule", "merge"), Map.of("leadId", "LeadSync_Lead_Id__c", "email", "E-mail"))))
                .containsExactlyInAnyOrder(
                        "config.instanceUrl must be an https:// URL, got 'http://acme.my.salesforce.com'",
                        "config.loginUrl: must be a Salesforce login host (login.salesforce.com, test.salesforce.com"
                                + " or the org's *.my.salesforce.com), got 'login.example.net'",
                        "config.externalIdField must be the API name of a Lead field marked External ID (e.g."
                                + " LeadSync_Lead_Id__c), got 'Lead Id'",
                        "config.apiVersion must look like v62.0 (at least v46.0), got '62'",
                        "config.duplicateRule must be update, allowSave or fail, got 'merge'",
                        "fieldMapping: 'E-mail' (for email) is not a Salesforce field API name");
        assertThat(strict.validate(DestinationTestLeads.target("salesforce", Map.of(
                "instanceUrl", "https://acme.my.salesforce.com", "accessToken", OLD_TOKEN, "apiVersion", "v45.0"),
                Map.of("leadId", "LeadSync_Lead_Id__c"))))
                .containsExactlyInAnyOrder("config.apiVersion must be v46.0 or later, got 'v45.0'",
                        "fieldMapping: leadId maps to LeadSync_Lead_Id__c, which LeadSync sets itself (the upsert key)");
    }

    private static StoredLead withId(StoredLead l, String leadId) {
        return new StoredLead(leadId, l.accountId(), l.providerType(), l.providerLeadId(), l.email(), l.firstName(),
                l.lastName(), l.fullName(), l.phoneNumber(), l.company(), l.rawFieldData(), l.customFields(),
                l.receivedAt(), l.formId(), l.adId(), l.campaignId(), l.isTest(), l.storedAt());
    }
}
