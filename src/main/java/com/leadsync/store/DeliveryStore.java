package com.leadsync.store;

import com.leadsync.delivery.Attempt;
import com.leadsync.delivery.DeliveryRecord;
import com.leadsync.delivery.DeliveryRepository;
import com.leadsync.delivery.DeliveryStatus;
import com.leadsync.model.ConditionFailed;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Delivery records, one per (lead, target). Sends are guarded by a lease and a generation check in one
 * conditional update, so concurrent or redelivered messages for the same pair send at most once.
 */
@ApplicationScoped
public class DeliveryStore implements DeliveryRepository {

    /**
     * The due index's partition keys. A row goes to one of {@link #DUE_SHARDS} by a hash of its delivery's key, so
     * that no partition takes more than its share of the index's writes (README "Scaling": 64 keep each under a
     * DynamoDB partition's ~1,000 writes/s at 20,000 deliveries/s); {@link #LEGACY_DUE_SHARD} holds rows written
     * before, still swept.
     */
    static final int DUE_SHARDS = 64;
    static final String LEGACY_DUE_SHARD = "due";
    private static final List<String> ALL_DUE_SHARDS = allDueShards();

    private static List<String> allDueShards() {
        List<String> out = new ArrayList<>(List.of(LEGACY_DUE_SHARD));
        for (int i = 0; i < DUE_SHARDS; i++) {
            out.add("due#" + i);
        }
        return List.copyOf(out);
    }

    /** The due shard of a delivery: the same for every write about it, spread evenly over deliveries. */
    static String dueShard(String leadId, String targetId) {
        return "due#" + Math.floorMod((leadId + "/" + targetId).hashCode(), DUE_SHARDS);
    }

    /** Longest try detail or error kept: a receiver's answer must not grow the item towards DynamoDB's 400 KB. */
    static final int TEXT_LIMIT = 500;

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final int historyLimit;

