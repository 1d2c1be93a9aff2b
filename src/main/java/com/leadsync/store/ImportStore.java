package com.leadsync.store;

import com.leadsync.imports.ImportAlreadyRunning;
import com.leadsync.imports.ImportJob;
import com.leadsync.imports.ImportJobRepository;
import com.leadsync.imports.ImportStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.walk.HandedOff;
import com.leadsync.walk.LostLease;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Import jobs, one item each, and one lock item per (connection, form) naming the job that holds it
 * ({@code jobId = lock#<connectionId>#<formId>}, no {@code accountId}, so it is not listed). The lock is taken
 * before the job is written and given up once the job has ended; a lock whose job has ended (or, a minute after it
 * was taken, never appeared: its start crashed) is taken over.
 */
@ApplicationScoped
public class ImportStore implements ImportJobRepository {

    private static final Logger LOG = Logger.getLogger(ImportStore.class);
    private static final String BY_ACCOUNT = "byAccount";
    private static final String LOCK = "lock#";
    /** How long a lock may name a job not yet written (its start is between the two writes). */
    private static final Duration UNWRITTEN_JOB_GRACE = Duration.ofMinutes(1);
    private static final String OPEN = "#st IN (:queued, :running)";

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final Cursor cursors;

    ImportStore(DynamoDbClient dynamo, TableNames tables, Cursor cursors) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.cursors = cursors;
    }

    private String table() {
        return tables.of(Schema.IMPORTS);
    }

    @Override
    public void create(ImportJob job) {
        lock(job);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("jobId", Attr.s(job.jobId()));
        item.put("accountId", Attr.s(job.accountId()));
        item.put("listKey", Attr.s(job.createdAt() + "#" + job.jobId()));
        item.put("connectionId", Attr.s(job.connectionId()));
        item.put("providerType", Attr.s(job.providerType().wireName()));
        item.put("formId", Attr.s(job.formId()));
        Attr.put(item, "since", job.since());
        Attr.put(item, "until", job.until());
        item.put("status", Attr.s(job.status().wireName()));
        item.put("step", Attr.n(job.walk().step()));
        item.put("queuedStep", Attr.n(job.walk().queuedStep()));
        for (String counter : List.of("pagesFetched", "leadsSeen", "leadsNew", "duplicates", "errors")) {
            item.put(counter, Attr.n(0));
        }
        item.put("transientFailures", Attr.n(0));
        Attr.put(item, "createdAt", job.createdAt());
        Attr.put(item, "updatedAt", job.updatedAt());
        dynamo.putItem(b -> b.tableName(table()).item(item).conditionExpression("attribute_not_exists(jobId)"));
    }

    /** Takes the (connection, form) for {@code job}, or says which job holds it. */
    private void lock(ImportJob job) {
        String lockId = LOCK + job.lockKey();
        Instant now = job.createdAt();
        try {
            dynamo.putItem(b -> b.tableName(table()).item(Map.of("jobId", Attr.s(lockId), "holder", Attr.s(job.jobId()),
                    "lockedAt", Attr.s(now.toString()))).conditionExpression("attribute_not_exists(jobId)"));
            return;
        } catch (ConditionalCheckFailedException held) {
            // read below
        }
        Map<String, AttributeValue> lock = dynamo.getItem(b -> b.tableName(table())
                .key(Map.of("jobId", Attr.s(lockId))).consistentRead(true)).item();
        String holder = lock == null ? null : Attr.str(lock, "holder");
        if (holder != null) {
            Optional<ImportJob> held = get(holder);
            Instant lockedAt = Attr.instant(lock, "lockedAt");
            boolean stillStarting = held.isEmpty() && lockedAt != null
                    && lockedAt.plus(UNWRITTEN_JOB_GRACE).isAfter(now);
            if (stillStarting || held.map(j -> !j.status().ended()).orElse(false)) {
                throw new ImportAlreadyRunning(holder);
            }
        }
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(Map.of("jobId", Attr.s(lockId)))
                    .updateExpression("SET holder = :me, lockedAt = :at")
                    .conditionExpression(holder == null ? "attribute_not_exists(holder)" : "holder = :was")
                    .expressionAttributeValues(holder == null
                            ? Attr.values(":me", Attr.s(job.jobId()), ":at", Attr.s(now.toString()))
                            : Attr.values(":me", Attr.s(job.jobId()), ":at", Attr.s(now.toString()), ":was",
                                    Attr.s(holder))));
        } catch (ConditionalCheckFailedException raced) {
            Map<String, AttributeValue> now2 = dynamo.getItem(b -> b.tableName(table())
                    .key(Map.of("jobId", Attr.s(lockId))).consistentRead(true)).item();
            throw new ImportAlreadyRunning(now2 == null ? "another job" : Attr.str(now2, "holder"));
        }
    }

    private void unlock(ImportJob job) {
        try {
            dynamo.deleteItem(b -> b.tableName(table()).key(Map.of("jobId", Attr.s(LOCK + job.lockKey())))
                    .conditionExpression("holder = :me").expressionAttributeValues(Attr.values(":me",
                            Attr.s(job.jobId()))));
        } catch (ConditionalCheckFailedException taken) {
            // Taken over already (this job ended before): nothing to give up.
        } catch (RuntimeException e) {
            // The job has ended, so the next start takes the lock over anyway.
            LOG.warnf("import %s ended, but its lock stays until the next start: %s", job.jobId(), e.getMessage());
        }
    }

    @Override
    public Optional<ImportJob> get(String jobId) {
        if (jobId == null || jobId.startsWith(LOCK)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table())
                .key(Map.of("jobId", Attr.s(jobId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    @Override
    public Page list(String accountId, int limit, String cursor) {
        List<String> scope = List.of("imports", accountId);
        Map<String, AttributeValue> from = null;
        if (cursor != null) {
            Map<String, String> position = cursors.decode(scope, cursor);
            if (position.get("listKey") == null || position.get("jobId") == null) {
                throw new IllegalArgumentException("cursor is not valid for this listing");
            }
            from = Map.of("accountId", Attr.s(accountId), "listKey", Attr.s(position.get("listKey")), "jobId",
                    Attr.s(position.get("jobId")));
        }
        Map<String, AttributeValue> start = from;
        QueryResponse r = dynamo.query(b -> b.tableName(table()).indexName(BY_ACCOUNT)
                .keyConditionExpression("accountId = :a").expressionAttributeValues(Map.of(":a", Attr.s(accountId)))
                .scanIndexForward(false).limit(limit).exclusiveStartKey(start));
        List<ImportJob> items = new ArrayList<>(r.items().stream().map(ImportStore::read).toList());
        String next = null;
        if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() && !items.isEmpty()) {
            Map<String, AttributeValue> last = r.lastEvaluatedKey();
            next = cursors.encode(scope, Map.of("listKey", Attr.str(last, "listKey"), "jobId",
                    Attr.str(last, "jobId")));
        }
        return new Page(items, next);
    }

    @Override
    public void markQueued(String jobId, int step) {
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(jobId)).updateExpression("SET queuedStep = :s")
                    .conditionExpression("attribute_exists(jobId) AND queuedStep < :s")
                    .expressionAttributeValues(Map.of(":s", Attr.n(step))));
        } catch (ConditionalCheckFailedException already) {
            // Noted already, or the job is gone.
        }
    }

    @Override
    public boolean takeLease(String jobId, int step, String owner, Instant now, Instant leaseUntil) {
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(jobId))
                    .updateExpression("SET #st = :running, leaseOwner = :me, leaseUntil = :until, updatedAt = :nowS,"
                            + " startedAt = if_not_exists(startedAt, :nowS)")
                    .conditionExpression(OPEN + " AND step = :step AND (attribute_not_exists(leaseUntil)"
                            + " OR leaseOwner = :me OR leaseUntil < :nowMs)")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(open(Attr.values(":me", Attr.s(owner), ":until",
                            Attr.n(leaseUntil.toEpochMilli()), ":nowS", Attr.s(now.toString()), ":nowMs",
                            Attr.n(now.toEpochMilli()), ":step", Attr.n(step)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public ImportJob recordPage(String jobId, int step, String owner, String nextPosition, HandedOff page,
            boolean fetched, Instant now) {
        boolean complete = nextPosition == null;
        Map<String, AttributeValue> v = Attr.values(":me", Attr.s(owner), ":step", Attr.n(step), ":next",
                Attr.n(step + 1), ":nowS", Attr.s(now.toString()), ":running", Attr.s(ImportStatus.RUNNING.wireName()),
                ":pages", Attr.n(fetched ? 1 : 0), ":seen", Attr.n(page.leads()), ":new", Attr.n(page.newLeads()),
                ":dup", Attr.n(page.known()), ":err", Attr.n(page.skipped()), ":zero", Attr.n(0));
        StringBuilder set = new StringBuilder("SET step = :next, updatedAt = :nowS, transientFailures = :zero");
        StringBuilder remove = new StringBuilder(" REMOVE leaseOwner, leaseUntil, pausedUntil, lastError");
        if (complete) {
            set.append(", #st = :done, completedAt = :nowS");
            v.put(":done", Attr.s(ImportStatus.COMPLETED.wireName()));
            remove.append(", #pos");
        } else {
            set.append(", #pos = :pos");
            v.put(":pos", Attr.s(nextPosition));
        }
        String update = set + " ADD pagesFetched :pages, leadsSeen :seen, leadsNew :new, duplicates :dup,"
                + " errors :err" + remove;
        UpdateItemResponse r;
        try {
            r = dynamo.updateItem(b -> b.tableName(table()).key(key(jobId)).updateExpression(update)
                    .conditionExpression("#st = :running AND step = :step AND leaseOwner = :me")
                    .expressionAttributeNames(Map.of("#st", "status", "#pos", "position"))
                    .expressionAttributeValues(v).returnValues(ReturnValue.ALL_NEW));
        } catch (ConditionalCheckFailedException e) {
            throw new LostLease("import " + jobId + " is no longer held by this worker at step " + step);
        }
        ImportJob job = read(r.attributes());
        if (complete) {
            unlock(job);
        }
        return job;
    }

    @Override
    public ImportJob pause(String jobId, String owner, Instant until, int transientFailures, String reason,
            Instant now) {
        try {
            return read(dynamo.updateItem(b -> b.tableName(table()).key(key(jobId))
                    .updateExpression("SET pausedUntil = :until, transientFailures = :tf, lastError = :why,"
                            + " updatedAt = :nowS REMOVE leaseOwner, leaseUntil")
                    .conditionExpression("#st = :running AND leaseOwner = :me")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Attr.values(":until", Attr.s(until.toString()), ":tf",
                            Attr.n(transientFailures), ":why", Attr.s(reason), ":nowS", Attr.s(now.toString()),
                            ":running", Attr.s(ImportStatus.RUNNING.wireName()), ":me", Attr.s(owner)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes());
        } catch (ConditionalCheckFailedException e) {
            throw new LostLease("import " + jobId + " is no longer held by this worker");
        }
    }

    @Override
    public void release(String jobId, String owner) {
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(jobId)).updateExpression("REMOVE leaseOwner, leaseUntil")
                    .conditionExpression("leaseOwner = :me").expressionAttributeValues(Map.of(":me", Attr.s(owner))));
        } catch (ConditionalCheckFailedException e) {
            // Not ours any more.
        }
    }

    @Override
    public boolean end(String jobId, String owner, ImportStatus status, String error, Instant now) {
        if (!status.ended()) {
            throw new IllegalArgumentException("an import ends completed, failed or cancelled, not " + status);
        }
        Map<String, AttributeValue> v = open(Attr.values(":end", Attr.s(status.wireName()), ":nowS",
                Attr.s(now.toString())));
        String set = "SET #st = :end, completedAt = :nowS, updatedAt = :nowS";
        if (error != null) {
            set += ", lastError = :why";
            v.put(":why", Attr.s(error));
        }
        String condition;
        if (owner != null) {
            condition = OPEN + " AND leaseOwner = :me";
            v.put(":me", Attr.s(owner));
        } else {
            condition = OPEN + " AND (attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs)";
            v.put(":nowMs", Attr.n(now.toEpochMilli()));
        }
        String update = set + " REMOVE leaseOwner, leaseUntil, pausedUntil";
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table()).key(key(jobId)).updateExpression(update)
                    .conditionExpression(condition).expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(v).returnValues(ReturnValue.ALL_NEW));
            unlock(read(r.attributes()));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public CancelOutcome cancel(String jobId, Instant now) {
        if (end(jobId, null, ImportStatus.CANCELLED, null, now)) {
            return CancelOutcome.CANCELLED;
        }
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(jobId))
                    .updateExpression("SET cancelRequested = :yes, updatedAt = :nowS").conditionExpression(OPEN)
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(open(Attr.values(":yes", Attr.bool(true), ":nowS",
                            Attr.s(now.toString())))));
            return CancelOutcome.REQUESTED;
        } catch (ConditionalCheckFailedException e) {
            return CancelOutcome.ALREADY_ENDED;
        }
    }

    private static Map<String, AttributeValue> key(String jobId) {
        return Map.of("jobId", Attr.s(jobId));
    }

    private static Map<String, AttributeValue> open(Map<String, AttributeValue> values) {
        values.put(":queued", Attr.s(ImportStatus.QUEUED.wireName()));
        values.put(":running", Attr.s(ImportStatus.RUNNING.wireName()));
        return values;
    }

    private static ImportJob read(Map<String, AttributeValue> item) {
        Long leaseUntil = Attr.numOrNull(item, "leaseUntil");
        return new ImportJob(Attr.str(item, "jobId"), Attr.str(item, "accountId"), Attr.str(item, "connectionId"),
                ProviderType.fromWire(Attr.str(item, "providerType")).orElseThrow(),
                Attr.str(item, "formId"), Attr.instant(item, "since"), Attr.instant(item, "until"),
                ImportStatus.fromWire(Attr.str(item, "status")).orElseThrow(),
                new ImportJob.Counts(Attr.num(item, "pagesFetched", 0), Attr.num(item, "leadsSeen", 0),
                        Attr.num(item, "leadsNew", 0), Attr.num(item, "duplicates", 0), Attr.num(item, "errors", 0)),
                new ImportJob.Walk((int) Attr.num(item, "step", 0), (int) Attr.num(item, "queuedStep", -1),
                        Attr.str(item, "position"), Attr.instant(item, "pausedUntil"),
                        (int) Attr.num(item, "transientFailures", 0), Attr.bool(item, "cancelRequested"),
                        Attr.str(item, "leaseOwner"), leaseUntil == null ? null : Instant.ofEpochMilli(leaseUntil)),
                Attr.instant(item, "createdAt"), Attr.instant(item, "startedAt"), Attr.instant(item, "updatedAt"),
                Attr.instant(item, "completedAt"), Attr.str(item, "lastError"));
    }
}
