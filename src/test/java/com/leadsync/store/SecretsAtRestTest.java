package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.leadsync.connect.RefreshedTokens;
import com.leadsync.crypto.SealedValueUnreadable;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.delivery.Subscription;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The stores seal every token and secret they write and open them on read, on the real DynamoDB emulator: items
 * from before encryption (plaintext) still read and are sealed by their next write, and a sealed value copied to
 * another item does not open.
 */
@QuarkusTest
class SecretsAtRestTest {

    private static final String SEALED = "enc:v1:local:";

    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;
    @Inject
    ConnectionStore connections;
    @Inject
    ConnectionCredentialStore connectionGrants;
    @Inject
    DestinationStore destinations;
    @Inject
    DestinationCredentialStore destinationGrants;
    @Inject
    SubscriptionStore subscriptions;

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    private Map<String, AttributeValue> raw(Schema.TableSchema table, String keyName, String key) {
        return dynamo.getItem(b -> b.tableName(tables.of(table)).key(Map.of(keyName, AttributeValue.fromS(key)))
                .consistentRead(true)).item();
    }

    private void putRaw(Schema.TableSchema table, Map<String, AttributeValue> item) {
        dynamo.putItem(b -> b.tableName(tables.of(table)).item(item));
    }

    /** A Google Ads connection item as a version before encryption wrote it: tokens and webhook key in plaintext. */
    private Connection oldPlaintextConnection() {
        String customerId = Long.toString(1_000_000_000L + ThreadLocalRandom.current().nextLong(8_999_999_999L));
        Connection c = new Connection(unique("con_"), unique("acc_"), ProviderType.GOOGLE_ADS, customerId,
                unique("ya29.old-"), unique("1//old-refresh-"), Instant.now().plusSeconds(3600).truncatedTo(
                        ChronoUnit.SECONDS), Map.of(Connection.WEBHOOK_KEY, unique("gkey-"), "loginCustomerId",
                        "9876543210"), Instant.now().truncatedTo(ChronoUnit.SECONDS), ConnectionStatus.ACTIVE, null);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("routeKey", AttributeValue.fromS(c.routeKey()));
        item.put("connectionId", AttributeValue.fromS(c.connectionId()));
        item.put("accountId", AttributeValue.fromS(c.accountId()));
        item.put("providerType", AttributeValue.fromS("google_ads"));
        item.put("externalId", AttributeValue.fromS(customerId));
        item.put("accessToken", AttributeValue.fromS(c.accessToken()));
        item.put("refreshToken", AttributeValue.fromS(c.refreshToken()));
        item.put("expiresAt", AttributeValue.fromS(c.expiresAt().toString()));
        item.put("config", AttributeValue.fromM(Map.of(Connection.WEBHOOK_KEY, AttributeValue.fromS(c.webhookKey()),
                "loginCustomerId", AttributeValue.fromS("9876543210"))));
        item.put("createdAt", AttributeValue.fromS(c.createdAt().toString()));
        putRaw(Schema.CONNECTIONS, item);
        return c;
    }

    private Map<String, AttributeValue> rawConnection(Connection c) {
        return raw(Schema.CONNECTIONS, "routeKey", c.routeKey());
    }

    @Test
    void an_old_plaintext_connection_reads_as_it_was_and_its_next_token_write_seals_it() {
        Connection c = oldPlaintextConnection();

        Connection read = connections.findByRoute(ProviderType.GOOGLE_ADS, c.externalId()).orElseThrow();
        assertThat(read.accessToken()).isEqualTo(c.accessToken());
        assertThat(read.refreshToken()).isEqualTo(c.refreshToken());
        assertThat(read.config()).isEqualTo(c.config());
        assertThat(connectionGrants.read(c).orElseThrow().accessToken()).isEqualTo(c.accessToken());

        connections.replaceTokens(read);

        Map<String, AttributeValue> item = rawConnection(c);
        assertThat(item.get("accessToken").s()).startsWith(SEALED).doesNotContain(c.accessToken());
        assertThat(item.get("refreshToken").s()).startsWith(SEALED).doesNotContain(c.refreshToken());
        assertThat(item.get("config").m().get(Connection.WEBHOOK_KEY).s()).startsWith(SEALED);
        assertThat(item.get("config").m().get("loginCustomerId").s()).as("not a secret").isEqualTo("9876543210");
        assertThat(item.toString()).doesNotContain(c.accessToken(), c.refreshToken(), c.webhookKey());
        Connection again = connections.findById(c.connectionId()).orElseThrow();
        assertThat(again.accessToken()).isEqualTo(c.accessToken());
        assertThat(again.refreshToken()).isEqualTo(c.refreshToken());
        assertThat(again.config()).isEqualTo(c.config());
    }

    @Test
    void a_refresh_of_an_old_plaintext_connection_stores_its_new_tokens_sealed() {
        Connection c = oldPlaintextConnection();
        Instant now = Instant.now();
        assertThat(connectionGrants.takeRefreshLease(c, "me", now, now.plusSeconds(30))).isTrue();
        String access = unique("ya29.new-");
        String refresh = unique("1//new-refresh-");

        var saved = connectionGrants.saveRefreshed(c, "me", 0, new RefreshedTokens(access, refresh,
                now.plusSeconds(3600)));

        assertThat(saved).hasValueSatisfying(g -> {
            assertThat(g.accessToken()).isEqualTo(access);
            assertThat(g.refreshToken()).isEqualTo(refresh);
        });
        Map<String, AttributeValue> item = rawConnection(c);
        assertThat(item.get("accessToken").s()).startsWith(SEALED);
        assertThat(item.get("refreshToken").s()).startsWith(SEALED);
        assertThat(item.toString()).doesNotContain(access, refresh);
        assertThat(connections.findByRoute(ProviderType.GOOGLE_ADS, c.externalId()).orElseThrow().accessToken())
                .isEqualTo(access);
    }

