package com.leadsync.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one SHA-256 helper: digests of UTF-8 text, for keys that must not be stored or indexed in the clear, and of
 * bytes, for keys derived from content.
 */
public final class Sha256 {

    private Sha256() {
    }

    public static byte[] digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Lower-case hex of the digest. */
    public static String hex(String text) {
        return HexFormat.of().formatHex(digest(text));
    }

    /** Lower-case hex of the digest. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }
}
