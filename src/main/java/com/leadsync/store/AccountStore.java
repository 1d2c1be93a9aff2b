package com.leadsync.store;

import com.leadsync.account.Account;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Accounts and their API keys (stored as SHA-256 hashes only). */
@ApplicationScoped
public class AccountStore {

    private final DynamoDbClient dynamo;
    private final TableNames tables;

    AccountStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    public void create(Account account, String apiKeyHash) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("accountId", Attr.s(account.accountId()));
        Attr.put(item, "name", account.name());
        Attr.put(item, "defaultRegion", account.defaultRegion());
        Attr.put(item, "createdAt", account.createdAt());
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

    /** Per-account counters of things whose number is capped, kept on the account item. */
    public enum Slot {
        DESTINATION("destinationCount"), SUBSCRIPTION("subscriptionCount");

        private final String attribute;

        Slot(String attribute) {
            this.attribute = attribute;
        }
    }

    /**
     * Takes one of the account's {@code limit} slots of that kind in a single conditional write, so
     * concurrent creates cannot pass the limit; false when all are taken (or the account does not exist).
     */
    public boolean takeSlot(String accountId, Slot slot, int limit) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.of(Schema.ACCOUNTS))
                    .key(Map.of("accountId", Attr.s(accountId)))
                    .updateExpression("ADD #n :one")
                    .conditionExpression("attribute_exists(accountId) AND (attribute_not_exists(#n) OR #n < :limit)")
                    .expressionAttributeNames(Map.of("#n", slot.attribute))
                    .expressionAttributeValues(Attr.values(":one", Attr.n(1), ":limit", Attr.n(limit))));
            return true;
        } catch (ConditionalCheckFailedException full) {
            return false;
        }
    }

    /** Gives a slot back (the thing was deleted, or its creation failed); never below zero. */
    public void returnSlot(String accountId, Slot slot) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.of(Schema.ACCOUNTS))
                    .key(Map.of("accountId", Attr.s(accountId)))
                    .updateExpression("ADD #n :minusOne")
                    .conditionExpression("#n > :zero")
                    .expressionAttributeNames(Map.of("#n", slot.attribute))
                    .expressionAttributeValues(Attr.values(":minusOne", Attr.n(-1), ":zero", Attr.n(0))));
        } catch (ConditionalCheckFailedException uncounted) {
            // Created before counting began: there is no slot to give back.
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
        return Optional.of(new Account(Attr.str(item, "accountId"), Attr.str(item, "name"),
                Attr.str(item, "defaultRegion"), Attr.instant(item, "createdAt")));
    }

    /** The account an API key (by hash) belongs to. */
    public Optional<String> accountForKey(String keyHash) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.API_KEYS))
                .key(Map.of("keyHash", Attr.s(keyHash)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.ofNullable(Attr.str(item, "accountId"));
    }
}
