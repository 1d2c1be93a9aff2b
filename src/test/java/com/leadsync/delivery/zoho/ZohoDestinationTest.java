package com.leadsync.delivery.zoho;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.leadsync.testing.ZohoFake.data;
import static com.leadsync.testing.ZohoFake.json;
import static com.leadsync.testing.ZohoFake.refused;
import static com.leadsync.testing.ZohoFake.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.Destination.BatchItem;
import com.leadsync.delivery.Destination.BatchOutcome;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.Pace;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.model.StoredLead;
import com.leadsync.testing.TestCrmTokens;
import com.leadsync.testing.ZohoFake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Zoho CRM Leads upsert, refresh and field check against {@link ZohoFake}, without Quarkus. */
class ZohoDestinationTest {

    private static final String TOKEN = "1000.0b0d3e1c2a9f8e7d6c5b4a3928171615.a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final String REFRESH = "1000.refresh.9f8e7d6c5b4a39281716150b0d3e1c2a";
    private static final String ID = "5725767000000524157";
    private static final DeliveryContext CONTEXT = new DeliveryContext("msg_ld_0123_dst_1_0");
    private static final OutboundHttp HTTP = new OutboundHttp(Duration.ofSeconds(15));

    private final ObjectMapper json = DestinationTestLeads.json();
    private final ZohoEndpoints endpoints = new ZohoEndpoints(new UrlPolicy(true), true);
    private final ZohoTokenRefresher refresher = new ZohoTokenRefresher(HTTP, endpoints, json, Clock.systemUTC(),
            Optional.of(ZohoFake.CLIENT_ID), Optional.of(ZohoFake.CLIENT_SECRET));
    private final ZohoDestination destination =
            new ZohoDestination(HTTP, endpoints, new TestCrmTokens(Map.of("zoho", refresher)), json);
    private ZohoFake zoho;

    @BeforeEach
    void freshFake() {
        zoho = ZohoFake.fresh();
    }

    @AfterAll
    static void closeClient() {
        HTTP.close();
    }

    private DeliveryTarget target(Map<String, String> extra, Map<String, String> fieldMapping) {
        Map<String, String> config = new HashMap<>();
        config.put("apiDomain", zoho.apiDomain());
        config.put("accountsServer", zoho.accountsServer());
        config.put("accessToken", TOKEN);
        config.put("refreshToken", REFRESH);
        config.putAll(extra);
        return DestinationTestLeads.target("zoho", config, fieldMapping);
    }

    private DeliveryTarget target() {
        return target(Map.of(), Map.of());
    }

    private static StoredLead lead(String email, String lastName, String fullName) {
        StoredLead l = DestinationTestLeads.lead();
        return new StoredLead(l.leadId(), l.accountId(), l.providerType(), l.providerLeadId(), email, l.firstName(),
                lastName, fullName, l.phoneNumber(), l.company(), l.rawFieldData(), l.customFields(), l.receivedAt(),
                l.formId(), l.adId(), l.campaignId(), l.isTest(), l.storedAt());
    }

    private static StoredLead lead(String leadId, String email) {
        StoredLead l = DestinationTestLeads.lead();
        return new StoredLead(leadId, l.accountId(), l.providerType(), l.providerLeadId(), email, l.firstName(),
                l.lastName(), l.fullName(), l.phoneNumber(), l.company(), l.rawFieldData(), l.customFields(),
                l.receivedAt(), l.formId(), l.adId(), l.campaignId(), l.isTest(), l.storedAt());
    }

    private JsonNode body(int upsert) throws Exception {
        return json.readTree(zoho.upserts().get(upsert).getBodyAsString());
    }

    private static BatchItem item(StoredLead lead) {
        return new BatchItem(lead, DeliveryContext.of(lead.leadId(), "dst_1", 0));
    }

    @Test
    void a_new_lead_is_upserted_on_email_with_the_default_mapping_and_reported_created() throws Exception {
        zoho.upsertAnswers(TOKEN, json(201, data(written(ID, "insert"))));

        DeliveryReceipt receipt = destination.send(target(), DestinationTestLeads.lead(), CONTEXT);

        assertThat(receipt.httpStatus()).isEqualTo(201);
        assertThat(receipt.detail()).isEqualTo("Zoho CRM lead " + ID + " created");
        assertThat(zoho.upserts()).singleElement().satisfies(r -> {
            assertThat(r.getHeader("Authorization")).isEqualTo("Zoho-oauthtoken " + TOKEN);
            assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        });
        assertThat(body(0)).isEqualTo(json.readTree("""
                {"data":[{"Email":"ana@example.com","First_Name":"Ana","Last_Name":"García López",
                          "Phone":"+14155550123","Company":"Acme Corp"}],
                 "duplicate_check_fields":["Email"],"trigger":["workflow"]}"""));
    }

