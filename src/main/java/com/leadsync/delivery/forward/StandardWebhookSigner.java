package com.leadsync.delivery.forward;

import com.leadsync.crypto.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Standard Webhooks symmetric signatures (contract §3): {@code v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">}.
 * The key is the base64-decoded remainder of a {@code whsec_…} secret, else the secret's UTF-8 bytes, so
 * subscribers can verify with the reference libraries or with plain HMAC code.
 */
public final class StandardWebhookSigner {

    public static final String SECRET_PREFIX = "whsec_";

    private StandardWebhookSigner() {
    }

    /** @throws IllegalArgumentException for a {@code whsec_} secret whose remainder is not base64 */
    public static String sign(String secret, String msgId, long timestamp, String body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(key(secret), msgId + "." + timestamp + "." + body));
    }

    /**
     * True when any signature in {@code signatureHeader} (space-separated {@code v1,<base64>} entries, as sent
     * during secret rotation) matches. Compares in constant time; ignores versions other than v1.
     */
    public static boolean verify(String secret, String msgId, long timestamp, String body, String signatureHeader) {
        if (signatureHeader == null) {
            return false;
        }
        byte[] expected = hmac(key(secret), msgId + "." + timestamp + "." + body);
        boolean match = false;
        for (String entry : signatureHeader.trim().split(" +")) {
            if (!entry.startsWith("v1,")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(3));
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            // No early exit, so timing does not reveal which entry matched.
            match |= HmacSha256.equal(expected, given);
        }
        return match;
    }

    /** The HMAC key a secret stands for. */
    public static byte[] key(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("webhook secret is empty");
        }
        if (secret.startsWith(SECRET_PREFIX)) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a whsec_ secret must be followed by base64 key bytes", e);
            }
            if (key.length == 0) {
                throw new IllegalArgumentException("a whsec_ secret must be followed by base64 key bytes");
            }
            return key;
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, String content) {
        return HmacSha256.mac(key, content.getBytes(StandardCharsets.UTF_8));
    }
}
