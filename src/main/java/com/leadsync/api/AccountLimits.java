package com.leadsync.api;

import com.leadsync.account.AccountRepository.Slot;
import com.leadsync.account.AccountRepository.SlotCount;
import com.leadsync.account.AccountRepository;
import com.leadsync.delivery.DestinationRepository;
import com.leadsync.delivery.SubscriptionRepository;
import com.leadsync.flow.FlowRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Caps what one lead fans out to: every lead is sent to each destination and subscription of its account and run
 * through each of its flows, so their number per account is bounded ({@code leadsync.limits.*}, 422 beyond). A slot is taken (one
 * conditional write on the account item) before the item is written and given back when the item is deleted.
 * <p>
 * The counter may only err high: a create whose write failed keeps its slot (the item may exist after all),
 * and a give-back can be lost after its delete. So when a take is refused, or the account predates counting,
 * the real items are counted and the counter set to that - but only once nothing of that kind was taken or
 * deleted for {@code leadsync.limits.recount-after} (longer than any API call runs): until then an in-flight
 * create holds a slot whose item is not written yet, and an in-flight delete a give-back still to come.
 */
@ApplicationScoped
public class AccountLimits {

    private final AccountRepository accounts;
    private final DestinationRepository destinationItems;
    private final SubscriptionRepository subscriptionItems;
    private final FlowRepository flowItems;
    private final Clock clock;
    private final int destinations;
    private final int subscriptions;
    private final int flows;
    private final Duration recountAfter;

    AccountLimits(AccountRepository accounts, DestinationRepository destinationItems, SubscriptionRepository subscriptionItems,
            FlowRepository flowItems, Clock clock,
            @ConfigProperty(name = "leadsync.limits.destinations-per-account") int destinations,
            @ConfigProperty(name = "leadsync.limits.subscriptions-per-account") int subscriptions,
            @ConfigProperty(name = "leadsync.limits.flows-per-account") int flows,
            @ConfigProperty(name = "leadsync.limits.recount-after") Duration recountAfter) {
        this.accounts = accounts;
        this.destinationItems = destinationItems;
        this.subscriptionItems = subscriptionItems;
        this.flowItems = flowItems;
        this.flows = flows;
        this.clock = clock;
        this.destinations = destinations;
        this.subscriptions = subscriptions;
        this.recountAfter = recountAfter;
    }

    /** Creates a destination for the account within its limit. */
    public <T> T newDestination(String accountId, Supplier<T> create) {
        return within(accountId, Slot.DESTINATION, destinations, "destinations",
                () -> destinationItems.countByAccount(accountId), create);
    }

    public <T> T newSubscription(String accountId, Supplier<T> create) {
        return within(accountId, Slot.SUBSCRIPTION, subscriptions, "webhook subscriptions",
                () -> subscriptionItems.countByAccount(accountId), create);
    }

    /** Creates a flow within the account's limit: every flow runs on every new lead of its account. */
    public <T> T newFlow(String accountId, Supplier<T> create) {
        return within(accountId, Slot.FLOW, flows, "flows", () -> flowItems.countByAccount(accountId), create);
    }

    public void deleteFlow(String accountId, BooleanSupplier delete) {
        removing(accountId, Slot.FLOW, delete);
    }

    /** Deletes a destination ({@code delete} true when this call removed it) and gives its slot back. */
    public void deleteDestination(String accountId, BooleanSupplier delete) {
        removing(accountId, Slot.DESTINATION, delete);
    }

    public void deleteSubscription(String accountId, BooleanSupplier delete) {
        removing(accountId, Slot.SUBSCRIPTION, delete);
    }

    private void removing(String accountId, Slot slot, BooleanSupplier delete) {
        accounts.touchSlot(accountId, slot);
        if (delete.getAsBoolean()) {
            accounts.returnSlot(accountId, slot);
        }
    }

    private <T> T within(String accountId, Slot slot, int limit, String what, IntSupplier realCount,
            Supplier<T> create) {
        if (!accounts.takeSlot(accountId, slot, limit)
                && !(recounted(accountId, slot, realCount) && accounts.takeSlot(accountId, slot, limit))) {
            throw ApiError.invalid("account " + accountId + " already has the maximum of " + limit + " " + what
                    + "; delete one first");
        }
        return create.get();
    }

    /** True when the counter was set from the real items (by this call or a concurrent one): worth a new take. */
    private boolean recounted(String accountId, Slot slot, IntSupplier realCount) {
        Optional<SlotCount> seen = accounts.slotCount(accountId, slot);
        if (seen.isEmpty() || seen.get().changedAt() != null
                && seen.get().changedAt().isAfter(clock.instant().minus(recountAfter))) {
            return false;
        }
        long real = realCount.getAsInt();
        if (seen.get().taken() != null && seen.get().taken() == real) {
            return false;
        }
        accounts.recount(accountId, slot, seen.get(), real);
        return true;
    }
}
