package com.leadsync.store;

import com.leadsync.delivery.DestinationConfig;
import com.leadsync.delivery.DestinationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** CRM destinations per account. */
@ApplicationScoped
public class DestinationStore implements DestinationRepository {

    private final DynamoDbClient dynamo;
    private final TableNames tables;

    DestinationStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    public void put(DestinationConfig d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("destinationId", Attr.s(d.destinationId()));
        item.put("accountId", Attr.s(d.accountId()));
        item.put("type", Attr.s(d.type()));
        Attr.put(item, "name", d.name());
        item.put("enabled", Attr.bool(d.enabled()));
        item.put("config", Attr.map(d.config()));
        item.put("fieldMapping", Attr.map(d.fieldMapping()));
        Attr.put(item, "createdAt", d.createdAt());
        Attr.put(item, "updatedAt", d.updatedAt());
        dynamo.putItem(b -> b.tableName(tables.of(Schema.DESTINATIONS)).item(item));
    }

    public Optional<DestinationConfig> get(String destinationId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.DESTINATIONS))
                .key(Map.of("destinationId", Attr.s(destinationId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    public List<DestinationConfig> listByAccount(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(tables.of(Schema.DESTINATIONS)).indexName("byAccount")
                        .keyConditionExpression("accountId = :a")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .items().stream().map(DestinationStore::read).toList();
    }

    /** How many the account has, counted on the index without reading the items. */
    public int countByAccount(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(tables.of(Schema.DESTINATIONS)).indexName("byAccount")
                        .keyConditionExpression("accountId = :a").select(Select.COUNT)
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .stream().mapToInt(QueryResponse::count).sum();
    }

    /** Deletes it; true when this call removed it (so a repeated delete frees no second slot). */
    public boolean delete(String destinationId) {
        return !dynamo.deleteItem(b -> b.tableName(tables.of(Schema.DESTINATIONS))
                .key(Map.of("destinationId", Attr.s(destinationId))).returnValues(ReturnValue.ALL_OLD)).attributes().isEmpty();
    }

    private static DestinationConfig read(Map<String, AttributeValue> item) {
        return new DestinationConfig(Attr.str(item, "destinationId"), Attr.str(item, "accountId"),
                Attr.str(item, "type"), Attr.str(item, "name"), Attr.bool(item, "enabled"),
                Attr.strMap(item, "config"), Attr.strMap(item, "fieldMapping"), Attr.instant(item, "createdAt"),
                Attr.instant(item, "updatedAt"));
    }
}
