package com.leadsync.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Strongly consistent {@code BatchGetItem}s of any number of keys of one table: 100 keys a request (DynamoDB's
 * limit), unprocessed keys (throttling: the SDK has already backed off on the request) asked again a few times
 * before the read fails, and so is retried by whoever asked.
 */
final class BatchGets {

    static final int MAX_KEYS = 100;
    private static final int ATTEMPTS = 8;

    private BatchGets() {
    }

    /** The items found, in no particular order; {@code options} adds a projection to each request. */
    static List<Map<String, AttributeValue>> all(DynamoDbClient dynamo, String table,
            List<Map<String, AttributeValue>> keys, UnaryOperator<KeysAndAttributes.Builder> options) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += MAX_KEYS) {
            Map<String, KeysAndAttributes> pending = Map.of(table, options.apply(KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + MAX_KEYS))).consistentRead(true)).build());
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                if (attempt > ATTEMPTS) {
                    throw new IllegalStateException("DynamoDB left " + pending.get(table).keys().size()
                            + " keys of " + table + " unread after " + ATTEMPTS + " attempts");
                }
                Map<String, KeysAndAttributes> ask = pending;
                BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(ask));
                out.addAll(r.responses().getOrDefault(table, List.of()));
                pending = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
            }
        }
        return out;
    }
}
