package com.leadsync.delivery;

import com.leadsync.event.Event;
import com.leadsync.model.StoredLead;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The extension point for a place leads are delivered to (HubSpot, Salesforce, a custom HTTP CRM, a webhook
 * subscriber...). One implementation per package under {@code delivery/}; the engine around it owns retries,
 * backoff, dedup, batching, pacing and the attempt log, so an implementation sends and classifies.
 *
 * <p>Capabilities beyond {@link #send}: {@link #maxBatchSize}/{@link #sendBatch} (several leads in one request),
 * {@link #pace} (the destination's rate limit, kept by the engine across all instances) and {@link #check} (the
 * test route: credentials and mapping checked without creating a record).
 */
public interface Destination {

    /** The {@code type} value of destinations it serves ("hubspot", "http", "webhook"). */
    String type();

    /** Config keys holding secrets: accepted on write, never returned or logged. */
    Set<String> secretKeys();

    /**
     * The tokens the credentials component keeps in any destination's config (a CRM's OAuth tokens, an API token):
     * sealed at rest and write-only whatever the type declares, so that no type can hand one back.
     */
    Set<String> TOKEN_KEYS = Set.of("accessToken", "refreshToken", "apiToken");

    /**
     * Config keys naming where the secrets are sent (a URL, an API domain, a login server). A PUT that changes one of
     * them drops the stored secrets it does not give again: a caller who cannot see a secret must not be able to
     * redirect it to a host of their choosing.
     */
    default Set<String> endpointKeys() {
        return Set.of();
    }

    /**
     * Problems with a destination's config, as human sentences; empty when it is usable. The field mapping's sources
     * are checked once by the caller ({@link FieldMapper#validate}): report only what is particular to this type.
     */
    List<String> validate(DeliveryTarget target);

    /** Sends one lead once; throws a classified {@link DeliveryException} on failure. */
    DeliveryReceipt send(DeliveryTarget target, StoredLead lead, DeliveryContext context) throws DeliveryException;

    /**
     * Sends one event ({@code delivery.failed}, {@code connection.*}, {@code import.*}) once. Only webhook subscribers
     * are sent events; a CRM's destination never is, and says so if asked.
     */
    default DeliveryReceipt sendEvent(DeliveryTarget target, Event event, DeliveryContext context)
            throws DeliveryException {
        throw DeliveryException.permanent("a " + type() + " destination receives leads, not events", null);
    }

    /** How many leads one {@link #sendBatch} request may carry for this target; 1 when the API has no batch write. */
    default int maxBatchSize(DeliveryTarget target) {
        return 1;
    }

    /**
     * Sends several leads (2..{@link #maxBatchSize}) in one request. Returns one outcome per item, in order: a
     * batch can half succeed, and only the failed items are retried. Throws when the request as a whole failed
     * (transport, 401, 429, 5xx): that failure is every item's.
     */
    default List<BatchOutcome> sendBatch(DeliveryTarget target, List<BatchItem> items) throws DeliveryException {
        List<BatchOutcome> out = new ArrayList<>(items.size());
        for (BatchItem item : items) {
            try {
                out.add(BatchOutcome.delivered(send(target, item.lead(), item.context())));
            } catch (DeliveryException e) {
                out.add(BatchOutcome.failed(e));
            }
        }
        return out;
    }

    /** The rate the target's API accepts, kept by the engine across every instance; unlimited by default. */
    default Pace pace(DeliveryTarget target) {
        return Pace.UNLIMITED;
    }

    /**
     * The test route: checks the credentials and the mapping against the receiving side without creating anything
     * (metadata calls). The default, for receivers without such calls, says there is nothing to check.
     */
    default CheckReport check(DeliveryTarget target) throws DeliveryException {
        return CheckReport.notCheckable("a " + type() + " destination has no call that checks it without sending a lead");
    }

    /** One lead of a batch, with the idempotency key of its own delivery. */
    record BatchItem(StoredLead lead, DeliveryContext context) {
    }

    /** What became of one item of a batch: a receipt or a classified failure. */
    record BatchOutcome(DeliveryReceipt receipt, DeliveryException failure) {

        public static BatchOutcome delivered(DeliveryReceipt receipt) {
            return new BatchOutcome(receipt, null);
        }

        public static BatchOutcome failed(DeliveryException failure) {
            return new BatchOutcome(null, failure);
        }

        public boolean ok() {
            return failure == null;
        }
    }
}
