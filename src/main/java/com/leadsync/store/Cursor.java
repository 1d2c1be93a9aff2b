package com.leadsync.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque list cursors: DynamoDB's LastEvaluatedKey (string attributes only) encoded for a URL. A cursor
 * that does not decode is a caller error, reported as {@link IllegalArgumentException}.
 */
final class Cursor {
    private Cursor() {
    }

    static String encode(Map<String, AttributeValue> lastKey) {
        if (lastKey == null || lastKey.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        lastKey.forEach((k, v) -> sb.append(k).append('\u0001').append(v.s()).append('\u0002'));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, AttributeValue> decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            for (String part : raw.split("\u0002")) {
                if (part.isEmpty()) {
                    continue;
                }
                String[] kv = part.split("\u0001", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("cursor is not valid");
                }
                key.put(kv[0], AttributeValue.fromS(kv[1]));
            }
            if (key.isEmpty()) {
                throw new IllegalArgumentException("cursor is not valid");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not valid");
        }
    }
}
