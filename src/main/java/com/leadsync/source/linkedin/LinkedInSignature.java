package com.leadsync.source.linkedin;

import com.leadsync.crypto.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * LinkedIn's {@code X-LI-Signature}: HMAC-SHA256 with the app's client secret, "prefixed by
 * {@code hmacsha256=}" (providers.md §3.2). Which bytes the prefix belongs to is [U]: implementations
 * differ, so each of the three readings is accepted, always over the raw body as received:
 * <ol>
 *   <li>{@code hex(HMAC(secret, "hmacsha256=" + body))} (the prefix inside the signed message);</li>
 *   <li>{@code "hmacsha256=" + hex(HMAC(secret, body))} (the prefix on the header value);</li>
 *   <li>{@code hex(HMAC(secret, body))} bare.</li>
 * </ol>
 * Every comparison is of digests in constant time, and every candidate is computed, so the time taken
 * does not say which reading matched or how close a guess came.
 */
final class LinkedInSignature {

    static final String HEADER = "X-LI-Signature";

    private static final String PREFIX = "hmacsha256=";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final int HEX_LENGTH = 64;

    private LinkedInSignature() {
    }

    /** Missing, malformed or wrong is simply "not signed by LinkedIn", never an exception: one 401 path. */
    static boolean verify(byte[] rawBody, String headerValue, String clientSecret) {
        if (headerValue == null || clientSecret == null || clientSecret.isBlank()) {
            return false;
        }
        String value = headerValue.trim();
        if (value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            value = value.substring(PREFIX.length());
        }
        if (value.length() != HEX_LENGTH) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(value); // either case
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        byte[] body = rawBody == null ? new byte[0] : rawBody;
        byte[] key = clientSecret.getBytes(StandardCharsets.UTF_8);
        boolean overBody = HmacSha256.equal(HmacSha256.mac(key, body), claimed);
        boolean overPrefixedBody = HmacSha256.equal(HmacSha256.mac(key, prefixed(body)), claimed);
        return overBody | overPrefixedBody; // non-short-circuit on purpose
    }

    private static byte[] prefixed(byte[] body) {
        byte[] message = new byte[PREFIX_BYTES.length + body.length];
        System.arraycopy(PREFIX_BYTES, 0, message, 0, PREFIX_BYTES.length);
        System.arraycopy(body, 0, message, PREFIX_BYTES.length, body.length);
        return message;
    }
}
