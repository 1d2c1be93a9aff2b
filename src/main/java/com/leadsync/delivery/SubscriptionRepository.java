package com.leadsync.delivery;

import java.util.List;
import java.util.Optional;

/**
 * An account's webhook subscriptions (implemented in {@code store/}).
 */
public interface SubscriptionRepository {

    void put(Subscription s);

    /** Writes an edited subscription over the stored one; false when it was deleted meanwhile (nothing written). */
    boolean replace(Subscription s);

    Optional<Subscription> get(String subscriptionId);

    List<Subscription> listByAccount(String accountId);

    /** How many the account has, counted on the index without reading the items. */
    int countByAccount(String accountId);

    /** Deletes it; true when this call removed it (so a repeated delete frees no second slot). */
    boolean delete(String subscriptionId);
}
