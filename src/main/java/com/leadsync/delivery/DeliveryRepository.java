package com.leadsync.delivery;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One delivery record per (lead, target): generations, leases, tries and the due index of retries (implemented in
 * {@code store/}).
 */
public interface DeliveryRepository {

    /** A row of the due index; {@code finished}: delivered or failed, so there is nothing to re-queue. */
    record Due(String leadId, String targetId, long generation, long dueAt, boolean finished, String traceId) {
    }

    /** A generation opened by a push, and the trace of the lead it delivers (null on records from before it). */
    record Generation(long generation, String traceId) {
    }

    /** {@code next} is where the following page starts (null on the last page). */
    record DuePage(List<Due> items, Due next) {
    }

    /**
     * Creates the pending record for a first delivery, or leaves an existing one as it is (a redelivered
     * dispatch). Returns the generation to send. Only a new record is put in the due index, with a watchdog
     * time: should its message be lost (e.g. dead-lettered), the retry sweep re-queues it then. An existing
     * record keeps its place in (or out of) the index, so a finished delivery never re-enters it. {@code traceId}
     * (null for an event) is kept with the record, so that every later message about it carries it.
     */
    long ensure(String leadId, String targetId, String accountId, String targetType, Instant watchdog,
            String traceId);

    /**
     * A manual push: a new generation to send, unless a delivery of this pair is in flight (see
     * {@link DeliveryRecord#inFlight}), in which case nothing changes and the result is empty. Checked in the
     * same conditional write, so two pushes racing open one generation. The record stays in the due index
     * (watchdog), so a push whose message never gets queued is re-queued later.
     */
    Optional<Generation> newGeneration(String leadId, String targetId, String accountId, String targetType,
            Instant now, Instant watchdog);

    Optional<DeliveryRecord> get(String leadId, String targetId);

    List<DeliveryRecord> listForLead(String leadId);

    /** A lead's delivery records; without {@code history} (read as empty) when a listing does not show it. */
    List<DeliveryRecord> listForLead(String leadId, boolean withHistory);

    /**
     * The records of the named deliveries (lead → delivery keys), without {@code history}, in a few batched reads:
     * a page of leads costs one read per hundred deliveries rather than one per lead. A delivery with no record
     * yet is absent from its lead's list.
     */
    Map<String, List<DeliveryRecord>> forLeads(Map<String, ? extends Collection<String>> keysByLead);

    /**
     * What a delivery's record starts with when its first message creates it: a lead's dispatch queues messages and
     * writes no record. {@code watchdog}: when the retry sweep re-queues it, should that attempt die and its message
     * end in the DLQ. {@code targetType} null: the target is gone (the record is created to say it failed).
     */
    record FirstRecord(String accountId, String targetType, String traceId, Instant watchdog) {
    }

    /**
     * Takes the right to send {@code generation}: only while it is pending (or retrying and due), not yet
     * delivered, still the current generation, and nobody else holds a live lease.
     */
    default boolean takeLease(String leadId, String targetId, long generation, String owner, long nowMillis,
            long leaseUntil) {
        return takeLease(leadId, targetId, generation, owner, nowMillis, leaseUntil, null);
    }

    /**
     * As {@link #takeLease(String, String, long, String, long, long)}; a delivery without a record yet gets one
     * (unless {@code first} is null), pending, leased to {@code owner} and in the due index, in the same conditional
     * write.
     */
    boolean takeLease(String leadId, String targetId, long generation, String owner, long nowMillis,
            long leaseUntil, FirstRecord first);

    void recordDelivered(String leadId, String targetId, String owner, long generation, Instant at,
            List<Attempt> tries);

    void recordRetrying(String leadId, String targetId, String owner, long generation, Instant nextAttemptAt,
            String error, List<Attempt> tries);

    /**
     * As {@link #recordRetrying}, for a send refused as too fast: the retry does not use up a rung of the backoff
     * schedule, so rate limits alone never make a delivery fail.
     */
    void recordRateLimited(String leadId, String targetId, String owner, long generation, Instant nextAttemptAt,
            String error, List<Attempt> tries);

    /**
     * Schedules the delivery for {@code nextAttemptAt} without an attempt and without climbing either ladder: the
     * destination's own limit (a parked destination, a spent pace window) holds it, not anything about this lead.
     */
    void recordDeferred(String leadId, String targetId, String owner, long generation, Instant nextAttemptAt,
            String reason);

    void recordFailed(String leadId, String targetId, String owner, long generation, String error,
            List<Attempt> tries);

    /**
     * The due index's shards: its rows are spread over these partition keys, so that no key takes every write of a
     * busy pipeline; a sweep walks each.
     */
    List<String> dueShards();

    /**
     * Deliveries of one due shard whose time has come, oldest first: retries whose backoff has elapsed, and pending
     * ones whose watchdog expired (their message was lost). {@code after} continues a previous page of the shard.
     */
    DuePage due(String shard, Instant now, int limit, Due after);

    /**
     * Marks a due delivery re-queued: pending again, with a new watchdog time in the due index. False if it
     * changed meanwhile (someone else re-queued or delivered it).
     */
    boolean markRequeued(Due due, Instant watchdog);

    /**
     * Takes a row the sweep cannot re-queue out of the due index: one that is delivered or failed yet still
     * indexed (earlier releases left such rows), which the sweep would otherwise meet every minute. A row
     * that moved on meanwhile (new due time, new push) is left alone.
     */
    boolean dropFinishedFromDue(Due due);
}
