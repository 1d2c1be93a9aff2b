package com.leadsync.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Documents too big for one DynamoDB item (400 KB), in the payload table: one item per part
 * ({@code payloadKey}, {@code part} = 0, 1, …), each holding at most {@link #PART_BYTES} of the document gzipped on
 * its own, and {@code parts}, how many there are. Parts are cut at fixed offsets of the document and compressed
 * separately, so two writers of the same document (a retried webhook on another instance) write interchangeable
 * items whatever their compressors. {@code expiresAt} (epoch seconds, the table's TTL attribute) when the document is
 * temporary.
 */
@ApplicationScoped
class PayloadParts {

    /** Of the document, per part: gzipped it stays below that plus a few bytes, far under the item limit. */
    static final int PART_BYTES = 300 * 1024;

    private final DynamoDbClient dynamo;
    private final TableNames tables;

    PayloadParts(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    /** Writes every part (each put is idempotent); {@code expiresAt} null: kept until deleted. */
    void write(String key, byte[] document, Instant expiresAt) {
        List<byte[]> parts = split(document);
        for (int part = 0; part < parts.size(); part++) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("payloadKey", Attr.s(key));
            item.put("part", Attr.n(part));
            item.put("parts", Attr.n(parts.size()));
            item.put("data", AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(parts.get(part))));
            if (expiresAt != null) {
                item.put("expiresAt", Attr.n(expiresAt.getEpochSecond()));
            }
            dynamo.putItem(b -> b.tableName(table()).item(item));
        }
    }

    /**
     * The document, or empty when no part of it is stored.
     *
     * @throws IllegalStateException when only some of its parts are there
     */
    Optional<byte[]> read(String key) {
        TreeMap<Long, Map<String, AttributeValue>> parts = new TreeMap<>();
        for (QueryResponse page : dynamo.queryPaginator(query(key).build())) {
            page.items().forEach(item -> parts.put(Attr.num(item, "part", -1), item));
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        long expected = Attr.num(parts.firstEntry().getValue(), "parts", -1);
        if (parts.size() != expected || parts.firstKey() != 0 || parts.lastKey() != expected - 1) {
            throw new IllegalStateException("payload " + key + " is incomplete: parts " + parts.keySet() + " of "
                    + expected);
        }
        return Optional.of(join(parts.values().stream().map(item -> item.get("data").b().asByteArrayUnsafe())
                .toList()));
    }

    /** Moves the expiry of every stored part to {@code expiresAt}; false when none is stored. */
    boolean renew(String key, Instant expiresAt) {
        List<Long> parts = new ArrayList<>();
        for (QueryResponse page : dynamo.queryPaginator(query(key).projectionExpression("#part")
                .expressionAttributeNames(Map.of("#part", "part")).build())) {
            page.items().forEach(item -> parts.add(Attr.num(item, "part", -1)));
        }
        boolean any = false;
        for (long part : parts) {
            try {
                dynamo.updateItem(b -> b.tableName(table())
                        .key(Map.of("payloadKey", Attr.s(key), "part", Attr.n(part)))
                        .updateExpression("SET expiresAt = :exp")
                        // Never re-creates a part that expired meanwhile, as a lone item holding only a date.
                        .conditionExpression("attribute_exists(payloadKey)")
                        .expressionAttributeValues(Map.of(":exp", Attr.n(expiresAt.getEpochSecond()))));
                any = true;
            } catch (ConditionalCheckFailedException expired) {
                // Gone between the query and the update: reading the document will say it is incomplete.
            }
        }
        return any;
    }

    private QueryRequest.Builder query(String key) {
        return QueryRequest.builder().tableName(table()).consistentRead(true)
                .keyConditionExpression("payloadKey = :k").expressionAttributeValues(Map.of(":k", Attr.s(key)));
    }

    private String table() {
        return tables.of(Schema.PAYLOADS);
    }

    /** The document's parts, each at most {@link #PART_BYTES} of it, gzipped; an empty document is one part. */
    static List<byte[]> split(byte[] document) {
        int parts = Math.max(1, (document.length + PART_BYTES - 1) / PART_BYTES);
        List<byte[]> out = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            out.add(gzip(Arrays.copyOfRange(document, part * PART_BYTES,
                    Math.min(document.length, (part + 1) * PART_BYTES))));
        }
        return out;
    }

    /** The document the parts of {@link #split} were cut from, in their order. */
    static byte[] join(List<byte[]> parts) {
        ByteArrayOutputStream document = new ByteArrayOutputStream();
        parts.forEach(part -> document.writeBytes(gunzip(part)));
        return document.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory failed", e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] bytes) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("a stored payload part is not gzip", e);
        }
    }
}
