package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.connect.Credentials;
import com.leadsync.connect.CredentialsProfile;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.ScriptedTokenRefresher;
import com.leadsync.connect.StoredGrant;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The credentials component's conditional writes on a connection's item, on the real DynamoDB emulator. */
@QuarkusTest
@TestProfile(CredentialsProfile.class)
class ConnectionCredentialStoreTest {

    /** A provider call that answers with the token it was given. */
    private static final Function<String, String> USES_TOKEN = token -> token;

    @Inject
    ConnectionCredentialStore grants;
    @Inject
    ConnectionStore connections;
    @Inject
    Credentials credentials;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;
    @Inject
    ScriptedTokenRefresher refresher;

    @BeforeEach
    void resetRefresher() {
        refresher.reset();
    }

    private static Connection google(Duration expiresIn) {
        String customerId = Long.toString(1_000_000_000L + ThreadLocalRandom.current().nextLong(8_999_999_999L));
        return new Connection("con_" + UUID.randomUUID().toString().replace("-", ""), "acc_" + UUID.randomUUID(),
                ProviderType.GOOGLE_ADS, customerId, "at-old-" + UUID.randomUUID(), "rt-old-" + UUID.randomUUID(),
                Instant.now().plus(expiresIn), Map.of(), Instant.now(), ConnectionStatus.ACTIVE, null);
    }

    @Test
    void a_new_connection_is_stored_active_at_token_version_one() {
        Connection c = google(Duration.ofHours(1));
        connections.create(c);

        StoredGrant grant = grants.read(c).orElseThrow();
        assertThat(grant.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(grant.tokenVersion()).isEqualTo(1);
        assertThat(grant.accessToken()).isEqualTo(c.accessToken());
        assertThat(grant.refreshLeaseOwner()).isNull();
    }

    @Test
    void one_refresh_lease_at_a_time_until_it_runs_out() {
        Connection c = google(Duration.ofHours(1));
        connections.create(c);
        Instant now = Instant.now();

        assertThat(grants.takeRefreshLease(c, "a", now, now.plusSeconds(30))).isTrue();
        assertThat(grants.takeRefreshLease(c, "b", now, now.plusSeconds(30))).isFalse();
        assertThat(grants.takeRefreshLease(c, "a", now, now.plusSeconds(30))).as("its owner again").isTrue();
        assertThat(grants.takeRefreshLease(c, "b", now.plusSeconds(31), now.plusSeconds(61))).as("run out").isTrue();
        grants.releaseRefreshLease(c, "a");
        assertThat(grants.read(c).orElseThrow().refreshLeaseOwner()).as("not a's to free").isEqualTo("b");
        grants.releaseRefreshLease(c, "b");
        assertThat(grants.read(c).orElseThrow().refreshLeaseHeld(now)).isFalse();
    }

    @Test
    void refreshed_tokens_are_stored_only_by_the_lease_owner_over_the_tokens_it_refreshed_from() {
        Connection c = google(Duration.ofHours(1));
        connections.create(c);
        Instant now = Instant.now();
        RefreshedTokens tokens = new RefreshedTokens("at-new", "rt-new", now.plus(Duration.ofHours(1)));
        assertThat(grants.takeRefreshLease(c, "a", now, now.plusSeconds(30))).isTrue();

        assertThat(grants.saveRefreshed(c, "b", 1, tokens)).as("not the lease owner").isEmpty();
        assertThat(grants.saveRefreshed(c, "a", 0, tokens)).as("refreshed from other tokens").isEmpty();
        assertThat(connections.findByRoute(c.providerType(), c.externalId()).orElseThrow().accessToken())
                .isEqualTo(c.accessToken());

        StoredGrant saved = grants.saveRefreshed(c, "a", 1, tokens).orElseThrow();
        assertThat(saved.tokenVersion()).isEqualTo(2);
        assertThat(saved.refreshLeaseOwner()).isNull();
        Connection stored = connections.findByRoute(c.providerType(), c.externalId()).orElseThrow();
        assertThat(stored.accessToken()).isEqualTo("at-new");
        assertThat(stored.refreshToken()).isEqualTo("rt-new");
        assertThat(stored.expiresAt()).isEqualTo(tokens.expiresAt());
    }

    @Test
    void needs_reauth_is_not_set_over_tokens_replaced_since() {
        Connection c = google(Duration.ofHours(1));
        connections.create(c);
        connections.replaceTokens(c);

        assertThat(grants.markNeedsReauth(c, 1, "revoked")).isFalse();
        assertThat(grants.read(c).orElseThrow().status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(grants.markNeedsReauth(c, 2, "revoked")).isTrue();
        assertThat(connections.findByRoute(c.providerType(), c.externalId()).orElseThrow())
                .extracting(Connection::status, Connection::statusReason)
                .containsExactly(ConnectionStatus.NEEDS_REAUTH, "revoked");
    }

    @Test
    void a_connection_stored_before_statuses_and_versions_reads_as_active_and_is_refreshed() {
        Connection c = google(Duration.ofMinutes(1));
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("routeKey", AttributeValue.fromS(c.routeKey()));
        item.put("connectionId", AttributeValue.fromS(c.connectionId()));
        item.put("accountId", AttributeValue.fromS(c.accountId()));
        item.put("providerType", AttributeValue.fromS(c.providerType().wireName()));
        item.put("externalId", AttributeValue.fromS(c.externalId()));
        item.put("accessToken", AttributeValue.fromS(c.accessToken()));
        item.put("refreshToken", AttributeValue.fromS(c.refreshToken()));
        item.put("expiresAt", AttributeValue.fromS(c.expiresAt().toString()));
        item.put("config", AttributeValue.fromM(Map.of()));
        item.put("createdAt", AttributeValue.fromS(c.createdAt().toString()));
        dynamo.putItem(b -> b.tableName(tables.of(Schema.CONNECTIONS)).item(item));

        Connection old = connections.findByRoute(c.providerType(), c.externalId()).orElseThrow();
        assertThat(old.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(old.statusReason()).isNull();
        assertThat(grants.read(c).orElseThrow().tokenVersion()).isZero();

        assertThat(credentials.call(c, USES_TOKEN)).startsWith("at-refreshed-");
        assertThat(grants.read(c).orElseThrow().tokenVersion()).isEqualTo(1);
    }
}
