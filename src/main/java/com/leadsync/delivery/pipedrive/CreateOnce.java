package com.leadsync.delivery.pipedrive;

import com.leadsync.delivery.CrmLinks;
import com.leadsync.delivery.CrmLinks.Held;
import com.leadsync.delivery.CrmLinks.Linked;
import com.leadsync.delivery.CrmLinks.Taken;
import com.leadsync.delivery.DeliveryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Gets the Pipedrive record for one key of ours, creating it at most once however many deliveries ask at the same
 * time or again later (mautic#6532, crm.md D.2): claim the key, look in Pipedrive when the record may exist (always
 * for what Pipedrive can search, such as a person's email; after a takeover for the rest), else create, then record
 * the id. Whoever finds the key held waits for the holder's id, a bounded while; a crashed holder's claim runs out
 * after {@link #LEASE} and is taken over.
 */
final class CreateOnce {

    /**
     * Longer than a claim holder needs: the lead's claim spans its person, organization and lead calls (each at most
     * the outbound timeout, 15 s). Should a holder still be at work when it ends, a taker's search finds its record.
     */
    static final Duration LEASE = Duration.ofSeconds(90);
    /** How long a delivery waits for another's record before it gives up and is retried. */
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration RETRY_AFTER_WAIT = Duration.ofSeconds(5);

    /**
     * Looks in Pipedrive for a record made for the key; null when there is none. {@code firstClaimAt}: when the key
     * was first claimed, null when unknown (see {@link Taken#firstClaimAt}).
     */
    @FunctionalInterface
    interface Search {
        String find(Instant firstClaimAt) throws DeliveryException;
    }

    @FunctionalInterface
    interface Create {
        String create() throws DeliveryException;
    }

    /** The record's id, and whether this call created it. */
    record Outcome(String id, boolean created) {
    }

    private final CrmLinks links;
    private final Clock clock;
    private final Duration wait;

    CreateOnce(CrmLinks links, Clock clock, Duration wait) {
        this.links = links;
        this.clock = clock;
        this.wait = wait;
    }

    /**
     * @param what          names the record in messages ("person", "lead")
     * @param alwaysSearch  search before creating even on a first claim (the record may predate us)
     * @param search        null when the record cannot be searched for
     */
    Outcome get(String key, String what, boolean alwaysSearch, Search search, Create create)
            throws DeliveryException {
        String owner = UUID.randomUUID().toString();
        Instant giveUp = clock.instant().plus(wait);
        long pauseMillis = 20;
        while (true) {
            CrmLinks.Claim claim = links.claim(key, owner, clock.instant(), LEASE);
            if (claim instanceof Linked linked) {
                return new Outcome(linked.crmId(), false);
            }
            if (claim instanceof Taken taken) {
                return createHolding(key, owner, search != null && (alwaysSearch || taken.takenOver()) ? search : null,
                        taken.firstClaimAt(), create);
            }
            Held held = (Held) claim;
            if (!clock.instant().isBefore(giveUp)) {
                throw DeliveryException.retryable("another delivery is creating this " + what + " in Pipedrive "
                        + "(claimed until " + held.leaseUntil() + "); tried again later", null, RETRY_AFTER_WAIT);
            }
            pause(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, 500);
        }
    }

    private Outcome createHolding(String key, String owner, Search search, Instant firstClaimAt, Create create)
            throws DeliveryException {
        try {
            String found = search == null ? null : search.find(firstClaimAt);
            if (found != null) {
                return new Outcome(links.link(key, found), false);
            }
            String created = create.create();
            String linked = links.link(key, created);
            return new Outcome(linked, linked.equals(created));
        } catch (DeliveryException | RuntimeException e) {
            // The record may exist even so (a timeout after Pipedrive wrote it): the next taker searches first.
            links.release(key, owner);
            throw e;
        }
    }

    /**
     * Between two reads of the claim while another delivery holds it: the holder's id appears in the table, which
     * offers no way to be told, so the condition is polled (with backoff, until {@link #WAIT}).
     */
    private static void pause(long millis) throws DeliveryException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.retryable("interrupted while waiting for another delivery's Pipedrive record",
                    null, null);
        }
    }
}
