package com.leadsync.store;

import com.leadsync.account.AccountRepository;
import com.leadsync.model.Account;
import com.leadsync.model.ConditionFailed;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** Accounts and their API keys (stored as SHA-256 hashes only). */
@ApplicationScoped
public class AccountStore implements AccountRepository {

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final Clock clock;

    private final Cursor cursors;

    AccountStore(DynamoDbClient dynamo, TableNames tables, Clock clock, Cursor cursors) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
        this.cursors = cursors;
    }

    public void create(Account account, String apiKeyHash) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("accountId", Attr.s(account.accountId()));
        Attr.put(item, "name", account.name());
        Attr.put(item, "defaultRegion", account.defaultRegion());
        Attr.put(item, "createdAt", account.createdAt());
        for (Slot slot : Slot.values()) {
            item.put(countAttribute(slot), Attr.n(0));
        }
        // The key first: an account whose key write failed would be unusable, a dangling key hash is harmless.
        try {
            dynamo.putItem(b -> b.tableName(tables.of(Schema.API_KEYS))
                    .item(Attr.values("keyHash", Attr.s(apiKeyHash), "accountId", Attr.s(account.accountId()),
                            "createdAt", Attr.s(account.createdAt().toString())))
                    .conditionExpression("attribute_not_exists(keyHash)"));
            dynamo.putItem(b -> b.tableName(tables.of(Schema.ACCOUNTS)).item(item)
                    .conditionExpression("attribute_not_exists(accountId)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConditionFailed("account or key already exists");
        }
    }



    /**
     * Takes one of the account's {@code limit} slots of that kind in a single conditional write, so
     * concurrent creates cannot pass the limit; false when all are taken, the account is not counted yet
     * or does not exist.
     */
    public boolean takeSlot(String accountId, Slot slot, int limit) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.of(Schema.ACCOUNTS))
                    .key(Map.of("accountId", Attr.s(accountId)))
                    .updateExpression("ADD #n :one SET #t = :now")
                    .conditionExpression("attribute_exists(accountId) AND #n < :limit")
                    .expressionAttributeNames(Map.of("#n", countAttribute(slot), "#t", changedAtAttribute(slot)))
                    .expressionAttributeValues(Attr.values(":one", Attr.n(1), ":limit", Attr.n(limit),
                            ":now", Attr.n(clock.millis()))));
            return true;
        } catch (ConditionalCheckFailedException full) {
            return false;
        }
    }

    /** Marks a delete of that kind as under way, before its item goes (so no recount runs meanwhile). */
    public void touchSlot(String accountId, Slot slot) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.of(Schema.ACCOUNTS))
                    .key(Map.of("accountId", Attr.s(accountId)))
                    .updateExpression("SET #t = :now")
                    .conditionExpression("attribute_exists(accountId)")
                    .expressionAttributeNames(Map.of("#t", changedAtAttribute(slot)))
                    .expressionAttributeValues(Map.of(":now", Attr.n(clock.millis()))));
        } catch (ConditionalCheckFailedException noAccount) {
            // Nothing counts for an account that is gone; an update must not bring back a stub of it.
        }
    }

    /** Gives a slot back (the thing was deleted); never below zero. */
    public void returnSlot(String accountId, Slot slot) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.of(Schema.ACCOUNTS))
                    .key(Map.of("accountId", Attr.s(accountId)))
                    .updateExpression("ADD #n :minusOne")
                    .conditionExpression("#n > :zero")
                    .expressionAttributeNames(Map.of("#n", countAttribute(slot)))
                    .expressionAttributeValues(Attr.values(":minusOne", Attr.n(-1), ":zero", Attr.n(0))));
        } catch (ConditionalCheckFailedException uncounted) {
            // Not counted yet: the recount that starts counting will not see the deleted item.
        }
    }

    /** Strongly consistent; empty when the account does not exist. */
    public Optional<SlotCount> slotCount(String accountId, Slot slot) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.ACCOUNTS))
                .key(Map.of("accountId", Attr.s(accountId))).consistentRead(true)
                .projectionExpression("accountId, #n, #t")
                .expressionAttributeNames(Map.of("#n", countAttribute(slot), "#t", changedAtAttribute(slot)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Long changedAt = Attr.numOrNull(item, changedAtAttribute(slot));
        return Optional.of(new SlotCount(Attr.numOrNull(item, countAttribute(slot)),
                changedAt == null ? null : Instant.ofEpochMilli(changedAt)));
    }

    /**
     * Sets the counter to {@code real} if it is still exactly as {@code seen} (no take, delete or other
     * recount since); false when something changed it meanwhile.
     */
    public boolean recount(String accountId, Slot slot, SlotCount seen, long real) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":real", Attr.n(real)));
        String counted = seen.taken() == null ? "attribute_not_exists(#n)" : "#n = :seen";
        String untouched = seen.changedAt() == null ? "attribute_not_exists(#t)" : "#t = :changedAt";
        if (seen.taken() != null) {
            values.put(":seen", Attr.n(seen.taken()));
        }
        if (seen.changedAt() != null) {
            values.put(":changedAt", Attr.n(seen.changedAt().toEpochMilli()));
        }
        try {
            dynamo.updateItem(b -> b.tableName(tables.of(Schema.ACCOUNTS))
                    .key(Map.of("accountId", Attr.s(accountId)))
                    .updateExpression("SET #n = :real")
                    .conditionExpression("attribute_exists(accountId) AND " + counted + " AND " + untouched)
                    .expressionAttributeNames(Map.of("#n", countAttribute(slot), "#t", changedAtAttribute(slot)))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    /** Strongly consistent, so an account just created is found at once. */
    public boolean exists(String accountId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.ACCOUNTS))
                .key(Map.of("accountId", Attr.s(accountId))).projectionExpression("accountId").consistentRead(true))
                .item();
        return item != null && !item.isEmpty();
    }

    public Optional<Account> get(String accountId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.ACCOUNTS))
                .key(Map.of("accountId", Attr.s(accountId)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(read(item));
    }

    @Override
    public Page list(int limit, String cursor) {
        List<String> scope = List.of("accounts");
        Map<String, AttributeValue> start = null;
        if (cursor != null && !cursor.isBlank()) {
            Map<String, String> position = cursors.decode(scope, cursor);
            String after = position.get("accountId");
            if (position.size() != 1 || after == null) {
                throw new IllegalArgumentException("cursor is not valid for this listing");
            }
            start = Map.of("accountId", Attr.s(after));
        }
        List<Account> items = new ArrayList<>();
        boolean more;
        do {
            Map<String, AttributeValue> from = start;
            // A Scan's Limit counts items read, so a page may need more than one call to fill.
            ScanResponse r = dynamo.scan(ScanRequest.builder().tableName(tables.of(Schema.ACCOUNTS))
                    .limit(limit - items.size()).exclusiveStartKey(from).build());
            r.items().forEach(item -> items.add(read(item)));
            more = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty();
            start = more ? r.lastEvaluatedKey() : null;
        } while (more && items.size() < limit);
        String next = more && !items.isEmpty()
                ? cursors.encode(scope, Map.of("accountId", items.get(items.size() - 1).accountId()))
                : null;
        return new Page(items, next);
    }

    private static Account read(Map<String, AttributeValue> item) {
        return new Account(Attr.str(item, "accountId"), Attr.str(item, "name"), Attr.str(item, "defaultRegion"),
                Attr.instant(item, "createdAt"));
    }

    /** The account an API key (by hash) belongs to. */
    public Optional<String> accountForKey(String keyHash) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.API_KEYS))
                .key(Map.of("keyHash", Attr.s(keyHash)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.ofNullable(Attr.str(item, "accountId"));
    }

    private static String countAttribute(Slot slot) {
        return switch (slot) {
            case DESTINATION -> "destinationCount";
            case SUBSCRIPTION -> "subscriptionCount";
            case FLOW -> "flowCount";
        };
    }

    private static String changedAtAttribute(Slot slot) {
        return switch (slot) {
            case DESTINATION -> "destinationChangedAt";
            case SUBSCRIPTION -> "subscriptionChangedAt";
            case FLOW -> "flowChangedAt";
        };
    }
}
