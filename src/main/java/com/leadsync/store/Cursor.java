package com.leadsync.store;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.crypto.HmacSha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opaque, tamper-proof list cursors: {@code base64url(position JSON) "." base64url(HMAC-SHA256)}, where the HMAC
 * (key {@code leadsync.cursor-secret}, shared by every API instance) covers the listing's scope (its account,
 * filter and window) and the position. So a cursor is valid only for the listing that made it: forged, altered or
 * replayed elsewhere it is a caller error ({@link IllegalArgumentException}), and nothing in it reaches DynamoDB
 * unless we wrote it. Without a secret (fewer than 32 characters) no cursor is made or read
 * ({@link IllegalStateException}: a deployment error, not the caller's).
 */
@ApplicationScoped
class Cursor {

    /** Far above what we produce (~200 chars), far below a URL's limits. */
    static final int MAX_LENGTH = 1024;
    static final int MIN_SECRET_LENGTH = 32;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Optional<String> secret;
    private final ObjectMapper mapper;

    Cursor(@ConfigProperty(name = "leadsync.cursor-secret") Optional<String> secret, ObjectMapper mapper) {
        this.secret = secret;
        this.mapper = mapper;
    }

    /** A cursor continuing at {@code position} (string attributes) in the listing {@code scope}. */
    String encode(List<String> scope, Map<String, String> position) {
        try {
            byte[] payload = mapper.writeValueAsBytes(position);
            return B64.encodeToString(payload) + "." + B64.encodeToString(sign(scope, payload));
        } catch (JacksonException e) {
            throw new IllegalStateException("cursor position not serializable", e);
        }
    }

    /** The position a cursor of {@code scope} holds; {@link IllegalArgumentException} when it is not one. */
    Map<String, String> decode(List<String> scope, String cursor) {
        if (cursor == null || cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        int dot = cursor.indexOf('.');
        if (dot < 1 || dot != cursor.lastIndexOf('.')) {
            throw invalid();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = Base64.getUrlDecoder().decode(cursor.substring(0, dot));
            signature = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
        } catch (IllegalArgumentException notBase64) {
            throw invalid();
        }
        // Base64 decoding forgives some variations (e.g. unused trailing bits): only our exact encoding is ours.
        if (!HmacSha256.equal(sign(scope, payload), signature)
                || !cursor.equals(B64.encodeToString(payload) + "." + B64.encodeToString(signature))) {
            throw invalid();
        }
        try {
            JsonNode node = mapper.readTree(payload);
            Map<String, String> position = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> position.put(e.getKey(), e.getValue().textValue()));
            return position;
        } catch (IOException e) {
            throw invalid(); // signed by us, so unreachable unless the secret leaked
        }
    }

    private byte[] sign(List<String> scope, byte[] payload) {
        String key = secret.filter(s -> s.length() >= MIN_SECRET_LENGTH).orElseThrow(() -> new IllegalStateException(
                "leadsync.cursor-secret must be set to at least " + MIN_SECRET_LENGTH
                        + " characters (the same on every API instance): listings cannot page without it"));
        try {
            // The scope as a JSON array is self-delimiting, so scope and payload cannot be confused.
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            content.write(mapper.writeValueAsBytes(scope));
            content.write(payload);
            return HmacSha256.mac(key.getBytes(StandardCharsets.UTF_8), content.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("cursor scope not serializable", e);
        }
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("cursor is not valid for this listing");
    }
}
