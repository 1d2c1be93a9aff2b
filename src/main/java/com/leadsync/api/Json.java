package com.leadsync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON in and out of API handlers, with the contract's error shape. */
@ApplicationScoped
public class Json {

    private final ObjectMapper mapper;

    Json(ObjectMapper mapper) {
        this.mapper = mapper;
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
            JsonNode node = mapper.readTree(raw);
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest("request body must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("request body could not be read");
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
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        return ok(e.status(), body);
    }

    /** Optional string field; 422 when present but not a string. */
    public static String text(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.invalid("'" + field + "' must be a string");
        }
        return v.asText();
    }

    public static String requiredText(ObjectNode body, String field) {
        String v = text(body, field);
        if (v == null || v.isBlank()) {
            throw ApiError.invalid("'" + field + "' is required");
        }
        return v.trim();
    }

    /** Optional object of string values; 422 otherwise. */
    public static Map<String, String> stringMap(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiError.invalid("'" + field + "' must be an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw ApiError.invalid("'" + field + "." + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }
}
