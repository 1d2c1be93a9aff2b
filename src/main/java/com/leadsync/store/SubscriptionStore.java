package com.leadsync.store;

import com.leadsync.delivery.Subscription;
import com.leadsync.delivery.SubscriptionRepository;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** Webhook subscriptions per account. */
@ApplicationScoped
public class SubscriptionStore implements SubscriptionRepository {

    private static final String CALLBACK_SECRET = "callbackSecret";
    private static final String EVENT_TYPES = "eventTypes";
    /** Absent on items written before subscriptions could be disabled: those are enabled. */
    private static final String ENABLED = "enabled";

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final StoredSecrets secrets;
    private final AccountTargetsCache targetsCache;

    SubscriptionStore(DynamoDbClient dynamo, TableNames tables, StoredSecrets secrets,
            AccountTargetsCache targetsCache) {
        this.targetsCache = targetsCache;
        this.dynamo = dynamo;
        this.tables = tables;
        this.secrets = secrets;
    }

    public void put(Subscription s) {
        targetsCache.after(() -> dynamo.putItem(b -> b.tableName(tables.of(Schema.SUBSCRIPTIONS)).item(item(s))));
    }

    public boolean replace(Subscription s) {
        return targetsCache.after(() -> {
            try {
                dynamo.putItem(b -> b.tableName(tables.of(Schema.SUBSCRIPTIONS)).item(item(s))
                        .conditionExpression("attribute_exists(subscriptionId)"));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
    }

    private Map<String, AttributeValue> item(Subscription s) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("subscriptionId", Attr.s(s.subscriptionId()));
        item.put("accountId", Attr.s(s.accountId()));
        item.put("providerType", Attr.s(s.providerType().wireName()));
        item.put("callbackUrl", Attr.s(s.callbackUrl()));
        item.put("eventType", Attr.s(s.eventType()));
        if (s.eventTypes() != null) {
            item.put(EVENT_TYPES, AttributeValue.fromL(s.eventTypes().stream().map(Attr::s).toList()));
        }
        secrets.put(item, Schema.SUBSCRIPTIONS, s.subscriptionId(), CALLBACK_SECRET, s.callbackSecret());
        Attr.put(item, "createdAt", s.createdAt());
        item.put(ENABLED, AttributeValue.fromBool(s.enabled()));
        return item;
    }

    public Optional<Subscription> get(String subscriptionId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.SUBSCRIPTIONS))
                .key(Map.of("subscriptionId", Attr.s(subscriptionId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    public List<Subscription> listByAccount(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(tables.of(Schema.SUBSCRIPTIONS)).indexName("byAccount")
                        .keyConditionExpression("accountId = :a")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .items().stream().map(this::read).toList();
    }

    /** How many the account has, counted on the index without reading the items. */
    public int countByAccount(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(tables.of(Schema.SUBSCRIPTIONS)).indexName("byAccount")
                        .keyConditionExpression("accountId = :a").select(Select.COUNT)
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .stream().mapToInt(QueryResponse::count).sum();
    }

    /** Deletes it; true when this call removed it (so a repeated delete frees no second slot). */
    public boolean delete(String subscriptionId) {
        return targetsCache.after(() -> !dynamo.deleteItem(b -> b.tableName(tables.of(Schema.SUBSCRIPTIONS))
                .key(Map.of("subscriptionId", Attr.s(subscriptionId))).returnValues(ReturnValue.ALL_OLD)).attributes()
                .isEmpty());
    }

    private Subscription read(Map<String, AttributeValue> item) {
        String id = Attr.str(item, "subscriptionId");
        return new Subscription(id, Attr.str(item, "accountId"),
                ProviderType.fromWire(Attr.str(item, "providerType")).orElseThrow(), Attr.str(item, "callbackUrl"),
                Attr.str(item, "eventType"), secrets.open(item, Schema.SUBSCRIPTIONS, id, CALLBACK_SECRET),
                Attr.instant(item, "createdAt"), item.containsKey(EVENT_TYPES)
                        ? item.get(EVENT_TYPES).l().stream().map(AttributeValue::s).toList() : null,
                !item.containsKey(ENABLED) || Boolean.TRUE.equals(item.get(ENABLED).bool()));
    }
}
