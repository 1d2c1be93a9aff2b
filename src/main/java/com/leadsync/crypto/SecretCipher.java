package com.leadsync.crypto;

/**
 * Seals the tokens and secrets the store layer writes and opens them when it reads. A sealed value is text that
 * names how it was sealed ({@code enc:v1:<keyRef>:<wrapped data key>:<nonce>:<ciphertext>}, base64 parts); the
 * {@code context} (table, item key, attribute) is authenticated with it, so a value copied to another item or
 * attribute does not open.
 */
public interface SecretCipher {

    String PREFIX = "enc:";

    /** The sealed form of {@code plaintext}; null stays null. */
    String seal(String plaintext, String context);

    /**
     * The plaintext of a sealed value; a value without the {@code enc:} prefix was written by a version that stored
     * plaintext and is returned as it is (the next write seals it). {@link SealedValueUnreadable} when it does not
     * open (another key, another context, altered).
     */
    String open(String stored, String context);

    static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }
}