    @Test
    void the_same_email_delivered_again_updates_the_record_zoho_matched() throws Exception {
        zoho.upsertAnswersInTurn(TOKEN, json(201, data(written(ID, "insert"))), json(200, data(written(ID, "update"))));

        DeliveryReceipt first = destination.send(target(), DestinationTestLeads.lead(), CONTEXT);
        DeliveryReceipt second = destination.send(target(), DestinationTestLeads.lead(), CONTEXT);

        assertThat(first.detail()).isEqualTo("Zoho CRM lead " + ID + " created");
        assertThat(second.detail()).isEqualTo("Zoho CRM lead " + ID + " updated");
        assertThat(body(1)).isEqualTo(body(0));
    }

    @Test
    void twenty_concurrent_sends_of_one_lead_are_all_the_same_upsert_keyed_on_its_email() throws Exception {
        zoho.upsertAnswers(TOKEN, json(200, data(written(ID, "update"))));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<DeliveryReceipt>> sends = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sends.add(pool.submit(() -> destination.send(target(), DestinationTestLeads.lead(), CONTEXT)));
            }
            for (Future<DeliveryReceipt> send : sends) {
                assertThat(send.get().httpStatus()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        // Each request is an upsert Zoho matches on the same Email: however many arrive, one record.
        assertThat(zoho.upserts()).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(body(i)).isEqualTo(body(0));
            assertThat(body(i).path("duplicate_check_fields").get(0).asText()).isEqualTo("Email");
        }
    }

    @Test
    void a_lead_without_a_last_name_gets_its_full_name_and_else_the_placeholder_as_last_name() throws Exception {
        zoho.upsertAnswers(TOKEN, json(201, data(written(ID, "insert"))));

        destination.send(target(), lead("ana@example.com", null, "Ana María García"), CONTEXT);
        destination.send(target(), lead("ana@example.com", " ", null), CONTEXT);

        assertThat(body(0).path("data").path(0).path("Last_Name").asText()).isEqualTo("Ana María García");
        assertThat(body(1).path("data").path(0).path("Last_Name").asText()).isEqualTo("[not provided]");
    }

    @Test
    void the_field_mapping_overlays_the_default_one_and_can_drop_a_default() throws Exception {
        zoho.upsertAnswers(TOKEN, json(201, data(written(ID, "insert"))));

        destination.send(target(Map.of(), Map.of("customFields.budget", "Budget", "rawFieldData.city", "City",
                "company", "", "providerType", "Lead_Source")), DestinationTestLeads.lead(), CONTEXT);

        assertThat(body(0).path("data").path(0)).isEqualTo(json.readTree("""
                {"Email":"ana@example.com","First_Name":"Ana","Last_Name":"García López","Phone":"+14155550123",
                 "Budget":"5000","City":"Madrid","Lead_Source":"meta_lead_ads"}"""));
    }

    @Test
    void a_lead_id_field_is_written_and_checked_after_email_so_a_lead_without_email_upserts_too() throws Exception {
        zoho.upsertAnswers(TOKEN, json(201, data(written(ID, "insert"))));
        StoredLead noEmail = DestinationTestLeads.withoutEmail();

        destination.send(target(Map.of("leadIdField", "LeadSync_Lead_Id"), Map.of()), noEmail, CONTEXT);

        JsonNode sent = body(0);
        assertThat(sent.path("duplicate_check_fields").toString()).isEqualTo("[\"Email\",\"LeadSync_Lead_Id\"]");
        assertThat(sent.path("data").path(0).path("LeadSync_Lead_Id").asText()).isEqualTo(noEmail.leadId());
        assertThat(sent.path("data").path(0).has("Email")).isFalse();
    }

    @Test
    void a_configured_unique_field_is_the_duplicate_check() throws Exception {
        zoho.upsertAnswers(TOKEN, json(201, data(written(ID, "insert"))));

        destination.send(target(Map.of("duplicateCheckField", "Ad_Lead_Id"), Map.of("leadId", "Ad_Lead_Id")),
                DestinationTestLeads.withoutEmail(), CONTEXT);

        assertThat(body(0).path("duplicate_check_fields").toString()).isEqualTo("[\"Ad_Lead_Id\"]");
        assertThat(body(0).path("data").path(0).path("Ad_Lead_Id").asText())
                .isEqualTo(DestinationTestLeads.lead().leadId());
    }

