package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.delivery.zoho.ZohoDestination;
import com.leadsync.delivery.zoho.ZohoEndpoints;
import com.leadsync.delivery.zoho.ZohoTokenRefresher;
import com.leadsync.testing.TestCrmTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a local-mode user gets: a zoho destination pointed at {@code /_local/zoho} (served here by a bare Vert.x
 * router, as local mode's) refreshes its token there, delivers a lead once and updates it on the next delivery.
 */
class LocalZohoFakeTest {

    private static final ObjectMapper JSON = DestinationTestLeads.json();
    private static final DeliveryContext CONTEXT = new DeliveryContext("msg_ld_local_dst_1_0");

    private Vertx vertx;
    private HttpServer server;
    private LocalZohoFake fake;
    private OutboundHttp http;
    private ZohoDestination destination;
    private String base;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/_local/*").order(-200).handler(BodyHandler.create());
        fake = new LocalZohoFake(Set.of("local-zoho-token"), Set.of("local-zoho-refresh-token"),
                Optional.of("local-zoho-client-id"), Optional.of("local-zoho-client-secret"), Clock.systemUTC(), JSON);
        fake.routes(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort() + "/_local/zoho";
        http = new OutboundHttp(Duration.ofSeconds(15));
        ZohoEndpoints endpoints = new ZohoEndpoints(new UrlPolicy(true), true);
        ZohoTokenRefresher refresher = new ZohoTokenRefresher(http, endpoints, JSON, Clock.systemUTC(),
                Optional.of("local-zoho-client-id"), Optional.of("local-zoho-client-secret"));
        destination = new ZohoDestination(http, endpoints, new TestCrmTokens(Map.of("zoho", refresher)), JSON);
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private DeliveryTarget target(String accessToken, Map<String, String> fieldMapping) {
        return DestinationTestLeads.target("zoho", Map.of("apiDomain", base, "accountsServer", base,
                "accessToken", accessToken, "refreshToken", "local-zoho-refresh-token"), fieldMapping);
    }

    @Test
    void a_lead_arrives_once_and_its_next_delivery_updates_it_after_an_expired_token_is_refreshed()
            throws Exception {
        DeliveryTarget target = target("1000.expired.token", Map.of());

        DeliveryReceipt first = destination.send(target, DestinationTestLeads.lead(), CONTEXT);
        DeliveryReceipt second = destination.send(target, DestinationTestLeads.lead(), CONTEXT);

        assertThat(first.detail()).matches("Zoho CRM lead [0-9]+ created");
        assertThat(second.detail()).isEqualTo(first.detail().replace("created", "updated"));
        JsonNode stored = JSON.readTree(fake.list(FakeRequest.to(base + "/crm/v8/Leads",
                "Authorization", "Zoho-oauthtoken local-zoho-token")).text()).path("data");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).path("Email").asText()).isEqualTo("ana@example.com");
        assertThat(stored.get(0).path("Last_Name").asText()).isEqualTo("García López");
    }

    @Test
    void the_check_knows_the_standard_lead_fields_and_names_one_it_lacks() throws Exception {
        CheckReport fine = destination.check(target("local-zoho-token", Map.of("leadId", "LeadSync_Lead_Id")));
        CheckReport unknown = destination.check(target("local-zoho-token", Map.of("customFields.budget", "Budget")));

        assertThat(fine.ok()).isTrue();
        assertThat(unknown.unknownFields()).containsExactly("Budget");
    }

    @Test
    void the_fake_refuses_as_zoho_does() throws Exception {
        FakeReply noToken = fake.upsert(FakeRequest.posting(base + "/crm/v8/Leads/upsert", "{\"data\":[{}]}"));
        FakeReply noLastName = fake.upsert(FakeRequest.posting(base + "/crm/v8/Leads/upsert",
                "{\"data\":[{\"Email\":\"a@example.com\"}]}", "Authorization", "Zoho-oauthtoken local-zoho-token"));
        FakeReply deadGrant = fake.token(FakeRequest.to(base + "/oauth/v2/token?grant_type=refresh_token"
                + "&refresh_token=revoked&client_id=local-zoho-client-id&client_secret=local-zoho-client-secret"));

        assertThat(noToken.status()).isEqualTo(401);
        assertThat(JSON.readTree(noToken.text()).path("code").asText()).isEqualTo("INVALID_TOKEN");
        assertThat(noLastName.status()).isEqualTo(400);
        assertThat(JSON.readTree(noLastName.text()).at("/data/0/code").asText()).isEqualTo("MANDATORY_NOT_FOUND");
        assertThat(deadGrant.status()).isEqualTo(200);
        assertThat(JSON.readTree(deadGrant.text()).path("error").asText()).isEqualTo("invalid_code");
    }
}
