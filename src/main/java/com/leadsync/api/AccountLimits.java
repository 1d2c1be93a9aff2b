package com.leadsync.api;

import com.leadsync.store.AccountStore;
import com.leadsync.store.AccountStore.Slot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Caps what one lead fans out to: every lead is sent to each destination and subscription of its account,
 * so their number per account is bounded ({@code leadsync.limits.*}, 422 beyond). A slot is taken before the
 * item is written and given back when the write fails or the item is deleted.
 */
@ApplicationScoped
public class AccountLimits {

    private final AccountStore accounts;
    private final int destinations;
    private final int subscriptions;

    AccountLimits(AccountStore accounts,
            @ConfigProperty(name = "leadsync.limits.destinations-per-account") int destinations,
            @ConfigProperty(name = "leadsync.limits.subscriptions-per-account") int subscriptions) {
        this.accounts = accounts;
        this.destinations = destinations;
        this.subscriptions = subscriptions;
    }

    /** Creates a destination for the account within its limit. */
    public <T> T newDestination(String accountId, Supplier<T> create) {
        return within(accountId, Slot.DESTINATION, destinations, "destinations", create);
    }

    public <T> T newSubscription(String accountId, Supplier<T> create) {
        return within(accountId, Slot.SUBSCRIPTION, subscriptions, "webhook subscriptions", create);
    }

    public void destinationDeleted(String accountId) {
        accounts.returnSlot(accountId, Slot.DESTINATION);
    }

    public void subscriptionDeleted(String accountId) {
        accounts.returnSlot(accountId, Slot.SUBSCRIPTION);
    }

    private <T> T within(String accountId, Slot slot, int limit, String what, Supplier<T> create) {
        if (!accounts.takeSlot(accountId, slot, limit)) {
            throw ApiError.invalid("account " + accountId + " already has the maximum of " + limit + " " + what
                    + "; delete one first");
        }
        try {
            return create.get();
        } catch (RuntimeException | Error e) {
            accounts.returnSlot(accountId, slot);
            throw e;
        }
    }
}
