package com.leadsync.store;

import com.leadsync.delivery.Attempt;
import com.leadsync.delivery.DeliveryStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Delivery records, one per (lead, target). Sends are guarded by a lease and a generation check in one
 * conditional update, so concurrent or redelivered messages for the same pair send at most once.
 */
@ApplicationScoped
public class DeliveryStore {

    static final String DUE_SHARD = "due";

    private final DynamoDbClient dynamo;
    private final TableNames tables;

    DeliveryStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    private String table() {
        return tables.of(Schema.DELIVERIES);
    }

    private static Map<String, AttributeValue> key(String leadId, String targetId) {
        return Map.of("leadId", Attr.s(leadId), "targetId", Attr.s(targetId));
    }

    /**
     * Creates the pending record for a first delivery, or leaves an existing one as it is (a redelivered
     * dispatch). Returns the generation to send. A new record is also put in the due index with a watchdog
     * time: should its message be lost (e.g. dead-lettered), the retry sweep re-queues it then.
     */
    public long ensure(String leadId, String targetId, String accountId, String targetType, Instant watchdog) {
        var r = dynamo.updateItem(b -> b.tableName(table()).key(key(leadId, targetId))
                .updateExpression("SET accountId = :acc, targetType = :type, #st = if_not_exists(#st, :pending), "
                        + "attempts = if_not_exists(attempts, :zero), generation = if_not_exists(generation, :one), "
                        + "deliveredGeneration = if_not_exists(deliveredGeneration, :zero), "
                        + "retryRound = if_not_exists(retryRound, :zero), "
                        + "retryShard = if_not_exists(retryShard, :shard), dueAt = if_not_exists(dueAt, :watchdog)")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Attr.values(":zero", Attr.n(0), ":one", Attr.n(1),
                        ":pending", Attr.s(DeliveryStatus.PENDING.wireName()), ":acc", Attr.s(accountId),
                        ":type", Attr.s(targetType), ":shard", Attr.s(DUE_SHARD),
                        ":watchdog", Attr.n(watchdog.toEpochMilli())))
                .returnValues(ReturnValue.ALL_NEW));
        return Long.parseLong(r.attributes().get("generation").n());
    }

    /**
     * A manual push: a new generation to send, whatever the current status. Returns that generation. The
     * record stays in the due index (watchdog), so a push whose message never gets queued is re-queued later.
     */
    public long newGeneration(String leadId, String targetId, String accountId, String targetType, Instant watchdog) {
        var r = dynamo.updateItem(b -> b.tableName(table()).key(key(leadId, targetId))
                .updateExpression("SET generation = if_not_exists(generation, :zero) + :one, #st = :pending, "
                        + "accountId = :acc, targetType = :type, attempts = if_not_exists(attempts, :zero), "
                        + "deliveredGeneration = if_not_exists(deliveredGeneration, :zero), retryRound = :zero, "
                        + "retryShard = :shard, dueAt = :watchdog REMOVE nextAttemptAt")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Attr.values(":zero", Attr.n(0), ":one", Attr.n(1),
                        ":pending", Attr.s(DeliveryStatus.PENDING.wireName()), ":acc", Attr.s(accountId),
                        ":type", Attr.s(targetType), ":shard", Attr.s(DUE_SHARD),
                        ":watchdog", Attr.n(watchdog.toEpochMilli())))
                .returnValues(ReturnValue.UPDATED_NEW));
        return Long.parseLong(r.attributes().get("generation").n());
    }

    public Optional<DeliveryRecord> get(String leadId, String targetId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table()).key(key(leadId, targetId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    public List<DeliveryRecord> listForLead(String leadId) {
        return dynamo.queryPaginator(b -> b.tableName(table()).keyConditionExpression("leadId = :l")
                        .consistentRead(true).expressionAttributeValues(Map.of(":l", Attr.s(leadId))))
                .items().stream().map(DeliveryStore::read).toList();
    }

    /**
     * Takes the right to send {@code generation}: only while it is pending (or retrying and due), not yet
     * delivered, still the current generation, and nobody else holds a live lease.
     */
    public boolean takeLease(String leadId, String targetId, long generation, String owner, long nowMillis,
            long leaseUntil) {
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(leadId, targetId))
                    .updateExpression("SET leaseOwner = :me, leaseUntil = :until")
                    .conditionExpression("generation = :g AND deliveredGeneration < :g"
                            + " AND (#st = :pending OR (#st = :retrying AND dueAt <= :now))"
                            + " AND (attribute_not_exists(leaseOwner) OR leaseOwner = :me OR leaseUntil < :now)")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Attr.values(":me", Attr.s(owner), ":until", Attr.n(leaseUntil),
                            ":now", Attr.n(nowMillis), ":g", Attr.n(generation),
                            ":pending", Attr.s(DeliveryStatus.PENDING.wireName()),
                            ":retrying", Attr.s(DeliveryStatus.RETRYING.wireName()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public void recordDelivered(String leadId, String targetId, String owner, long generation, Instant at,
            List<Attempt> tries) {
        finish(leadId, targetId, owner, generation, tries, "SET #st = :s, deliveredAt = :at, deliveredGeneration = :g, "
                        + "retryRound = :zero REMOVE lastError, nextAttemptAt, dueAt, retryShard, leaseOwner, leaseUntil",
                Attr.values(":s", Attr.s(DeliveryStatus.DELIVERED.wireName()), ":at", Attr.s(at.toString()),
                        ":g", Attr.n(generation), ":zero", Attr.n(0)));
    }

    public void recordRetrying(String leadId, String targetId, String owner, long generation, Instant nextAttemptAt,
            String error, List<Attempt> tries) {
        finish(leadId, targetId, owner, generation, tries, "SET #st = :s, lastError = :err, nextAttemptAt = :next, "
                        + "dueAt = :due, retryShard = :shard, retryRound = retryRound + :one "
                        + "REMOVE leaseOwner, leaseUntil",
                Attr.values(":s", Attr.s(DeliveryStatus.RETRYING.wireName()), ":err", Attr.s(error),
                        ":next", Attr.s(nextAttemptAt.toString()), ":due", Attr.n(nextAttemptAt.toEpochMilli()),
                        ":shard", Attr.s(DUE_SHARD), ":one", Attr.n(1)));
    }

    public void recordFailed(String leadId, String targetId, String owner, long generation, String error,
            List<Attempt> tries) {
        finish(leadId, targetId, owner, generation, tries, "SET #st = :s, lastError = :err "
                        + "REMOVE nextAttemptAt, dueAt, retryShard, leaseOwner, leaseUntil",
                Attr.values(":s", Attr.s(DeliveryStatus.FAILED.wireName()), ":err", Attr.s(error)));
    }

    /**
     * Records the outcome of {@code generation}, if it is still the current one; if a manual push started a
     * newer generation meanwhile, only the tries are logged and the lease released, and the newer
     * generation's own message decides the status.
     */
    private void finish(String leadId, String targetId, String owner, long generation, List<Attempt> tries,
            String update, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> v = new HashMap<>(values);
        v.put(":me", Attr.s(owner));
        v.put(":gen", Attr.n(generation));
        v.put(":n", Attr.n(tries.size()));
        v.put(":tries", AttributeValue.fromL(tries.stream().map(DeliveryStore::attempt).toList()));
        v.put(":empty", AttributeValue.fromL(List.of()));
        String full = update.replaceFirst("^SET ", "SET attempts = attempts + :n, "
                + "history = list_append(if_not_exists(history, :empty), :tries), ");
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(leadId, targetId)).updateExpression(full)
                    .conditionExpression("leaseOwner = :me AND generation = :gen")
                    .expressionAttributeNames(Map.of("#st", "status")).expressionAttributeValues(v));
            return;
        } catch (ConditionalCheckFailedException e) {
            // Fall through: superseded by a newer generation, or the lease is gone.
        }
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(leadId, targetId))
                    .updateExpression("SET attempts = attempts + :n, "
                            + "history = list_append(if_not_exists(history, :empty), :tries) REMOVE leaseOwner, leaseUntil")
                    .conditionExpression("leaseOwner = :me")
                    .expressionAttributeValues(Attr.values(":me", Attr.s(owner), ":n", Attr.n(tries.size()),
                            ":tries", v.get(":tries"), ":empty", v.get(":empty"))));
        } catch (ConditionalCheckFailedException e) {
            throw new ConditionFailed("lost the delivery lease for " + leadId + "/" + targetId);
        }
    }

    public record Due(String leadId, String targetId, long generation, long dueAt) {
    }

    public record DuePage(List<Due> items, Map<String, AttributeValue> next) {
    }

    /**
     * Deliveries whose time has come, oldest first: retries whose backoff has elapsed, and pending ones whose
     * watchdog expired (their message was lost). {@code from} continues a previous page.
     */
    public DuePage due(Instant now, int limit, Map<String, AttributeValue> from) {
        var r = dynamo.query(b -> b.tableName(table()).indexName("dueRetries")
                .keyConditionExpression("retryShard = :shard AND dueAt <= :now")
                .expressionAttributeValues(Attr.values(":shard", Attr.s(DUE_SHARD),
                        ":now", Attr.n(now.toEpochMilli())))
                .limit(limit).exclusiveStartKey(from));
        List<Due> items = r.items().stream()
                .map(i -> new Due(Attr.str(i, "leadId"), Attr.str(i, "targetId"), Attr.num(i, "generation", 1),
                        Attr.num(i, "dueAt", 0)))
                .toList();
        return new DuePage(items, r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                ? r.lastEvaluatedKey() : null);
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

    private static AttributeValue attempt(Attempt a) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("at", Attr.s(a.at().toString()));
        m.put("outcome", Attr.s(a.outcome()));
        if (a.httpStatus() != null) {
            m.put("httpStatus", Attr.n(a.httpStatus()));
        }
        if (a.detail() != null) {
            m.put("detail", Attr.s(a.detail()));
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
                Attr.str(item, "leaseOwner"), Attr.num(item, "leaseUntil", 0), history);
    }
}
