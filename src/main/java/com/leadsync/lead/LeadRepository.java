package com.leadsync.lead;

import com.leadsync.model.LeadStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lead records: the identity claim, the lease over each step, and the account's newest-first listing
 * (implemented in {@code store/}).
 */
public interface LeadRepository {

    /** A page of stored leads (what a push works through). */
    record Page(List<StoredLead> items, String nextCursor) {
    }

    /**
     * A page of lead records, newest first, and for each the cursor that continues right after it: a caller may
     * stop early (e.g. at a response size budget) and still hand out an exact cursor. After the last record it is
     * null when the listing is done.
     */
    record RecordPage(List<LeadRecord> items, List<String> cursorsAfter) {
        public String nextCursor() {
            return cursorsAfter.isEmpty() ? null : cursorsAfter.get(cursorsAfter.size() - 1);
        }
    }

    Optional<LeadRecord> get(String leadId);

    /**
     * Claims a new identity with a lease for {@code owner}; false when the lead already exists. The claimed lead is
     * listed already, at {@code noticedAt} (the provider's submission time as the notice gave it; else {@code now}),
     * so that one whose fetch keeps failing is seen with its error rather than hidden; storing it moves it to the
     * fetched {@code receivedAt}.
     */
    boolean claim(LeadIdentity identity, Instant noticedAt, String owner, long leaseUntil, Instant now);

    /** Who claimed a lead ({@code owner} of its {@link #claim}) and how far it got. */
    record Claim(String claimedBy, LeadStatus status) {
    }

    /**
     * The claims of those of these leads that exist: an import tells the leads it created from those that were known
     * before it, on any retry of the same page, and finds the ones still waiting to be stored.
     */
    Map<String, Claim> claims(Collection<String> leadIds);

    /**
     * Takes over an unfinished lead: allowed when nobody holds a live lease (or {@code owner} already
     * does, as a redelivered message). False when another worker holds it or it is already dispatched.
     */
    boolean takeLease(String leadId, String owner, long nowMillis, long leaseUntil);

    /** RECEIVED → STORED with the normalized lead and how it arrived; only the lease holder may. */
    void store(String owner, StoredLead lead, Arrival arrival);

    /** {@link #store(String, StoredLead, Arrival)} of a lead whose arrival is not known. */
    default void store(String owner, StoredLead lead) {
        store(owner, lead, null);
    }

    /**
     * STORED → DISPATCHED (noting when, and the deliveries it was queued to: key → target type), releasing the
     * lease; only the lease holder may.
     */
    void markDispatched(String leadId, String owner, Instant at, Map<String, String> routes);

    /**
     * Adds deliveries a push opened to the lead's routes (a destination created after it was dispatched), so that
     * its views keep finding every delivery by them. A lead dispatched before routes were kept is left as it is: its
     * views read its deliveries by a query instead.
     */
    void addRoutes(String leadId, Map<String, String> routes);

    /** Releases the lease after a failed step so the retry need not wait for it to expire. */
    void releaseWithError(String leadId, String owner, String error);

    /**
     * Removes a claimed lead that turned out to be a duplicate of another one (the same submission under another
     * provider id), so it is neither listed nor dispatched; only the lease holder may, and only before it is stored.
     */
    void discard(String leadId, String owner);

    void countDuplicate(String leadId);

    /** An account's stored leads, as {@link #listRecords} lists them, without those not fetched yet. */
    Page list(String accountId, int limit, String cursor, ProviderType provider, Instant since, Instant until);

    /**
     * An account's leads, newest {@code listKey} first ({@code receivedAt}, or the notice's time until fetched).
     * {@code since}/{@code until} bound the key range; a provider filter is an index of its own
     * ({@code byAccountProvider}), so every read item is a listed one; both are sharded per account (see the store).
     *
     * @throws IllegalArgumentException when {@code cursor} was not made by this listing (account, filter, window)
     */
    RecordPage listRecords(String accountId, int limit, String cursor, ProviderType provider, Instant since,
            Instant until);

    /**
     * How many of the account's leads are listed in [{@code since}, {@code until}] on each UTC day, per provider;
     * counting stops after {@code maxLeads} (the newest ones), which then leaves the count incomplete.
     */
    DailyLeadCounts countByDay(String accountId, Instant since, Instant until, int maxLeads);
}
