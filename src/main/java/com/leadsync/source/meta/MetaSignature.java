package com.leadsync.source.meta;

import com.leadsync.crypto.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Meta's webhook signature: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, app secret)>}
 * (providers.md §1.1). Always over the bytes as received: Meta signs its escaped-unicode serialization, so
 * re-serialized JSON would not match.
 */
public final class MetaSignature {

    /** The header name, for callers that look it up. */
    public static final String HEADER = "X-Hub-Signature-256";

    private static final String PREFIX = "sha256=";
    private static final int HEX_LENGTH = 64;

    private MetaSignature() {
    }

    /**
     * True only when {@code headerValue} is {@code sha256=} followed by the 64-hex-digit HMAC of {@code rawBody}
     * under {@code appSecret}. Anything missing or malformed is simply "not signed by Meta", never an exception,
     * so the caller has a single 401 path.
     */
    public static boolean verify(byte[] rawBody, String headerValue, String appSecret) {
        if (headerValue == null || appSecret == null || appSecret.isBlank()) {
            return false;
        }
        String value = headerValue.trim();
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        String hex = value.substring(PREFIX.length());
        if (hex.length() != HEX_LENGTH) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(hex); // case-insensitive, so upper-case hex is accepted too
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        // Compare digests, not strings, in constant time.
        return HmacSha256.equal(hmac(rawBody == null ? new byte[0] : rawBody, appSecret), claimed);
    }

    /** The full header value Meta would send for {@code body}: {@code sha256=<lowercase hex>}. */
    public static String sign(byte[] body, String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        return PREFIX + HexFormat.of().formatHex(hmac(body == null ? new byte[0] : body, secret))
                .toLowerCase(Locale.ROOT);
    }

    private static byte[] hmac(byte[] body, String secret) {
        return HmacSha256.mac(secret.getBytes(StandardCharsets.UTF_8), body);
    }
}
