package com.leadsync.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.AEADBadTagException;

/**
 * Envelope encryption: each value is AES-256-GCM under the container's data key, with that key's wrapped form
 * alongside, so any container whose {@link DataKeys} can unwrap it opens the value. The version, key ref and
 * context are the GCM additional data.
 */
public final class EnvelopeCipher implements SecretCipher {

    private static final String VERSION = "v1";
    private static final String HEADER = PREFIX + VERSION + ":";

    private final DataKeys keys;

    public EnvelopeCipher(DataKeys keys) {
        this.keys = keys;
    }

    @Override
    public String seal(String plaintext, String context) {
        if (plaintext == null) {
            return null;
        }
        DataKey key = keys.current();
        byte[] nonce = AesGcm.randomBytes(AesGcm.NONCE_BYTES);
        byte[] sealed = AesGcm.encrypt(key.key(), nonce, plaintext.getBytes(StandardCharsets.UTF_8),
                aad(keys.keyRef(), context));
        Base64.Encoder b64 = Base64.getEncoder();
        return HEADER + keys.keyRef() + ":" + b64.encodeToString(key.wrapped()) + ":" + b64.encodeToString(nonce) + ":"
                + b64.encodeToString(sealed);
    }

    @Override
    public String open(String stored, String context) {
        if (!SecretCipher.isSealed(stored)) {
            return stored;
        }
        String[] parts = stored.split(":", -1);
        if (parts.length != 6 || !VERSION.equals(parts[1])) {
            throw new SealedValueUnreadable("the sealed value of " + context + " is not in the " + HEADER + " format");
        }
        if (!keys.keyRef().equals(parts[2])) {
            throw new SealedValueUnreadable("the value of " + context + " was sealed with key '" + parts[2]
                    + "', this instance has key '" + keys.keyRef() + "'");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] key = keys.unwrap(b64.decode(parts[3]));
            byte[] plain = AesGcm.decrypt(key, b64.decode(parts[4]), b64.decode(parts[5]), aad(parts[2], context));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | AEADBadTagException e) {
            throw new SealedValueUnreadable("the sealed value of " + context
                    + " does not open: another key, another item's value, or altered", e);
        }
    }

    private static byte[] aad(String keyRef, String context) {
        return (HEADER + keyRef + ":" + context).getBytes(StandardCharsets.UTF_8);
    }
}
