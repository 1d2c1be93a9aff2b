package com.leadsync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.lead.InstantRange;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * JSON in and out of API handlers, with the contract's error shape. Every field read through these helpers has a
 * length limit (422 naming the field): {@link #MAX_TEXT} unless the caller gives another, so that no caller string
 * can exceed DynamoDB's 2 KB key limit or, together with the body cap in {@link ApiHandler}, its 400 KB item limit.
 */
@ApplicationScoped
public class Json {

    /** Default limit for a string field: even at 3 UTF-8 bytes per char it stays below DynamoDB's 2048-byte key. */
    public static final int MAX_TEXT = 500;
    /** Defaults for an object of strings ({@code config}, {@code fieldMapping}). */
    public static final int MAX_MAP_ENTRIES = 50;
    public static final int MAX_MAP_KEY = 200;
    public static final int MAX_MAP_VALUE = 4096;
    /** Access and refresh tokens: OAuth tokens can be JWTs of a few KB. */
    public static final int MAX_TOKEN = 4096;
    /** URLs: the de-facto browser and CDN limit. */
    public static final int MAX_URL = 2048;

    private final ObjectMapper mapper;
    /**
     * Strict on caller input only (provider payloads keep the shared mapper): trailing data after the object means a
     * truncated or concatenated body, and a duplicate key would make which value counts a parser detail.
     */
    private final ObjectReader strictReader;

    Json(ObjectMapper mapper) {
        this.mapper = mapper;
        this.strictReader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    /** The request body as a JSON object; 400 when it is not one. */
    public ObjectNode body(HttpApiEvent event) {
        byte[] raw = event.rawBody();
        if (raw.length == 0) {
            throw ApiError.badRequest("request body must be a JSON object");
        }
        try {
            JsonNode node = strictReader.readTree(raw);
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest("request body must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("request body could not be read");
        }
    }

    /** The UTF-8 size of {@code node} as JSON, as {@link #ok} would write it. */
    public long size(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpApiResponse ok(int status, Object body) {
        try {
            return HttpApiResponse.json(status, mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpApiResponse error(ApiError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        if (!e.problems().isEmpty()) {
            body.put("problems", e.problems());
        }
        return ok(e.status(), body);
    }

    /** Optional string field of at most {@link #MAX_TEXT} chars; 422 when present but not a string or too long. */
    public static String text(ObjectNode body, String field) {
        return text(body, field, MAX_TEXT);
    }

    public static String text(ObjectNode body, String field, int maxLength) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.invalid("'" + field + "' must be a string");
        }
        return checkLength(field, v.asText(), maxLength);
    }

    public static String requiredText(ObjectNode body, String field) {
        return requiredText(body, field, MAX_TEXT);
    }

    public static String requiredText(ObjectNode body, String field, int maxLength) {
        String v = text(body, field, maxLength);
        if (v == null || v.isBlank()) {
            throw ApiError.invalid("'" + field + "' is required");
        }
        return v.trim();
    }

    /** A true/false field; {@code fallback} when absent or null. */
    public static boolean bool(ObjectNode body, String field, boolean fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ApiError.invalid("'" + field + "' must be true or false");
        }
        return v.asBoolean();
    }

    /** Optional ISO-8601 instant inside {@link InstantRange}; 422 otherwise. */
    public static Instant instant(ObjectNode body, String field) {
        return instant(field, text(body, field, 64), ApiError::invalid); // no ISO-8601 instant is longer
    }

    /** {@code value} (null allowed) as an instant inside {@link InstantRange}; {@code error} says why not. */
    static Instant instant(String field, String value, Function<String, ApiError> error) {
        if (value == null) {
            return null;
        }
        Instant t;
        try {
            t = Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw error.apply("'" + field + "' must be an ISO-8601 instant like 2026-03-07T14:30:00Z");
        }
        if (!InstantRange.contains(t)) {
            throw error.apply("'" + field + "' must be " + InstantRange.describe());
        }
        return t;
    }

    /**
     * Optional object of string values, at most {@link #MAX_MAP_ENTRIES} entries, keys of at most
     * {@link #MAX_MAP_KEY} and values of at most {@link #MAX_MAP_VALUE} chars; 422 otherwise.
     */
    public static Map<String, String> stringMap(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiError.invalid("'" + field + "' must be an object");
        }
        if (v.size() > MAX_MAP_ENTRIES) {
            throw ApiError.invalid("'" + field + "' may have at most " + MAX_MAP_ENTRIES + " entries");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> {
            if (e.getKey().length() > MAX_MAP_KEY) {
                throw ApiError.invalid("'" + field + "' keys must be at most " + MAX_MAP_KEY + " characters");
            }
            String name = field + "." + e.getKey();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw ApiError.invalid("'" + name + "' must be a string");
            }
            out.put(e.getKey(), checkLength(name, e.getValue().asText(), MAX_MAP_VALUE));
        });
        return out;
    }

    /** {@link #stringMap} whose values must be JSON strings: a number or a boolean is refused, not converted. */
    public static Map<String, String> strictStringMap(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v != null && v.isObject()) {
            v.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw ApiError.invalid("'" + field + "." + e.getKey() + "' must be a string");
                }
            });
        }
        return stringMap(body, field);
    }

    /**
     * Optional array of distinct strings, at most {@code maxItems} of at most {@code maxLength} chars each; 422 when
     * present but not that (an empty array included: saying nothing is said by leaving the field out).
     */
    public static List<String> stringList(ObjectNode body, String field, int maxItems, int maxLength) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.isEmpty()) {
            throw ApiError.invalid("'" + field + "' must be a non-empty array of strings");
        }
        if (v.size() > maxItems) {
            throw ApiError.invalid("'" + field + "' may have at most " + maxItems + " entries");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String name = field + "[" + i + "]";
            if (!e.isTextual()) {
                throw ApiError.invalid("'" + name + "' must be a string");
            }
            String text = checkLength(name, e.asText().trim(), maxLength);
            if (out.contains(text)) {
                throw ApiError.invalid("'" + name + "': \"" + text + "\" is listed twice");
            }
            out.add(text);
        }
        return out;
    }

    /** {@code value} unless it is longer than {@code maxLength} chars (then 422 naming {@code field}). */
    public static String checkLength(String field, String value, int maxLength) {
        if (value.length() > maxLength) {
            throw ApiError.invalid("'" + field + "' must be at most " + maxLength + " characters");
        }
        return value;
    }
}
