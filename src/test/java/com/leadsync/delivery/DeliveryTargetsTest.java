package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One directory of every kind of target: destinations and webhook subscribers look the same to the engine. */
class DeliveryTargetsTest {

    private final StoredDestinations destinations = new StoredDestinations();
    private final StoredSubscriptions subscriptions = new StoredSubscriptions();
    private final DeliveryTargets targets = new DeliveryTargets(destinations, subscriptions, new NoRoutes(), null,
            new AccountTargets(destinations, subscriptions));
    private final StoredLead lead = DestinationTestLeads.lead(); // meta_lead_ads, account acc_1

    @Test
    void a_lead_goes_to_the_enabled_destinations_and_the_subscribers_of_its_provider() {
        destinations.put(destination("dst_on", "acc_1", true));
        destinations.put(destination("dst_off", "acc_1", false));
        destinations.put(destination("dst_other_account", "acc_2", true));
        Subscription meta = subscription(Subscription.newId(), ProviderType.META_LEAD_ADS);
        subscriptions.put(meta);
        subscriptions.put(subscription(Subscription.newId(), ProviderType.GOOGLE_ADS));

        List<RoutedTargets.Route> found = targets.routeNew(lead);

        assertThat(found).extracting(RoutedTargets.Route::key).containsExactly("dst_on", meta.subscriptionId());
        assertThat(found.get(1).targetType()).isEqualTo("webhook");
        assertThat(targets.current(lead)).as("a push's routes, read now").isEqualTo(found);
        assertThat(targets.find(meta.subscriptionId()).orElseThrow().config("callbackUrl"))
                .isEqualTo("https://hooks.example/leads");
    }

    @Test
    void a_target_is_found_by_its_id_whichever_store_holds_it() {
        destinations.put(destination("dst_off", "acc_1", false));
        Subscription s = subscription(Subscription.newId(), ProviderType.META_LEAD_ADS);
        subscriptions.put(s);

        assertThat(targets.find("dst_off")).get().satisfies(t -> {
            assertThat(t.type()).isEqualTo("http");
            assertThat(t.enabled()).as("a disabled one is found, so its delivery can say so").isFalse();
        });
        assertThat(targets.find(s.subscriptionId())).get().extracting(DeliveryTarget::type).isEqualTo("webhook");
        assertThat(targets.find("dst_gone")).isEmpty();
        assertThat(targets.find(Subscription.newId())).isEmpty();
    }

    @Test
    void subscription_ids_never_look_like_destination_ids() {
        String id = Subscription.newId();
        assertThat(Subscription.isSubscriptionId(id)).isTrue();
        assertThat(Subscription.isSubscriptionId("dst_" + id.substring(4))).isFalse();
        assertThat(Subscription.newId()).isNotEqualTo(id);
    }

    private static DestinationConfig destination(String id, String account, boolean enabled) {
        return new DestinationConfig(id, account, "http", id, enabled, Map.of("url", "https://crm.example/in"),
                Map.of(), Instant.EPOCH, Instant.EPOCH);
    }

    private static Subscription subscription(String id, ProviderType provider) {
        return new Subscription(id, "acc_1", provider, "https://hooks.example/leads", "*", null, Instant.EPOCH);
    }

    private static final class StoredDestinations implements DestinationRepository {
        private final List<DestinationConfig> items = new ArrayList<>();

        @Override
        public void put(DestinationConfig d) {
            items.add(d);
        }

        @Override
        public Optional<DestinationConfig> get(String id) {
            return items.stream().filter(d -> d.destinationId().equals(id)).findFirst();
        }

        @Override
        public List<DestinationConfig> listByAccount(String accountId) {
            return items.stream().filter(d -> d.accountId().equals(accountId)).toList();
        }

        @Override
        public int countByAccount(String accountId) {
            return listByAccount(accountId).size();
        }

        @Override
        public boolean update(DestinationConfig d, long readVersion) {
            items.removeIf(old -> old.destinationId().equals(d.destinationId()));
            return items.add(d);
        }

        @Override
        public boolean delete(String id) {
            return items.removeIf(d -> d.destinationId().equals(id));
        }
    }

    private static final class StoredSubscriptions implements SubscriptionRepository {
        private final List<Subscription> items = new ArrayList<>();

        @Override
        public void put(Subscription s) {
            items.add(s);
        }

        @Override
        public boolean replace(Subscription s) {
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).subscriptionId().equals(s.subscriptionId())) {
                    items.set(i, s);
                    return true;
                }
            }
            return false;
        }

        @Override
        public Optional<Subscription> get(String id) {
            return items.stream().filter(s -> s.subscriptionId().equals(id)).findFirst();
        }

        @Override
        public List<Subscription> listByAccount(String accountId) {
            return items.stream().filter(s -> s.accountId().equals(accountId)).toList();
        }

        @Override
        public int countByAccount(String accountId) {
            return listByAccount(accountId).size();
        }

        @Override
        public boolean delete(String id) {
            return items.removeIf(s -> s.subscriptionId().equals(id));
        }
    }
}