    @Test
    void a_lead_without_email_is_refused_without_a_call_when_no_lead_id_field_is_configured() {
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(target(), DestinationTestLeads.withoutEmail(), CONTEXT));

        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("has no value for Email").contains("config.leadIdField");
        assertThat(zoho.upserts()).isEmpty();
    }

    @Test
    void a_batch_half_succeeds_and_each_record_keeps_its_own_outcome_in_order() throws Exception {
        zoho.upsertAnswers(TOKEN, json(202, data(written(ID, "insert"),
                refused("MANDATORY_NOT_FOUND", "Lead_Source", 1, "required field not found"),
                written("5725767000000524159", "update"))));

        List<BatchOutcome> outcomes = destination.sendBatch(target(), List.of(item(lead("ld_1", "a@example.com")),
                item(lead("ld_2", "b@example.com")), item(lead("ld_3", null)), item(lead("ld_4", "d@example.com"))));

        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.get(0).receipt().detail()).isEqualTo("Zoho CRM lead " + ID + " created");
        assertThat(outcomes.get(1).failure().kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
        assertThat(outcomes.get(1).failure().getMessage())
                .isEqualTo("Zoho CRM refused the lead: MANDATORY_NOT_FOUND (Lead_Source): required field not found");
        assertThat(outcomes.get(2).failure().getMessage()).contains("has no value for Email");
        assertThat(outcomes.get(3).receipt().detail()).isEqualTo("Zoho CRM lead 5725767000000524159 updated");
        assertThat(zoho.upserts()).hasSize(1);
        assertThat(body(0).path("data").findValuesAsText("Email"))
                .containsExactly("a@example.com", "b@example.com", "d@example.com");
    }

    @Test
    void two_leads_of_one_batch_with_one_email_are_not_upserted_together_the_second_waits_for_the_next_try()
            throws Exception {
        zoho.upsertAnswers(TOKEN, json(202, data(written(ID, "insert"), written("5725767000000524159", "insert"))));

        List<BatchOutcome> outcomes = destination.sendBatch(target(), List.of(item(lead("ld_1", "ana@example.com")),
                item(lead("ld_2", " ANA@example.com")), item(lead("ld_3", "bo@example.com"))));

        assertThat(outcomes.get(0).ok()).isTrue();
        assertThat(outcomes.get(1).failure().kind()).isEqualTo(DeliveryException.Kind.RETRYABLE);
        assertThat(outcomes.get(1).failure().getMessage()).contains("same Zoho record (Email)");
        assertThat(outcomes.get(2).receipt().detail()).isEqualTo("Zoho CRM lead 5725767000000524159 created");
        assertThat(zoho.upserts()).hasSize(1);
        assertThat(body(0).path("data").findValuesAsText("Email")).containsExactly("ana@example.com",
                "bo@example.com");
    }

    @Test
    void a_per_record_rate_limit_is_retried_and_a_duplicate_names_the_existing_record() throws Exception {
        String duplicate = "{\"code\":\"DUPLICATE_DATA\",\"details\":{\"api_name\":\"Phone\",\"json_path\":"
                + "\"$.data[1].Phone\",\"id\":\"5725767000000111111\"},\"message\":\"duplicate data\","
                + "\"status\":\"error\"}";
        zoho.upsertAnswers(TOKEN, json(202, data(ZohoFake.TOO_MANY_REQUESTS, duplicate)));

        List<BatchOutcome> outcomes = destination.sendBatch(target(),
                List.of(item(lead("ld_1", "a@example.com")), item(lead("ld_2", "b@example.com"))));

        assertThat(outcomes.get(0).failure().kind()).isEqualTo(DeliveryException.Kind.RATE_LIMITED);
        assertThat(outcomes.get(1).failure().kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
        assertThat(outcomes.get(1).failure().getMessage()).isEqualTo("Zoho CRM refused the lead: DUPLICATE_DATA "
                + "(Phone): duplicate data (existing record 5725767000000111111)");
    }

    @Test
    void a_single_invalid_record_answered_with_400_is_permanent_with_the_zoho_code() {
        zoho.upsertAnswers(TOKEN, json(400, data(refused("INVALID_DATA", "Email", 0, "invalid data"))));

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(target(), DestinationTestLeads.lead(), CONTEXT));

        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("Zoho CRM refused the lead: INVALID_DATA (Email): invalid data");
    }

    @Test
    void a_refused_request_is_permanent_with_the_zoho_code_and_a_missing_scope_says_which() {
        zoho.upsertAnswers(TOKEN, json(403, ZohoFake.OAUTH_SCOPE_MISMATCH));

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(target(), DestinationTestLeads.lead(), CONTEXT));

        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
        assertThat(e.getMessage()).startsWith("Zoho CRM 403: OAUTH_SCOPE_MISMATCH: invalid oauth scope")
                .contains("ZohoCRM.modules.leads.ALL");
    }

    @Test
    void a_rejected_access_token_is_refreshed_once_at_the_accounts_server_and_the_upsert_sent_again() throws Exception {
        zoho.refusesOtherTokens();
        zoho.tokenAnswers(REFRESH, json(200, ZohoFake.tokenGranted("1000.fresh.token")));
        zoho.upsertAnswers("1000.fresh.token", json(201, data(written(ID, "insert"))));
        DeliveryTarget expired = target(Map.of("accessToken", "1000.expired.token"), Map.of());

        DeliveryReceipt receipt = destination.send(expired, DestinationTestLeads.lead(), CONTEXT);

        assertThat(receipt.detail()).isEqualTo("Zoho CRM lead " + ID + " created");
        assertThat(zoho.upserts()).extracting(r -> r.getHeader("Authorization"))
                .containsExactly("Zoho-oauthtoken 1000.expired.token", "Zoho-oauthtoken 1000.fresh.token");
        assertThat(zoho.refreshes()).singleElement().satisfies(r -> assertThat(form(r.getBodyAsString()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("grant_type", "refresh_token", "refresh_token", REFRESH,
                        "client_id", ZohoFake.CLIENT_ID, "client_secret", ZohoFake.CLIENT_SECRET)));
    }

    @Test
    void a_dead_refresh_token_fails_the_delivery_for_good_saying_the_destination_needs_reauth() {
        zoho.refusesOtherTokens();
        zoho.tokenAnswers(REFRESH, json(200, "{\"error\":\"invalid_code\"}"));

        DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> destination.send(
                target(Map.of("accessToken", "1000.expired.token"), Map.of()), DestinationTestLeads.lead(), CONTEXT));

        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("invalid_code").contains("needs_reauth");
        assertThat(zoho.upserts()).hasSize(1);
    }

    @Test
    void a_429_is_rate_limited_with_zohos_wait_or_ten_seconds() {
        zoho.upsertAnswers(TOKEN, json(429, ZohoFake.TOO_MANY_REQUESTS).withHeader("Retry-After", "3"));
        DeliveryException told = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(target(), DestinationTestLeads.lead(), CONTEXT));
        zoho = ZohoFake.fresh();
        zoho.upsertAnswers(TOKEN, json(429, ZohoFake.TOO_MANY_REQUESTS));
        DeliveryException untold = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(target(), DestinationTestLeads.lead(), CONTEXT));

        assertThat(told.kind()).isEqualTo(DeliveryException.Kind.RATE_LIMITED);
        assertThat(told.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(told.getMessage()).contains("TOO_MANY_REQUESTS");
        assertThat(untold.retryAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void a_5xx_and_a_dropped_connection_are_retryable() {
        zoho.upsertAnswers(TOKEN, json(500, ZohoFake.INTERNAL_ERROR));
        DeliveryException outage = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(target(), DestinationTestLeads.lead(), CONTEXT));
        zoho = ZohoFake.fresh();
        zoho.upsertAnswers(TOKEN, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        DeliveryException reset = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(target(), DestinationTestLeads.lead(), CONTEXT));

        assertThat(outage.kind()).isEqualTo(DeliveryException.Kind.RETRYABLE);
        assertThat(outage.getMessage()).isEqualTo("Zoho CRM 500: INTERNAL_ERROR: Internal Server Error");
        assertThat(reset.kind()).isEqualTo(DeliveryException.Kind.RETRYABLE);
    }

    @Test
    void the_configured_data_centre_api_domain_is_the_one_called() throws Exception {
        ZohoFake us = ZohoFake.fresh();
        us.upsertAnswers(TOKEN, json(201, data(written(ID, "insert"))));
        zoho.upsertAnswers(TOKEN, json(201, data(written(ID, "insert"))));

        destination.send(target(), DestinationTestLeads.lead(), CONTEXT);

        assertThat(zoho.upserts()).hasSize(1);
        assertThat(us.upserts()).isEmpty();
    }

    @Test
    void triggers_are_configurable_and_an_empty_list_runs_none() throws Exception {
        zoho.upsertAnswers(TOKEN, json(201, data(written(ID, "insert"))));

        destination.send(target(Map.of("trigger", ""), Map.of()), DestinationTestLeads.lead(), CONTEXT);
        destination.send(target(Map.of("trigger", "workflow, blueprint"), Map.of()), DestinationTestLeads.lead(),
                CONTEXT);

        assertThat(body(0).path("trigger").toString()).isEqualTo("[]");
        assertThat(body(1).path("trigger").toString()).isEqualTo("[\"workflow\",\"blueprint\"]");
    }

    @Test
    void the_check_reads_the_lead_fields_reports_unknown_mapped_ones_and_writes_nothing() throws Exception {
        zoho.leadFields(TOKEN, "Email", "First_Name", "Last_Name", "Phone", "Company", "City");

        CheckReport report = destination.check(target(Map.of("leadIdField", "LeadSync_Lead_Id"),
                Map.of("customFields.budget", "Budget", "rawFieldData.city", "City")));

        assertThat(report.ok()).isFalse();
        assertThat(report.unknownFields()).containsExactlyInAnyOrder("Budget", "LeadSync_Lead_Id");
        assertThat(report.message()).contains("Zoho CRM").contains("Budget");
        assertThat(zoho.fieldReads()).singleElement()
                .satisfies(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Zoho-oauthtoken " + TOKEN));
        assertThat(zoho.writes()).isEmpty();
    }

    @Test
    void the_check_passes_when_every_mapped_field_exists_and_refreshes_a_rejected_token() throws Exception {
        zoho.refusesOtherTokens();
        zoho.tokenAnswers(REFRESH, json(200, ZohoFake.tokenGranted("1000.fresh.check")));
        zoho.leadFields("1000.fresh.check", "Email", "First_Name", "Last_Name", "Phone", "Company");

        CheckReport report = destination.check(target(Map.of("accessToken", "1000.expired"), Map.of()));

        assertThat(report.ok()).isTrue();
        assertThat(report.unknownFields()).isEmpty();
        assertThat(zoho.fieldReads()).hasSize(2);
    }

    @Test
    void zohos_cap_is_concurrency_five_by_default_or_as_configured_with_no_rate_window() {
        Pace standard = destination.pace(target());
        Pace enterprise = destination.pace(target(Map.of("concurrency", "20"), Map.of()));

        assertThat(standard.concurrent()).isEqualTo(5);
        assertThat(standard.requests()).isZero();
        assertThat(enterprise.concurrent()).isEqualTo(20);
        assertThat(destination.maxBatchSize(target())).isEqualTo(100);
        assertThat(destination.secretKeys()).containsExactlyInAnyOrder("accessToken", "refreshToken");
    }

    @Test
    void validation_names_each_bad_config_value() {
        DeliveryTarget bad = DestinationTestLeads.target("zoho", Map.of("apiDomain", "ftp://www.zohoapis.eu",
                "refreshToken", "1000.r", "duplicateCheckField", "E-mail", "trigger", "workflow,webhook",
                "concurrency", "40"), Map.of());

        assertThat(destination.validate(bad)).containsExactlyInAnyOrder(
                "config.apiDomain must be an http(s) URL (the api_domain of the Zoho data centre, e.g. https://www.zohoapis.eu)",
                "config.accountsServer is required (the accounts server of the Zoho data centre, e.g. https://accounts.zoho.eu)",
                "config.accessToken is required (a Zoho OAuth access token)",
                "config.duplicateCheckField must be a Zoho field API name (letters, digits, _), e.g. Email",
                "config.trigger: unknown trigger 'webhook'; use a comma-separated list of workflow, approval, "
                        + "blueprint (empty: none)",
                "config.concurrency must be a whole number from 1 to 25 (Zoho's concurrent-call cap of the org's edition)");
        assertThat(destination.validate(target())).isEmpty();
        assertThat(destination.validate(target(Map.of("duplicateCheckField", " ", "leadIdField", ""), Map.of())))
                .isEmpty();
    }

    private static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }
}
