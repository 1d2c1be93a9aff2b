package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.Destination.BatchItem;
import com.leadsync.delivery.Destination.BatchOutcome;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.delivery.salesforce.SalesforceDestination;
import com.leadsync.delivery.salesforce.SalesforceTokenRefresher;
import com.leadsync.model.StoredLead;
import com.leadsync.testing.TestCrmTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local Salesforce org, served over HTTP as local mode routes it, with the real destination and refresher
 * sending to it: what a user of local mode sees.
 */
class LocalSalesforceFakeTest {

    private static final String CLIENT_ID = "local-salesforce-client-id";
    private static final String CLIENT_SECRET = "local-salesforce-client-secret";
    private static final DeliveryContext CONTEXT = new DeliveryContext("msg_local");

    private final ObjectMapper json = DestinationTestLeads.json();
    private final OutboundHttp http = new OutboundHttp(Duration.ofSeconds(15));
    private final UrlPolicy urlPolicy = new UrlPolicy(true);
    private Vertx vertx;
    private String base;
    private SalesforceTokenRefresher refresher;
    private TestCrmTokens tokens;
    private SalesforceDestination destination;

    @BeforeEach
    void serve() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/_local/*").order(-200).handler(BodyHandler.create()); // as LocalFakes routes it
        new LocalSalesforceFake(Set.of("local-salesforce-token"), Set.of("local-salesforce-refresh-token"),
                Optional.of(CLIENT_ID), Optional.of(CLIENT_SECRET), Clock.systemUTC(), json).routes(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort() + "/_local/salesforce";
        refresher = new SalesforceTokenRefresher(http, urlPolicy, json, Optional.of(CLIENT_ID),
                Optional.of(CLIENT_SECRET), true);
        tokens = new TestCrmTokens(Map.of("salesforce", refresher));
        destination = new SalesforceDestination(http, urlPolicy, tokens, json, true);
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private DeliveryTarget target(String accessToken, Map<String, String> mapping) {
        Map<String, String> config = new HashMap<>();
        config.put("instanceUrl", base);
        config.put("loginUrl", base);
        config.put("accessToken", accessToken);
        config.put("refreshToken", "local-salesforce-refresh-token");
        return DestinationTestLeads.target("salesforce", config, mapping);
    }

    private JsonNode leads() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "/leads")).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    @Test
    void a_lead_delivered_twice_arrives_once_with_its_fields_and_external_id() throws Exception {
        StoredLead lead = DestinationTestLeads.withoutEmail();

        DeliveryReceipt first = destination.send(target("local-salesforce-token", Map.of()), lead, CONTEXT);
        DeliveryReceipt again = destination.send(target("local-salesforce-token", Map.of()), lead, CONTEXT);

        assertThat(first.httpStatus()).isEqualTo(201);
        assertThat(first.detail()).contains("created").contains("api-usage=1/15000");
        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(again.detail()).contains("updated");
        JsonNode org = leads();
        assertThat(org.path("totalSize").asInt()).isEqualTo(1);
        JsonNode record = org.path("records").get(0);
        assertThat(record.path("LeadSync_Lead_Id__c").asText()).isEqualTo(lead.leadId());
        assertThat(record.path("LastName").asText()).isEqualTo("García López");
        assertThat(record.path("Company").asText()).isEqualTo("[not provided]");
        assertThat(record.has("Email")).isFalse();
    }

    @Test
    void a_batch_upserts_each_lead_and_refuses_an_unknown_field_per_record() throws Exception {
        StoredLead a = DestinationTestLeads.lead();
        StoredLead b = new StoredLead("ld_b", a.accountId(), a.providerType(), "2", "b@example.com", "Bo", "Berg",
                null, null, "Beta", Map.of(), Map.of(), a.receivedAt(), null, null, null, false, a.storedAt());

        List<BatchOutcome> outcomes = destination.sendBatch(target("local-salesforce-token", Map.of()),
                List.of(new BatchItem(a, CONTEXT), new BatchItem(b, CONTEXT)));
        List<BatchOutcome> unknown = destination.sendBatch(
                target("local-salesforce-token", Map.of("customFields.budget", "Budget__c")),
                List.of(new BatchItem(a, CONTEXT), new BatchItem(b, CONTEXT)));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.ok()).isTrue());
        assertThat(unknown.get(0).ok()).isFalse();
        assertThat(unknown.get(0).failure().getMessage()).contains("INVALID_FIELD").contains("Budget__c");
        assertThat(unknown.get(1).ok()).isTrue(); // b has no budget: nothing unknown is sent for it
        assertThat(leads().path("totalSize").asInt()).isEqualTo(2);
    }

    @Test
    void the_check_finds_the_external_id_field_and_names_an_unknown_mapped_one() throws Exception {
        CheckReport fine = destination.check(target("local-salesforce-token", Map.of()));
        CheckReport unknown = destination.check(target("local-salesforce-token",
                Map.of("customFields.budget", "Budget__c")));

        assertThat(fine.ok()).isTrue();
        assertThat(unknown.unknownFields()).containsExactly("Budget__c");
        assertThat(leads().path("totalSize").asInt()).isZero();
    }

    @Test
    void an_unknown_token_is_refreshed_with_the_local_refresh_token() throws Exception {
        DeliveryReceipt receipt = destination.send(target("expired-token", Map.of()), DestinationTestLeads.lead(),
                CONTEXT);

        assertThat(receipt.httpStatus()).isEqualTo(201);
        assertThat(tokens.refreshes()).isEqualTo(1);
        assertThat(tokens.refreshed("dst_1").accessToken()).startsWith("00DLOCAL!");
    }

    @Test
    void an_unknown_refresh_token_is_a_revoked_grant() {
        GrantRevoked e = catchThrowableOfType(() -> refresher.refresh("someone-elses",
                Map.of("loginUrl", base, "instanceUrl", base)), GrantRevoked.class);

        assertThat(e.getMessage()).contains("invalid_grant");
    }
}
