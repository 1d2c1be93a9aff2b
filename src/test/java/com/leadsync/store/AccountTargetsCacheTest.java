package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.delivery.AccountTargets;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.delivery.RoutedTargets;
import com.leadsync.delivery.Subscription;
import com.leadsync.model.ProviderType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * An account's targets are read once per cache expiry for all its new leads, and every write through the stores of
 * this instance is seen by the next lead at once (local mode runs every function in one instance).
 */
@QuarkusTest
class AccountTargetsCacheTest {

    @Inject
    AccountTargets targets;
    @Inject
    DestinationStore destinations;
    @Inject
    SubscriptionStore subscriptions;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    @Test
    void writes_through_the_stores_are_seen_at_once_and_other_writers_within_the_expiry() {
        String account = "acc_cache_" + UUID.randomUUID();
        Instant now = Instant.now();
        assertThat(targets.of(account).destinations()).isEmpty();

        DestinationConfig d = new DestinationConfig("dst_" + UUID.randomUUID(), account, "http", "crm", true,
                Map.of("url", "https://crm.example/leads"), Map.of(), now, now);
        destinations.put(d);
        assertThat(targets.of(account).destinations()).containsExactly(new RoutedTargets.Route(d.destinationId(),
                "http"));

        Subscription s = new Subscription(Subscription.newId(), account, ProviderType.META_LEAD_ADS,
                "https://hooks.example/leads", "leadgen", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", now);
        subscriptions.put(s);
        assertThat(targets.of(account).subscriptions()).extracting(Subscription::subscriptionId)
                .containsExactly(s.subscriptionId());

        assertThat(subscriptions.delete(s.subscriptionId())).isTrue();
        assertThat(targets.of(account).subscriptions()).isEmpty();

        // Another function's write (here: past the stores) is not seen until the entry expires; a push reads now.
        dynamo.deleteItem(b -> b.tableName(tables.of(Schema.DESTINATIONS)).key(DestinationStore.key(d.destinationId())));
        assertThat(targets.of(account).destinations()).hasSize(1);
        assertThat(targets.now(account).destinations()).isEmpty();
    }
}
