package com.leadsync.account;

import com.leadsync.model.Account;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Accounts, their API keys (by hash) and their capped-slot counters (implemented in {@code store/}). */
public interface AccountRepository {

    /**
     * Per-account counters of things whose number is capped, kept on the account item, each with the time of
     * the last take or delete of that kind (epoch ms): a recount trusts the items only once that is old.
     */
    enum Slot { DESTINATION, SUBSCRIPTION, FLOW }

    /** A slot counter as read: {@code taken} null when the account predates counting, {@code changedAt} null if never touched. */
    record SlotCount(Long taken, Instant changedAt) {
    }

    /** One page of accounts: {@code nextCursor} null on the last. */
    record Page(List<Account> items, String nextCursor) {
    }

    void create(Account account, String apiKeyHash);

    /**
     * Every account, {@code limit} at a time, in the table's own order (an admin's listing: accounts are few, so
     * no index keeps them by time); a cursor not given out by this listing is an {@link IllegalArgumentException}.
     */
    Page list(int limit, String cursor);

    /**
     * Takes one of the account's {@code limit} slots of that kind in a single conditional write, so
     * concurrent creates cannot pass the limit; false when all are taken, the account is not counted yet
     * or does not exist.
     */
    boolean takeSlot(String accountId, Slot slot, int limit);

    /** Marks a delete of that kind as under way, before its item goes (so no recount runs meanwhile). */
    void touchSlot(String accountId, Slot slot);

    /** Gives a slot back (the thing was deleted); never below zero. */
    void returnSlot(String accountId, Slot slot);

    /** Strongly consistent; empty when the account does not exist. */
    Optional<SlotCount> slotCount(String accountId, Slot slot);

    /**
     * Sets the counter to {@code real} if it is still exactly as {@code seen} (no take, delete or other
     * recount since); false when something changed it meanwhile.
     */
    boolean recount(String accountId, Slot slot, SlotCount seen, long real);

    /** Strongly consistent, so an account just created is found at once. */
    boolean exists(String accountId);

    Optional<Account> get(String accountId);

    /** The account an API key (by hash) belongs to. */
    Optional<String> accountForKey(String keyHash);
}
