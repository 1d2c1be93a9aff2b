package com.leadsync.crypto;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * Data keys from AWS KMS: one {@code GenerateDataKey} per container (on its first seal), and one {@code Decrypt}
 * per distinct wrapped key it meets (cached by the wrapped bytes), so reads and writes cost no KMS call after
 * warm-up. The encryption context names the purpose, so a wrapped key is no use to another application of the key.
 */
public final class KmsDataKeys implements DataKeys {

    static final Map<String, String> ENCRYPTION_CONTEXT = Map.of("purpose", "leadsync-secrets");
    /** A container meets a few wrapped keys (one per container that wrote); the bound only guards memory. */
    private static final int MAX_CACHED = 1000;

    private final KmsClient kms;
    private final String keyId;
    private final Map<String, byte[]> unwrapped = new ConcurrentHashMap<>();
    private volatile DataKey current;

    public KmsDataKeys(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public String keyRef() {
        return "kms";
    }

    @Override
    public DataKey current() {
        DataKey key = current;
        if (key == null) {
            synchronized (this) {
                if (current == null) {
                    current = generate();
                }
                key = current;
            }
        }
        return key;
    }

    private DataKey generate() {
        GenerateDataKeyResponse r;
        try {
            r = kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(ENCRYPTION_CONTEXT));
        } catch (KmsException e) {
            throw failed("GenerateDataKey", e);
        }
        DataKey key = new DataKey(r.plaintext().asByteArray(), r.ciphertextBlob().asByteArray());
        unwrapped.put(cacheKey(key.wrapped()), key.key());
        return key;
    }

    @Override
    public byte[] unwrap(byte[] wrapped) {
        String cacheKey = cacheKey(wrapped);
        byte[] key = unwrapped.get(cacheKey);
        if (key != null) {
            return key;
        }
        try {
            // The key id is in the blob: values sealed before a key change still open (while the old key is usable).
            key = kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(ENCRYPTION_CONTEXT)).plaintext().asByteArray();
        } catch (KmsException e) {
            throw failed("Decrypt", e);
        }
        if (unwrapped.size() >= MAX_CACHED) {
            unwrapped.clear();
        }
        unwrapped.put(cacheKey, key);
        return key;
    }

    private static String cacheKey(byte[] wrapped) {
        return Base64.getEncoder().encodeToString(wrapped);
    }

    /** KMS's error code and message name the key and the reason, never key material. */
    private IllegalStateException failed(String call, KmsException e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        return new IllegalStateException("KMS " + call + " with key " + keyId + " failed (" + code + ", HTTP "
                + e.statusCode() + "): " + (e.awsErrorDetails() == null ? e.getMessage()
                : e.awsErrorDetails().errorMessage()), e);
    }
}
