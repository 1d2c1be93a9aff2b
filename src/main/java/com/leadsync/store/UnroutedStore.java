package com.leadsync.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Webhook events for provider accounts nobody connected: counted per route so an operator can see them. */
@ApplicationScoped
public class UnroutedStore {

    private final DynamoDbClient dynamo;
    private final TableNames tables;

    UnroutedStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    public void record(String routeKey, String lastProviderLeadId, Instant at) {
        dynamo.updateItem(b -> b.tableName(tables.of(Schema.UNROUTED))
                .key(Map.of("routeKey", Attr.s(routeKey)))
                .updateExpression("ADD events :one SET lastSeenAt = :at, lastProviderLeadId = :lead")
                .expressionAttributeValues(Attr.values(":one", Attr.n(1), ":at", Attr.s(at.toString()),
                        ":lead", Attr.s(lastProviderLeadId))));
    }

    public long events(String routeKey) {
        var item = dynamo.getItem(b -> b.tableName(tables.of(Schema.UNROUTED))
                .key(Map.of("routeKey", Attr.s(routeKey))).consistentRead(true)).item();
        return item == null ? 0 : Attr.num(item, "events", 0);
    }
}
