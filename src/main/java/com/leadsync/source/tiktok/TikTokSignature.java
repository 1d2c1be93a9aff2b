package com.leadsync.source.tiktok;

import com.leadsync.crypto.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * TikTok's lead webhook signature: {@code X-Open-Signature: <lowercase hex HMAC-SHA256(key = app secret, raw body)>}
 * (providers.md §4.2, [S]/[U]). Always over the bytes as received: TikTok signs its escaped-unicode serialization.
 */
public final class TikTokSignature {

    public static final String HEADER = "X-Open-Signature";

    private static final int HEX_LENGTH = 64;

    private TikTokSignature() {
    }

    /**
     * True only when {@code headerValue} is the 64-hex-digit HMAC of {@code rawBody} under {@code appSecret}
     * (upper-case hex is accepted too). Anything missing or malformed is "not signed by TikTok", never an exception.
     */
    public static boolean verify(byte[] rawBody, String headerValue, String appSecret) {
        if (headerValue == null || appSecret == null || appSecret.isBlank()) {
            return false;
        }
        String hex = headerValue.trim();
        if (hex.length() != HEX_LENGTH) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(hex); // case-insensitive
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return HmacSha256.equal(hmac(rawBody == null ? new byte[0] : rawBody, appSecret), claimed);
    }

    private static byte[] hmac(byte[] body, String secret) {
        return HmacSha256.mac(secret.getBytes(StandardCharsets.UTF_8), body);
    }
}
