package com.leadsync.delivery;

import com.leadsync.event.EventTypes;
import com.leadsync.model.StoredLead;
import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * An account's destinations and webhook subscriptions as the dispatch of its new leads needs them, cached per function
 * instance for {@code quarkus.cache.caffeine."account-targets".expire-after-write} (seconds): at thousands of leads a
 * second an account's targets are otherwise read twice per lead. Every write through the stores empties this
 * instance's cache ({@code store/}), so local mode sees a change at once; in AWS another function's write takes effect
 * on new leads within the expiry. What a delivery sends to is read when it is sent, so a disabled or deleted
 * destination is never sent a lead from a stale list (its delivery ends failed, saying why).
 */
@ApplicationScoped
public class AccountTargets {

    public static final String CACHE = "account-targets";

    private final DestinationRepository destinations;
    private final SubscriptionRepository subscriptions;

    AccountTargets(DestinationRepository destinations, SubscriptionRepository subscriptions) {
        this.destinations = destinations;
        this.subscriptions = subscriptions;
    }

    /** As {@link #now}, from this instance's cache. */
    @CacheResult(cacheName = CACHE)
    public Listed of(String accountId) {
        return now(accountId);
    }

    /** Read from the stores now (a push, which a person asked for, sees the targets as they are). */
    public Listed now(String accountId) {
        return new Listed(destinations.listByAccount(accountId).stream().filter(d -> d.enabled() && !d.flowsOnly())
                .map(d -> new RoutedTargets.Route(d.destinationId(), d.type())).toList(),
                subscriptions.listByAccount(accountId));
    }

    /** The account's enabled destinations (but those receiving from flows only) and all its subscriptions. */
    public record Listed(List<RoutedTargets.Route> destinations, List<Subscription> subscriptions) {

        public Listed {
            destinations = List.copyOf(destinations);
            subscriptions = List.copyOf(subscriptions);
        }

        /** Where a lead goes: the destinations, then the subscriptions matching its provider. */
        List<RoutedTargets.Route> forLead(StoredLead lead) {
            List<RoutedTargets.Route> routes = new ArrayList<>(destinations);
            subscriptions.stream().filter(s -> s.wants(EventTypes.LEAD_CREATED, lead.providerType()))
                    .map(s -> new RoutedTargets.Route(s.subscriptionId(), Subscription.TARGET_TYPE)).forEach(routes::add);
            return routes;
        }
    }
}
