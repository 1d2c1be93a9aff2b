package com.leadsync.store;

import com.leadsync.connect.Connection;
import com.leadsync.lead.ProviderType;
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

/** Connected ad accounts, keyed by route so that webhook routing is a single consistent read. */
@ApplicationScoped
public class ConnectionStore {

    private final DynamoDbClient dynamo;
    private final TableNames tables;

    ConnectionStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    /** Stores a new connection; {@link ConditionFailed} when that provider account is already connected. */
    public void create(Connection c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("routeKey", Attr.s(c.routeKey()));
        item.put("connectionId", Attr.s(c.connectionId()));
        item.put("accountId", Attr.s(c.accountId()));
        item.put("providerType", Attr.s(c.providerType().wireName()));
        item.put("externalId", Attr.s(c.externalId()));
        Attr.put(item, "accessToken", c.accessToken());
        Attr.put(item, "refreshToken", c.refreshToken());
        Attr.put(item, "expiresAt", c.expiresAt());
        item.put("config", Attr.map(c.config()));
        Attr.put(item, "createdAt", c.createdAt());
        try {
            dynamo.putItem(b -> b.tableName(tables.of(Schema.CONNECTIONS)).item(item)
                    .conditionExpression("attribute_not_exists(routeKey)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConditionFailed("connection already exists for " + c.routeKey());
        }
    }

    /**
     * Replaces the tokens (and config) of that connection in one conditional write, so webhooks keep routing
     * to it throughout; {@link ConditionFailed} when the route no longer holds this connection.
     */
    public void replaceTokens(Connection c) {
        List<String> set = new ArrayList<>(List.of("accessToken = :access", "config = :config"));
        List<String> remove = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":id", Attr.s(c.connectionId()));
        values.put(":access", Attr.s(c.accessToken()));
        values.put(":config", Attr.map(c.config()));
        if (c.refreshToken() == null) {
            remove.add("refreshToken");
        } else {
            set.add("refreshToken = :refresh");
            values.put(":refresh", Attr.s(c.refreshToken()));
        }
        if (c.expiresAt() == null) {
            remove.add("expiresAt");
        } else {
            set.add("expiresAt = :expires");
            values.put(":expires", Attr.s(c.expiresAt().toString()));
        }
        String update = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        try {
            dynamo.updateItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                    .key(Map.of("routeKey", Attr.s(c.routeKey())))
                    .updateExpression(update)
                    .conditionExpression("connectionId = :id")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            throw new ConditionFailed("connection " + c.connectionId() + " no longer holds " + c.routeKey());
        }
    }

    public Optional<Connection> findByRoute(ProviderType type, String externalId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                .key(Map.of("routeKey", Attr.s(Connection.routeKey(type, externalId)))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    public Optional<Connection> findById(String connectionId) {
        return dynamo.query(b -> b.tableName(tables.of(Schema.CONNECTIONS)).indexName("byId")
                        .keyConditionExpression("connectionId = :id")
                        .expressionAttributeValues(Map.of(":id", Attr.s(connectionId))))
                .items().stream().findFirst().map(ConnectionStore::read);
    }

    public List<Connection> listByAccount(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(tables.of(Schema.CONNECTIONS)).indexName("byAccount")
                        .keyConditionExpression("accountId = :a")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .items().stream().map(ConnectionStore::read).toList();
    }

    /** Deletes that connection; a no-op if the route meanwhile belongs to another (reconnected) connection. */
    public void delete(Connection c) {
        try {
            dynamo.deleteItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                    .key(Map.of("routeKey", Attr.s(c.routeKey())))
                    .conditionExpression("connectionId = :id")
                    .expressionAttributeValues(Map.of(":id", Attr.s(c.connectionId()))));
        } catch (ConditionalCheckFailedException gone) {
            // Already deleted, or the route was reconnected since: nothing of this connection is left.
        }
    }

    private static Connection read(Map<String, AttributeValue> item) {
        return new Connection(Attr.str(item, "connectionId"), Attr.str(item, "accountId"),
                ProviderType.fromWire(Attr.str(item, "providerType")).orElseThrow(),
                Attr.str(item, "externalId"), Attr.str(item, "accessToken"), Attr.str(item, "refreshToken"),
                Attr.instant(item, "expiresAt"), Attr.strMap(item, "config"),
                Optional.ofNullable(Attr.instant(item, "createdAt")).orElse(Instant.EPOCH));
    }
}