    DeliveryStore(DynamoDbClient dynamo, TableNames tables,
            @ConfigProperty(name = "leadsync.delivery.history-limit", defaultValue = "50") int historyLimit) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.historyLimit = Math.max(1, historyLimit);
    }

    private String table() {
        return tables.of(Schema.DELIVERIES);
    }

    private static Map<String, AttributeValue> key(String leadId, String targetId) {
        return Map.of("leadId", Attr.s(leadId), "targetId", Attr.s(targetId));
    }

    /**
     * Creates the pending record for a first delivery, or leaves an existing one as it is (a redelivered
     * dispatch). Returns the generation to send. Only a new record is put in the due index, with a watchdog
     * time: should its message be lost (e.g. dead-lettered), the retry sweep re-queues it then. An existing
     * record keeps its place in (or out of) the index, so a finished delivery never re-enters it.
     */
    public long ensure(String leadId, String targetId, String accountId, String targetType, Instant watchdog,
            String traceId) {
        Map<String, AttributeValue> values = new HashMap<>(Attr.values(":zero", Attr.n(0), ":one", Attr.n(1),
                ":pending", Attr.s(DeliveryStatus.PENDING.wireName()), ":acc", Attr.s(accountId),
                ":type", Attr.s(targetType), ":shard", Attr.s(dueShard(leadId, targetId)),
                ":watchdog", Attr.n(watchdog.toEpochMilli())));
        if (traceId != null) {
            values.put(":trace", Attr.s(traceId));
        }
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(leadId, targetId))
                    .updateExpression("SET accountId = :acc, targetType = :type, #st = :pending, attempts = :zero, "
                            + "generation = :one, deliveredGeneration = :zero, retryRound = :zero, "
                            + "rateLimitedRounds = :zero, retryShard = :shard, dueAt = :watchdog"
                            + (traceId != null ? ", traceId = :trace" : ""))
                    .conditionExpression("attribute_not_exists(leadId)")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(values));
            return 1;
        } catch (ConditionalCheckFailedException exists) {
            return get(leadId, targetId).orElseThrow(() -> new ConditionFailed("delivery " + leadId + "/" + targetId
                    + " vanished")).generation();
        }
    }

    /**
     * A manual push: a new generation to send, unless a delivery of this pair is in flight (see
     * {@link DeliveryRecord#inFlight}), in which case nothing changes and the result is empty. Checked in the
     * same conditional write, so two pushes racing open one generation. The record stays in the due index
     * (watchdog), so a push whose message never gets queued is re-queued later.
     */
    public Optional<Generation> newGeneration(String leadId, String targetId, String accountId, String targetType,
            Instant now, Instant watchdog) {
        try {
            var r = dynamo.updateItem(b -> b.tableName(table()).key(key(leadId, targetId))
                    .updateExpression("SET generation = if_not_exists(generation, :zero) + :one, #st = :pending, "
                            + "accountId = :acc, targetType = :type, attempts = if_not_exists(attempts, :zero), "
                            + "deliveredGeneration = if_not_exists(deliveredGeneration, :zero), retryRound = :zero, "
                            + "rateLimitedRounds = :zero, retryShard = :shard, dueAt = :watchdog REMOVE nextAttemptAt")
                    .conditionExpression("attribute_not_exists(leadId) OR ("
                            + "(#st <> :pending OR attribute_not_exists(dueAt) OR dueAt <= :now)"
                            + " AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now))")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Attr.values(":zero", Attr.n(0), ":one", Attr.n(1),
                            ":pending", Attr.s(DeliveryStatus.PENDING.wireName()), ":acc", Attr.s(accountId),
                            ":type", Attr.s(targetType), ":shard", Attr.s(dueShard(leadId, targetId)),
                            ":watchdog", Attr.n(watchdog.toEpochMilli()), ":now", Attr.n(now.toEpochMilli())))
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(new Generation(Long.parseLong(r.attributes().get("generation").n()),
                    Attr.str(r.attributes(), "traceId")));
        } catch (ConditionalCheckFailedException inFlight) {
            return Optional.empty();
        }
    }

    public Optional<DeliveryRecord> get(String leadId, String targetId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table()).key(key(leadId, targetId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    public List<DeliveryRecord> listForLead(String leadId) {
        return listForLead(leadId, true);
    }

    /** Every attribute {@link #read} uses but {@code history}: what a listing needs, a fraction of the bytes. */
    private static final List<String> WITHOUT_HISTORY = List.of("leadId", "targetId", "accountId", "targetType",
            "status", "attempts", "lastError", "nextAttemptAt", "deliveredAt", "generation", "deliveredGeneration",
            "retryRound", "rateLimitedRounds", "leaseOwner", "leaseUntil", "dueAt", "traceId");

    /** A lead's delivery records; without {@code history} (read as empty) when a listing does not show it. */
    public List<DeliveryRecord> listForLead(String leadId, boolean withHistory) {
        Map<String, String> names = new HashMap<>();
        if (!withHistory) {
            WITHOUT_HISTORY.forEach(a -> names.put("#" + a, a));
        }
        return dynamo.queryPaginator(b -> b.tableName(table()).keyConditionExpression("leadId = :l")
                        .consistentRead(true).expressionAttributeValues(Map.of(":l", Attr.s(leadId)))
                        .projectionExpression(withHistory ? null : String.join(", ", names.keySet()))
                        .expressionAttributeNames(withHistory ? null : names))
                .items().stream().map(DeliveryStore::read).toList();
    }

    @Override
    public Map<String, List<DeliveryRecord>> forLeads(Map<String, ? extends Collection<String>> keysByLead) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keysByLead.forEach((lead, targets) -> targets.forEach(t -> keys.add(key(lead, t))));
        Map<String, String> names = new HashMap<>();
        WITHOUT_HISTORY.forEach(a -> names.put("#" + a, a));
        String projection = String.join(", ", names.keySet());
        Map<String, List<DeliveryRecord>> out = new LinkedHashMap<>();
        keysByLead.keySet().forEach(lead -> out.put(lead, new ArrayList<>()));
        BatchGets.all(dynamo, table(), keys, b -> b.projectionExpression(projection).expressionAttributeNames(names))
                .stream().map(DeliveryStore::read)
                .forEach(d -> out.computeIfAbsent(d.leadId(), k -> new ArrayList<>()).add(d));
        // In the order of the keys asked, as a lead's own listing is in key order.
        out.values().forEach(list -> list.sort(Comparator.comparing(DeliveryRecord::targetId)));
        return out;
    }

    /**
     * Takes the right to send {@code generation}: only while it is pending (or retrying and due), not yet
     * delivered, still the current generation, and nobody else holds a live lease; or, given {@code first}, while
     * the delivery has no record yet.
     */
    @Override
    public boolean takeLease(String leadId, String targetId, long generation, String owner, long nowMillis,
            long leaseUntil, FirstRecord first) {
        String taken = "generation = :g AND deliveredGeneration < :g"
                + " AND (#st = :pending OR (#st = :retrying AND dueAt <= :now))"
                + " AND (attribute_not_exists(leaseOwner) OR leaseOwner = :me OR leaseUntil < :now)";
        Map<String, AttributeValue> values = new HashMap<>(Attr.values(":me", Attr.s(owner), ":until",
                Attr.n(leaseUntil), ":now", Attr.n(nowMillis), ":g", Attr.n(generation),
                ":pending", Attr.s(DeliveryStatus.PENDING.wireName()),
                ":retrying", Attr.s(DeliveryStatus.RETRYING.wireName())));
        String update = "SET leaseOwner = :me, leaseUntil = :until";
        if (first != null) {
            // Only a record that does not exist takes these (an existing one satisfies the condition only with all
            // of them set): the first message of a delivery starts it pending, in the due index.
            update += ", accountId = if_not_exists(accountId, :acc), #st = if_not_exists(#st, :pending), "
                    + "generation = if_not_exists(generation, :g), attempts = if_not_exists(attempts, :zero), "
                    + "deliveredGeneration = if_not_exists(deliveredGeneration, :zero), "
                    + "retryRound = if_not_exists(retryRound, :zero), "
                    + "rateLimitedRounds = if_not_exists(rateLimitedRounds, :zero), "
                    + "retryShard = if_not_exists(retryShard, :shard), dueAt = if_not_exists(dueAt, :watchdog)";
            values.put(":acc", Attr.s(first.accountId()));
            values.put(":zero", Attr.n(0));
            values.put(":shard", Attr.s(dueShard(leadId, targetId)));
            values.put(":watchdog", Attr.n(first.watchdog().toEpochMilli()));
            if (first.targetType() != null) {
                update += ", targetType = if_not_exists(targetType, :type)";
                values.put(":type", Attr.s(first.targetType()));
            }
            if (first.traceId() != null) {
                update += ", traceId = if_not_exists(traceId, :trace)";
                values.put(":trace", Attr.s(first.traceId()));
            }
        }
        String condition = first == null ? taken : "attribute_not_exists(leadId) OR (" + taken + ")";
        String expression = update;
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(leadId, targetId))
                    .updateExpression(expression).conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public void recordDelivered(String leadId, String targetId, String owner, long generation, Instant at,
            List<Attempt> tries) {
        finish(leadId, targetId, owner, generation, tries, "SET #st = :s, deliveredAt = :at, deliveredGeneration = :g, "
                        + "retryRound = :zero, rateLimitedRounds = :zero "
                        + "REMOVE lastError, nextAttemptAt, dueAt, retryShard, leaseOwner, leaseUntil",
                Attr.values(":s", Attr.s(DeliveryStatus.DELIVERED.wireName()), ":at", Attr.s(at.toString()),
                        ":g", Attr.n(generation), ":zero", Attr.n(0)));
    }

    public void recordRetrying(String leadId, String targetId, String owner, long generation, Instant nextAttemptAt,
            String error, List<Attempt> tries) {
        retryAt(leadId, targetId, owner, generation, nextAttemptAt, error, tries, "retryRound");
    }

    public void recordRateLimited(String leadId, String targetId, String owner, long generation,
            Instant nextAttemptAt, String error, List<Attempt> tries) {
        retryAt(leadId, targetId, owner, generation, nextAttemptAt, error, tries, "rateLimitedRounds");
    }

    @Override
    public void recordDeferred(String leadId, String targetId, String owner, long generation, Instant nextAttemptAt,
            String reason) {
        retryAt(leadId, targetId, owner, generation, nextAttemptAt, reason, List.of(), null);
    }

    /** {@code ladder}: the counter this retry climbs, {@code retryRound} or {@code rateLimitedRounds}; null: none. */
    private void retryAt(String leadId, String targetId, String owner, long generation, Instant nextAttemptAt,
            String error, List<Attempt> tries, String ladder) {
        String climb = ladder == null ? "" : ", " + ladder + " = if_not_exists(" + ladder + ", :zero) + :one";
        Map<String, AttributeValue> values = Attr.values(":s", Attr.s(DeliveryStatus.RETRYING.wireName()),
                ":err", Attr.s(clip(error)), ":next", Attr.s(nextAttemptAt.toString()),
                ":due", Attr.n(nextAttemptAt.toEpochMilli()), ":shard", Attr.s(dueShard(leadId, targetId)));
        if (ladder != null) {
            values.put(":zero", Attr.n(0));
            values.put(":one", Attr.n(1));
        }
        finish(leadId, targetId, owner, generation, tries, "SET #st = :s, lastError = :err, nextAttemptAt = :next, "
                        + "dueAt = :due, retryShard = :shard" + climb + " REMOVE leaseOwner, leaseUntil", values);
    }

    public void recordFailed(String leadId, String targetId, String owner, long generation, String error,
            List<Attempt> tries) {
        finish(leadId, targetId, owner, generation, tries, "SET #st = :s, lastError = :err "
                        + "REMOVE nextAttemptAt, dueAt, retryShard, leaseOwner, leaseUntil",
                Attr.values(":s", Attr.s(DeliveryStatus.FAILED.wireName()), ":err", Attr.s(clip(error))));
    }

    /**
     * Records the outcome of {@code generation}, if it is still the current one; if a manual push started a
     * newer generation meanwhile, only the tries are logged and the lease released, and the newer
     * generation's own message decides the status. The history keeps the newest {@code history-limit}
     * tries ({@code attempts} counts them all): the usual write appends and checks there is room; only
     * when the history is full is it read, trimmed and written whole.
     */
    private void finish(String leadId, String targetId, String owner, long generation, List<Attempt> tries,
            String update, Map<String, AttributeValue> values) {
        List<Attempt> kept = tries.size() <= historyLimit ? tries : tries.subList(tries.size() - historyLimit,
                tries.size());
        Map<String, AttributeValue> v = new HashMap<>(values);
        v.put(":me", Attr.s(owner));
        v.put(":gen", Attr.n(generation));
        v.put(":n", Attr.n(tries.size()));
        v.put(":tries", attempts(kept));
        v.put(":empty", AttributeValue.fromL(List.of()));
        v.put(":room", Attr.n(historyLimit - kept.size()));
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(leadId, targetId))
                    .updateExpression(update.replaceFirst("^SET ", "SET attempts = attempts + :n, "
                            + "history = list_append(if_not_exists(history, :empty), :tries), "))
                    .conditionExpression("leaseOwner = :me AND generation = :gen"
                            + " AND (attribute_not_exists(history) OR size(history) <= :room)")
                    .expressionAttributeNames(Map.of("#st", "status")).expressionAttributeValues(v));
            return;
        } catch (ConditionalCheckFailedException e) {
            // Fall through: the history is full, a newer generation superseded this one, or the lease is gone.
        }
        DeliveryRecord current = get(leadId, targetId).filter(r -> owner.equals(r.leaseOwner()))
                .orElseThrow(() -> lostLease(leadId, targetId));
        // Only the lease holder writes the history, so it cannot change between this read and the write.
        List<Attempt> history = new ArrayList<>(current.history());
        history.addAll(kept);
        AttributeValue trimmed = attempts(history.subList(Math.max(0, history.size() - historyLimit), history.size()));
        if (current.generation() == generation) {
            Map<String, AttributeValue> whole = new HashMap<>(values);
            whole.put(":me", Attr.s(owner));
            whole.put(":gen", Attr.n(generation));
            whole.put(":n", Attr.n(tries.size()));
            whole.put(":history", trimmed);
            try {
                dynamo.updateItem(b -> b.tableName(table()).key(key(leadId, targetId))
                        .updateExpression(update.replaceFirst("^SET ", "SET attempts = attempts + :n, history = :history, "))
                        .conditionExpression("leaseOwner = :me AND generation = :gen")
                        .expressionAttributeNames(Map.of("#st", "status")).expressionAttributeValues(whole));
                return;
            } catch (ConditionalCheckFailedException e) {
                // A push came in between: log the tries only, below.
            }
        }
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(leadId, targetId))
                    .updateExpression("SET attempts = attempts + :n, history = :history REMOVE leaseOwner, leaseUntil")
                    .conditionExpression("leaseOwner = :me")
                    .expressionAttributeValues(Attr.values(":me", Attr.s(owner), ":n", Attr.n(tries.size()),
                            ":history", trimmed)));
        } catch (ConditionalCheckFailedException e) {
            throw lostLease(leadId, targetId);
        }
    }

    private static ConditionFailed lostLease(String leadId, String targetId) {
        return new ConditionFailed("lost the delivery lease for " + leadId + "/" + targetId);
    }



    @Override
    public List<String> dueShards() {
        return ALL_DUE_SHARDS;
    }

    /**
     * Deliveries of one due shard whose time has come, oldest first: retries whose backoff has elapsed, and pending
     * ones whose watchdog expired (their message was lost). {@code after} continues a previous page of the shard.
     */
    @Override
    public DuePage due(String shard, Instant now, int limit, Due after) {
        // Reads only what dueRetries projects (template.yaml): the keys, generation, status and traceId.
        Map<String, AttributeValue> from = after == null ? null : Map.of("leadId", Attr.s(after.leadId()),
                "targetId", Attr.s(after.targetId()), "retryShard", Attr.s(shard), "dueAt", Attr.n(after.dueAt()));
        var r = dynamo.query(b -> b.tableName(table()).indexName("dueRetries")
                .keyConditionExpression("retryShard = :shard AND dueAt <= :now")
                .expressionAttributeValues(Attr.values(":shard", Attr.s(shard),
                        ":now", Attr.n(now.toEpochMilli())))
                .limit(limit).exclusiveStartKey(from));
        List<Due> items = r.items().stream()
                .map(i -> new Due(Attr.str(i, "leadId"), Attr.str(i, "targetId"), Attr.num(i, "generation", 1),
                        Attr.num(i, "dueAt", 0), isFinished(Attr.str(i, "status")), Attr.str(i, "traceId")))
                .toList();
        boolean more = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() && !items.isEmpty();
        return new DuePage(items, more ? items.get(items.size() - 1) : null);
    }

    /**
     * Marks a due delivery re-queued: pending again, with a new watchdog time in the due index. False if it
     * changed meanwhile (someone else re-queued or delivered it).
     */
    public boolean markRequeued(Due due, Instant watchdog) {
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(due.leadId(), due.targetId()))
                    .updateExpression("SET #st = :pending, dueAt = :watchdog")
                    .conditionExpression("dueAt = :due AND #st IN (:pending, :retrying)")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Attr.values(":due", Attr.n(due.dueAt()),
                            ":watchdog", Attr.n(watchdog.toEpochMilli()),
                            ":pending", Attr.s(DeliveryStatus.PENDING.wireName()),
                            ":retrying", Attr.s(DeliveryStatus.RETRYING.wireName()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Takes a row the sweep cannot re-queue out of the due index: one that is delivered or failed yet still
     * indexed (earlier releases left such rows), which the sweep would otherwise meet every minute. A row
     * that moved on meanwhile (new due time, new push) is left alone.
     */
    public boolean dropFinishedFromDue(Due due) {
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(due.leadId(), due.targetId()))
                    .updateExpression("REMOVE retryShard, dueAt")
                    .conditionExpression("dueAt = :due AND NOT (#st IN (:pending, :retrying))")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Attr.values(":due", Attr.n(due.dueAt()),
                            ":pending", Attr.s(DeliveryStatus.PENDING.wireName()),
                            ":retrying", Attr.s(DeliveryStatus.RETRYING.wireName()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static boolean isFinished(String status) {
        return status != null && DeliveryStatus.fromWire(status).finished();
    }

    static String clip(String text) {
        return text == null || text.length() <= TEXT_LIMIT ? text : text.substring(0, TEXT_LIMIT - 1) + "…";
    }

    private static AttributeValue attempts(List<Attempt> tries) {
        return AttributeValue.fromL(tries.stream().map(DeliveryStore::attempt).toList());
    }

    private static AttributeValue attempt(Attempt a) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("at", Attr.s(a.at().toString()));
        m.put("outcome", Attr.s(a.outcome()));
        if (a.httpStatus() != null) {
            m.put("httpStatus", Attr.n(a.httpStatus()));
        }
        if (a.detail() != null) {
            m.put("detail", Attr.s(clip(a.detail())));
        }
        return AttributeValue.fromM(m);
    }

    static DeliveryRecord read(Map<String, AttributeValue> item) {
        List<Attempt> history = new ArrayList<>();
        AttributeValue h = item.get("history");
        if (h != null && h.hasL()) {
            for (AttributeValue e : h.l()) {
                Map<String, AttributeValue> m = e.m();
                Long status = Attr.numOrNull(m, "httpStatus");
                history.add(new Attempt(Attr.instant(m, "at"), Attr.str(m, "outcome"),
                        status == null ? null : status.intValue(), Attr.str(m, "detail")));
            }
        }
        return new DeliveryRecord(Attr.str(item, "leadId"), Attr.str(item, "targetId"), Attr.str(item, "accountId"),
                Attr.str(item, "targetType"), DeliveryStatus.fromWire(Attr.str(item, "status")),
                Attr.num(item, "attempts", 0), Attr.str(item, "lastError"), Attr.instant(item, "nextAttemptAt"),
                Attr.instant(item, "deliveredAt"), Attr.num(item, "generation", 1),
                Attr.num(item, "deliveredGeneration", 0), Attr.num(item, "retryRound", 0),
                Attr.num(item, "rateLimitedRounds", 0), Attr.str(item, "leaseOwner"), Attr.num(item, "leaseUntil", 0), Attr.num(item, "dueAt", 0), history,
                Attr.str(item, "traceId"));
    }
}