    @Test
    void a_sealed_token_copied_into_another_connections_item_does_not_open() {
        Connection a = oldPlaintextConnection();
        Connection b = oldPlaintextConnection();
        connections.replaceTokens(connections.findByRoute(ProviderType.GOOGLE_ADS, a.externalId()).orElseThrow());
        AttributeValue sealedOfA = rawConnection(a).get("accessToken");

        dynamo.updateItem(u -> u.tableName(tables.of(Schema.CONNECTIONS))
                .key(Map.of("routeKey", AttributeValue.fromS(b.routeKey())))
                .updateExpression("SET accessToken = :t").expressionAttributeValues(Map.of(":t", sealedOfA)));

        assertThatThrownBy(() -> connections.findByRoute(ProviderType.GOOGLE_ADS, b.externalId()))
                .isInstanceOf(SealedValueUnreadable.class).hasMessageContaining(b.routeKey())
                .hasMessageNotContaining(a.accessToken());
    }

    @Test
    void an_old_plaintext_destination_reads_as_it_was_and_its_next_write_and_refresh_seal_it() {
        String id = unique("dst_");
        String access = unique("at-old-");
        String refresh = unique("na1-rt-");
        putRaw(Schema.DESTINATIONS, Map.of("destinationId", AttributeValue.fromS(id),
                "accountId", AttributeValue.fromS(unique("acc_")), "type", AttributeValue.fromS("hubspot"),
                "enabled", AttributeValue.fromBool(true),
                "config", AttributeValue.fromM(Map.of("accessToken", AttributeValue.fromS(access),
                        "refreshToken", AttributeValue.fromS(refresh))),
                "fieldMapping", AttributeValue.fromM(Map.of())));

        DestinationConfig read = destinations.get(id).orElseThrow();
        assertThat(read.config()).containsEntry("accessToken", access).containsEntry("refreshToken", refresh);
        assertThat(destinationGrants.read(read.target()).orElseThrow().refreshToken()).isEqualTo(refresh);

        assertThat(destinations.update(read, read.tokenVersion())).isTrue();
        Map<String, AttributeValue> config = raw(Schema.DESTINATIONS, "destinationId", id).get("config").m();
        assertThat(config.get("accessToken").s()).startsWith(SEALED);
        assertThat(config.get("refreshToken").s()).startsWith(SEALED);
        assertThat(destinations.get(id).orElseThrow().config()).containsEntry("accessToken", access)
                .containsEntry("refreshToken", refresh);

        Instant now = Instant.now();
        assertThat(destinationGrants.takeRefreshLease(read.target(), "me", now, now.plusSeconds(30))).isTrue();
        String newAccess = unique("at-new-");
        assertThat(destinationGrants.saveRefreshed(read.target(), "me", 0, new RefreshedTokens(newAccess, null,
                now.plusSeconds(1800)))).hasValueSatisfying(g -> assertThat(g.accessToken()).isEqualTo(newAccess));
        Map<String, AttributeValue> refreshed = raw(Schema.DESTINATIONS, "destinationId", id);
        assertThat(refreshed.get("config").m().get("accessToken").s()).startsWith(SEALED);
        assertThat(refreshed.toString()).doesNotContain(access, refresh, newAccess);
        assertThat(destinations.get(id).orElseThrow().config()).containsEntry("accessToken", newAccess)
                .containsEntry("refreshToken", refresh);
    }

    @Test
    void a_destination_types_own_secrets_are_sealed_and_its_other_settings_are_not() {
        String id = unique("dst_");
        String url = "https://crm.example.com/leads";
        destinations.put(new DestinationConfig(id, unique("acc_"), "http", "CRM", true,
                Map.of("url", url, "authorization", "Bearer crm-secret-" + id), Map.of(), Instant.now(), null));

        Map<String, AttributeValue> config = raw(Schema.DESTINATIONS, "destinationId", id).get("config").m();

        assertThat(config.get("authorization").s()).startsWith(SEALED).doesNotContain("crm-secret");
        assertThat(config.get("url").s()).isEqualTo(url);
        assertThat(destinations.get(id).orElseThrow().config()).containsEntry("authorization",
                "Bearer crm-secret-" + id);
    }

    @Test
    void an_old_plaintext_subscription_secret_reads_as_it_was_and_is_sealed_when_written_again() {
        String id = unique("sub_");
        String secret = unique("whsec_");
        putRaw(Schema.SUBSCRIPTIONS, Map.of("subscriptionId", AttributeValue.fromS(id),
                "accountId", AttributeValue.fromS(unique("acc_")), "providerType", AttributeValue.fromS("meta_lead_ads"),
                "callbackUrl", AttributeValue.fromS("https://hooks.example.com/leads"),
                "eventType", AttributeValue.fromS("leadgen"), "callbackSecret", AttributeValue.fromS(secret),
                "createdAt", AttributeValue.fromS(Instant.now().toString())));

        Subscription read = subscriptions.get(id).orElseThrow();
        assertThat(read.callbackSecret()).isEqualTo(secret);

        subscriptions.put(read);

        assertThat(raw(Schema.SUBSCRIPTIONS, "subscriptionId", id).get("callbackSecret").s()).startsWith(SEALED)
                .doesNotContain(secret);
        assertThat(subscriptions.get(id).orElseThrow().callbackSecret()).isEqualTo(secret);
    }
}
