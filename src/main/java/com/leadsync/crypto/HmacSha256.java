package com.leadsync.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256, the one helper for every signature we make or check (Meta webhooks, subscriber webhooks, cursors). */
public final class HmacSha256 {

    private static final String ALGORITHM = "HmacSHA256";

    private HmacSha256() {
    }

    public static byte[] mac(byte[] key, byte[] data) {
        try {
            // A new Mac per call: Mac instances are stateful and not thread-safe, and creating one is cheap.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory on every Java platform, so this means a broken runtime.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant time: the time taken does not depend on where the first difference is. */
    public static boolean equal(byte[] expected, byte[] given) {
        return MessageDigest.isEqual(expected, given);
    }
}
