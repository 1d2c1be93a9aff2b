package com.leadsync.delivery.hubspot;

import static com.leadsync.testing.HubSpotOAuthFake.json;
import static com.leadsync.testing.HubSpotOAuthFake.onRefresh;
import static com.leadsync.testing.HubSpotOAuthFake.onUpsert;
import static com.leadsync.testing.HubSpotOAuthFake.refreshes;
import static com.leadsync.testing.HubSpotOAuthFake.upserts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.leadsync.connect.CredentialRepository;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.store.DestinationStore;
import com.leadsync.testing.HubSpotOAuthFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A HubSpot OAuth destination on the shared credentials component, against the HubSpot fake (crm.md §A.1) and the
 * DynamoDB emulator: refreshed once on a 401 and ahead of expiry, one refresh for many senders, rotated refresh
 * tokens stored, a dead grant shown as {@code needs_reauth} until new tokens are given, and a deleted destination
 * never written back by a refresh that finishes late.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class HubSpotOAuthDeliveryTest {

    @Inject
    HubSpotDestination hubspot;
    @Inject
    DestinationStore destinations;
    @Inject
    CredentialRepository<DeliveryTarget> grants;

    /** Unique tokens per test: the fake answers by token, and the tests share it. */
    private record Tokens(String oldAccess, String newAccess, String refresh) {
        static Tokens fresh() {
            String id = UUID.randomUUID().toString();
            return new Tokens("at-old-" + id, "at-new-" + id, "na1-rt-" + id);
        }
    }

    private static String addHubSpot(Scenario s, Map<String, String> config) {
        return Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("type", "hubspot", "name", "HubSpot OAuth", "config", config))
                .post("/crm/destinations").then().statusCode(201).extract().path("id");
    }

    private static Map<String, String> oauth(Tokens t, String expiresAt) {
        Map<String, String> config = new HashMap<>(Map.of("accessToken", t.oldAccess(), "refreshToken", t.refresh()));
        if (expiresAt != null) {
            config.put("expiresAt", expiresAt);
        }
        return config;
    }

    private static JsonPath destinationView(Scenario s, String id) {
        return Scenario.given().header("x-api-key", s.apiKey).get("/crm/destinations/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    private DestinationConfig stored(String id) {
        return destinations.get(id).orElseThrow();
    }

    private DeliveryReceipt send(String id) throws DeliveryException {
        return hubspot.send(stored(id).target(), DestinationTestLeads.lead(),
                new DeliveryContext("ld_test:" + id + ":" + UUID.randomUUID()));
    }

    @Test
    void a_rejected_token_is_refreshed_once_the_send_succeeds_and_the_next_send_uses_the_stored_token()
            throws Exception {
        Scenario s = Scenario.withMetaPage();
        Tokens t = Tokens.fresh();
        String id = addHubSpot(s, oauth(t, null));
        onUpsert(t.oldAccess(), json(401, HubSpotOAuthFake.expiredToken()));
        onUpsert(t.newAccess(), HubSpotOAuthFake.upserted());
        onRefresh(t.refresh(), json(200, HubSpotOAuthFake.tokenAnswer(t.newAccess(), t.refresh(), 1800)));

        assertThat(send(id).httpStatus()).isEqualTo(200);

        DestinationConfig after = stored(id);
        assertThat(after.config()).containsEntry("accessToken", t.newAccess()).containsEntry("refreshToken", t.refresh());
        assertThat(after.tokenVersion()).isEqualTo(1);
        assertThat(after.tokenExpiresAt()).isCloseTo(Instant.now().plusSeconds(1800), within(30, ChronoUnit.SECONDS));
        assertThat(refreshes(t.refresh())).hasSize(1);

        // The target handed over still carries the old token: the stored one is used, without refreshing again.
        DeliveryTarget stale = new DestinationConfig(id, s.accountId, "hubspot", "HubSpot OAuth", true,
                oauth(t, null), Map.of(), null, null).target();
        assertThat(hubspot.send(stale, DestinationTestLeads.lead(), new DeliveryContext("ld_test:" + id)).httpStatus())
                .isEqualTo(200);
        assertThat(refreshes(t.refresh())).hasSize(1);
        assertThat(upserts(t.oldAccess())).hasSize(1);
        assertThat(upserts(t.newAccess())).hasSize(2);
        assertThat(destinationView(s, id).getString("status")).isEqualTo("active");
    }

    @Test
    void a_token_expiring_within_the_skew_is_refreshed_before_the_call() throws Exception {
        Scenario s = Scenario.withMetaPage();
        Tokens t = Tokens.fresh();
        String id = addHubSpot(s, oauth(t, Instant.now().plusSeconds(60).toString()));
        onUpsert(t.oldAccess(), HubSpotOAuthFake.upserted());
        onUpsert(t.newAccess(), HubSpotOAuthFake.upserted());
        onRefresh(t.refresh(), json(200, HubSpotOAuthFake.tokenAnswer(t.newAccess(), t.refresh(), 1800)));

        assertThat(send(id).httpStatus()).isEqualTo(200);

        assertThat(upserts(t.oldAccess())).isEmpty();
        assertThat(upserts(t.newAccess())).hasSize(1);
        assertThat(refreshes(t.refresh())).hasSize(1);
        assertThat(stored(id).config()).doesNotContainKeys("expiresAt", "expiresIn");
    }

    @Test
    void a_dead_refresh_token_fails_the_delivery_marks_the_destination_needs_reauth_and_new_tokens_revive_it() {
        Scenario s = Scenario.withMetaPage();
        Tokens t = Tokens.fresh();
        String id = addHubSpot(s, oauth(t, Instant.now().minusSeconds(60).toString()));
        onRefresh(t.refresh(), json(400, HubSpotOAuthFake.invalidGrant()));
        String leadgenId = Scenario.newLeadgenId();
        String email = "oauth." + leadgenId + "@example.com";
        s.stubGraphLead(leadgenId, email);
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();

        Scenario.postWebhook(s.webhookBody(leadgenId)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(s.getLead(leadId).jsonPath()
                .getList("deliveries.status")).containsExactly("failed"));
        String lastError = s.getLead(leadId).jsonPath().getString("deliveries[0].lastError");
        assertThat(lastError).contains("needs re-authorization").contains("invalid_grant")
                .doesNotContain(t.refresh());
        JsonPath view = destinationView(s, id);
        assertThat(view.getString("status")).isEqualTo("needs_reauth");
        assertThat(view.getString("lastError")).contains("invalid_grant");
        assertThat(upserts(t.oldAccess())).isEmpty();
        assertThat(refreshes(t.refresh())).hasSize(1);

        Tokens again = Tokens.fresh();
        onUpsert(again.oldAccess(), HubSpotOAuthFake.upserted());
        JsonPath revived = Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("config", Map.of("accessToken", again.oldAccess(), "refreshToken", again.refresh(),
                        "expiresIn", "1800")))
                .put("/crm/destinations/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(revived.getString("status")).isEqualTo("active");
        assertThat(revived.getString("lastError")).isNull();
        assertThat(destinationView(s, id).getString("status")).isEqualTo("active");
        assertThat(stored(id).tokenVersion()).isEqualTo(1);

        Scenario.given().header("x-api-key", s.apiKey).post("/crm/push/" + leadId).then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(s.getLead(leadId).jsonPath()
                .getList("deliveries.status")).containsExactly("delivered"));
        assertThat(upserts(again.oldAccess())).hasSize(1);
        assertThat(refreshes(again.refresh())).isEmpty();
    }

    @Test
    void a_rejected_token_nothing_can_refresh_marks_a_private_app_destination_needs_reauth() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String token = "pat-na1-" + UUID.randomUUID();
        String id = addHubSpot(s, Map.of("accessToken", token));
        onUpsert(token, json(401, """
                {"status":"error","message":"Authentication credentials not found.",
                 "correlationId":"5f4e3d2c-1b0a-4f9e-8d7c-6b5a49382716","category":"INVALID_AUTHENTICATION"}"""));

        DeliveryException first = catchThrowableOfType(DeliveryException.class, () -> send(id));
        DeliveryException second = catchThrowableOfType(DeliveryException.class, () -> send(id));

        assertThat(first.kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
        assertThat(first.getMessage()).contains("needs re-authorization").contains("INVALID_AUTHENTICATION");
        assertThat(first.httpStatus()).isEqualTo(401);
        assertThat(second.kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
        assertThat(second.getMessage()).contains("needs re-authorization");
        assertThat(upserts(token)).as("a destination needing re-authorization is not called").hasSize(1);
        assertThat(destinationView(s, id).getString("status")).isEqualTo("needs_reauth");
    }

    @Test
    void ten_concurrent_sends_with_an_expired_token_make_one_refresh_request() throws Exception {
        Scenario s = Scenario.withMetaPage();
        Tokens t = Tokens.fresh();
        String id = addHubSpot(s, oauth(t, Instant.now().minusSeconds(5).toString()));
        onUpsert(t.oldAccess(), json(401, HubSpotOAuthFake.expiredToken()));
        onUpsert(t.newAccess(), HubSpotOAuthFake.upserted());
        onRefresh(t.refresh(), json(200, HubSpotOAuthFake.tokenAnswer(t.newAccess(), t.refresh(), 1800))
                .withFixedDelay(500));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<DeliveryReceipt>> sends = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sends.add(pool.submit(() -> {
                    go.await();
                    return send(id);
                }));
            }
            go.countDown();
            for (Future<DeliveryReceipt> sent : sends) {
                assertThat(sent.get(30, TimeUnit.SECONDS).httpStatus()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(refreshes(t.refresh())).hasSize(1);
        assertThat(upserts(t.newAccess())).hasSize(10);
        assertThat(upserts(t.oldAccess())).isEmpty();
        assertThat(stored(id).tokenVersion()).isEqualTo(1);
    }

    @Test
    void a_rotated_refresh_token_is_stored_and_the_next_refresh_uses_it() throws Exception {
        Scenario s = Scenario.withMetaPage();
        Tokens t = Tokens.fresh();
        String rotated = "na1-rt-rotated-" + UUID.randomUUID();
        String third = "at-third-" + UUID.randomUUID();
        String id = addHubSpot(s, oauth(t, Instant.now().minusSeconds(5).toString()));
        // The first refresh hands out a token that is already within the skew, so the next send refreshes again.
        onRefresh(t.refresh(), json(200, HubSpotOAuthFake.tokenAnswer(t.newAccess(), rotated, 60)));
        onRefresh(rotated, json(200, HubSpotOAuthFake.tokenAnswer(third, rotated, 1800)));
        onUpsert(t.newAccess(), HubSpotOAuthFake.upserted());
        onUpsert(third, HubSpotOAuthFake.upserted());

        send(id);
        assertThat(stored(id).config()).containsEntry("refreshToken", rotated).containsEntry("accessToken",
                t.newAccess());
        send(id);

        assertThat(refreshes(t.refresh())).hasSize(1);
        assertThat(refreshes(rotated)).hasSize(1);
        assertThat(stored(id).config()).containsEntry("accessToken", third).containsEntry("refreshToken", rotated);
        assertThat(stored(id).tokenVersion()).isEqualTo(2);
    }

    @Test
    void a_refresh_that_finishes_after_the_destination_was_deleted_does_not_bring_it_back() throws Exception {
        Scenario s = Scenario.withMetaPage();
        Tokens t = Tokens.fresh();
        String id = addHubSpot(s, oauth(t, Instant.now().minusSeconds(5).toString()));
        DeliveryTarget target = stored(id).target();
        onRefresh(t.refresh(), json(200, HubSpotOAuthFake.tokenAnswer(t.newAccess(), "na1-rotated", 1800))
                .withFixedDelay(2000));
        onUpsert(t.newAccess(), HubSpotOAuthFake.upserted());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DeliveryReceipt> sending = pool.submit(() -> hubspot.send(target, DestinationTestLeads.lead(),
                    new DeliveryContext("ld_test:" + id)));
            await().atMost(Duration.ofSeconds(10)).until(() -> refreshes(t.refresh()).size() == 1);
            Scenario.given().header("x-api-key", s.apiKey).delete("/crm/destinations/" + id).then().statusCode(204);

            DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> {
                try {
                    sending.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException failed) {
                    throw failed.getCause();
                }
            });
            assertThat(e.kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
            assertThat(e.getMessage()).contains(id).contains("no longer exists");
        } finally {
            pool.shutdownNow();
        }

        assertThat(destinations.get(id)).isEmpty();
        assertThat(upserts(t.newAccess())).isEmpty();
        // Nor does any other write of the credentials component.
        Instant now = Instant.now();
        assertThat(grants.takeRefreshLease(target, "late", now, now.plusSeconds(30))).isFalse();
        assertThat(grants.saveRefreshed(target, "late", 0, new RefreshedTokens("at-late", null, now))).isEmpty();
        assertThat(grants.markNeedsReauth(target, 0, "late")).isFalse();
        grants.releaseRefreshLease(target, "late");
        assertThat(destinations.get(id)).isEmpty();
    }

    @Test
    void settings_read_before_a_refresh_never_write_the_old_tokens_back() {
        Scenario s = Scenario.withMetaPage();
        Tokens t = Tokens.fresh();
        String id = addHubSpot(s, oauth(t, null));
        DestinationConfig before = stored(id);
        Instant now = Instant.now();
        assertThat(grants.takeRefreshLease(before.target(), "refresher", now, now.plusSeconds(30))).isTrue();
        assertThat(grants.saveRefreshed(before.target(), "refresher", 0,
                new RefreshedTokens(t.newAccess(), "na1-rotated", now.plusSeconds(1800)))).isPresent();

        DestinationConfig renamedFromStaleRead = new DestinationConfig(id, s.accountId, "hubspot", "renamed", true,
                before.config(), Map.of(), before.createdAt(), now, 0, ConnectionStatus.ACTIVE, null, null, false);
        assertThat(destinations.update(renamedFromStaleRead, before.tokenVersion())).isFalse();
        assertThat(stored(id).config()).containsEntry("accessToken", t.newAccess())
                .containsEntry("refreshToken", "na1-rotated");

        // The route reads again and writes settings only: the refreshed tokens stay.
        Scenario.given().header("x-api-key", s.apiKey).contentType(ContentType.JSON)
                .body(Map.of("name", "renamed", "config", Map.of())).put("/crm/destinations/" + id)
                .then().statusCode(200);
        DestinationConfig renamed = stored(id);
        assertThat(renamed.name()).isEqualTo("renamed");
        assertThat(renamed.config()).containsEntry("accessToken", t.newAccess())
                .containsEntry("refreshToken", "na1-rotated");
        assertThat(renamed.tokenVersion()).isEqualTo(1);
        assertThat(renamed.tokenExpiresAt()).isCloseTo(now.plusSeconds(1800), within(1, ChronoUnit.SECONDS));
    }
}
