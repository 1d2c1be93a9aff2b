package com.leadsync.store;

import com.leadsync.ingest.UnroutedNotice;
import com.leadsync.ingest.WaitingLeadRepository;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Webhook leads whose provider account matches no connection, per route: one item per lead (sort key
 * {@code lead#<providerLeadId>}, so a repeated webhook keeps one) until the route is connected, and a
 * counter item an operator can read. Every item carries {@code expiresAt} (epoch seconds), the table's
 * TTL attribute, so notices of a page nobody ever connects go away by themselves. A notice holds its lead's payload
 * as JSON text, or {@code payloadRef} when the payload was too big and is kept in the payload table.
 */
@ApplicationScoped
public class UnroutedStore implements WaitingLeadRepository {

    private static final String COUNTER = "#count";
    private static final String NOTICE = "lead#";
    /** BatchWriteItem's limit. */
    private static final int BATCH = 25;
    /** Unprocessed items (throttling) are sent again this many times before the call fails (and is retried). */
    private static final int BATCH_ATTEMPTS = 8;


    private final DynamoDbClient dynamo;
    private final TableNames tables;

    UnroutedStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    /** Keeps the notices (one per lead) and counts them on the route's counter. */
    public void record(String routeKey, List<UnroutedNotice> notices, Instant expiresAt) {
        if (notices.isEmpty()) {
            return;
        }
        AttributeValue expires = Attr.n(expiresAt.getEpochSecond());
        Map<String, WriteRequest> byKey = new LinkedHashMap<>();
        for (UnroutedNotice n : notices) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("routeKey", Attr.s(routeKey));
            item.put("noticeKey", Attr.s(NOTICE + n.providerLeadId()));
            item.put("providerType", Attr.s(n.providerType().wireName()));
            item.put("externalId", Attr.s(n.externalId()));
            item.put("providerLeadId", Attr.s(n.providerLeadId()));
            Attr.put(item, "formId", n.formId());
            Attr.put(item, "adId", n.adId());
            Attr.put(item, "createdTime", n.createdTime());
            Attr.put(item, "receivedAt", n.receivedAt());
            Attr.put(item, "payload", n.payload());
            Attr.put(item, "payloadRef", n.payloadRef());
            Attr.put(item, "traceId", n.traceId());
            item.put("expiresAt", expires);
            // One batch may not write a key twice: a repeated lead keeps its last notice.
            byKey.put(n.providerLeadId(), WriteRequest.builder().putRequest(PutRequest.builder().item(item).build())
                    .build());
        }
        write(new ArrayList<>(byKey.values()));
        UnroutedNotice last = notices.get(notices.size() - 1);
        dynamo.updateItem(b -> b.tableName(tables.of(Schema.UNROUTED))
                .key(key(routeKey, COUNTER))
                .updateExpression("ADD events :n SET lastSeenAt = :at, lastProviderLeadId = :lead, expiresAt = :exp")
                .expressionAttributeValues(Attr.values(":n", Attr.n(notices.size()),
                        ":at", Attr.s(last.receivedAt().toString()), ":lead", Attr.s(last.providerLeadId()),
                        ":exp", expires)));
    }

    /** Events counted for that route since its counter was created (what an operator sees). */
    public long events(String routeKey) {
        var item = dynamo.getItem(b -> b.tableName(tables.of(Schema.UNROUTED))
                .key(key(routeKey, COUNTER)).consistentRead(true)).item();
        return item == null ? 0 : Attr.num(item, "events", 0);
    }

    /** Up to {@code limit} notices waiting on that route; {@code more} when there may be others. */
    public Waiting waiting(String routeKey, int limit) {
        QueryResponse r = dynamo.query(b -> b.tableName(tables.of(Schema.UNROUTED)).consistentRead(true)
                .keyConditionExpression("routeKey = :r AND begins_with(noticeKey, :notice)")
                .expressionAttributeValues(Attr.values(":r", Attr.s(routeKey), ":notice", Attr.s(NOTICE)))
                .limit(limit));
        List<UnroutedNotice> notices = r.items().stream().map(UnroutedStore::read).toList();
        return new Waiting(notices, r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty());
    }

    /** How many notices wait on that route. */
    public long waiting(String routeKey) {
        return dynamo.queryPaginator(b -> b.tableName(tables.of(Schema.UNROUTED)).consistentRead(true)
                        .keyConditionExpression("routeKey = :r AND begins_with(noticeKey, :notice)")
                        .expressionAttributeValues(Attr.values(":r", Attr.s(routeKey), ":notice", Attr.s(NOTICE)))
                        .select(Select.COUNT))
                .stream().mapToLong(QueryResponse::count).sum();
    }

    public void remove(String routeKey, List<UnroutedNotice> notices) {
        write(notices.stream().map(n -> WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                .key(key(routeKey, NOTICE + n.providerLeadId())).build()).build()).distinct().toList());
    }

    private void write(List<WriteRequest> writes) {
        String table = tables.of(Schema.UNROUTED);
        for (int from = 0; from < writes.size(); from += BATCH) {
            Map<String, List<WriteRequest>> pending = Map.of(table,
                    writes.subList(from, Math.min(writes.size(), from + BATCH)));
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                if (attempt > BATCH_ATTEMPTS) {
                    throw new IllegalStateException("DynamoDB left " + pending.get(table).size()
                            + " unrouted notice writes unprocessed");
                }
                Map<String, List<WriteRequest>> request = pending;
                pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
            }
        }
    }

    private static Map<String, AttributeValue> key(String routeKey, String noticeKey) {
        return Map.of("routeKey", Attr.s(routeKey), "noticeKey", Attr.s(noticeKey));
    }

    private static UnroutedNotice read(Map<String, AttributeValue> item) {
        return new UnroutedNotice(ProviderType.fromWire(Attr.str(item, "providerType")).orElseThrow(),
                Attr.str(item, "externalId"), Attr.str(item, "providerLeadId"), Attr.str(item, "formId"),
                Attr.str(item, "adId"), Attr.instant(item, "createdTime"), Attr.instant(item, "receivedAt"),
                Attr.str(item, "payload"), Attr.str(item, "payloadRef"), Attr.str(item, "traceId"));
    }
}
