package com.leadsync.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/** The sealed value format: it round-trips, binds its place, detects tampering and lets old plaintext through. */
class EnvelopeCipherTest {

    private static final String CONTEXT = "ConnectionsTable/meta_lead_ads#123/accessToken";

    /** A master key in memory wrapping data keys the way the local key file does (nonce || AES-GCM). */
    static final class MemoryKeys implements DataKeys {
        private final String ref;
        private final byte[] master = AesGcm.randomBytes(AesGcm.KEY_BYTES);
        private final DataKey current;
        int unwraps;

        MemoryKeys(String ref) {
            this.ref = ref;
            byte[] key = AesGcm.randomBytes(AesGcm.KEY_BYTES);
            byte[] nonce = AesGcm.randomBytes(AesGcm.NONCE_BYTES);
            byte[] sealed = AesGcm.encrypt(master, nonce, key, new byte[0]);
            byte[] wrapped = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, wrapped, 0, nonce.length);
            System.arraycopy(sealed, 0, wrapped, nonce.length, sealed.length);
            current = new DataKey(key, wrapped);
        }

        @Override
        public String keyRef() {
            return ref;
        }

        @Override
        public DataKey current() {
            return current;
        }

        @Override
        public byte[] unwrap(byte[] wrapped) {
            unwraps++;
            try {
                return AesGcm.decrypt(master, Arrays.copyOf(wrapped, AesGcm.NONCE_BYTES),
                        Arrays.copyOfRange(wrapped, AesGcm.NONCE_BYTES, wrapped.length), new byte[0]);
            } catch (AEADBadTagException e) {
                throw new SealedValueUnreadable("not our key", e);
            }
        }
    }

    private final EnvelopeCipher cipher = new EnvelopeCipher(new MemoryKeys("test"));

    @Test
    void a_sealed_value_opens_to_its_plaintext_and_does_not_contain_it() {
        String token = "EAAB-page-token-\u00e9\u4e2d-" + "x".repeat(300);

        String sealed = cipher.seal(token, CONTEXT);

        assertThat(sealed).startsWith("enc:v1:test:").doesNotContain("EAAB").doesNotContain("xxxx");
        assertThat(sealed.split(":", -1)).hasSize(6);
        assertThat(cipher.open(sealed, CONTEXT)).isEqualTo(token);
    }

    @Test
    void the_same_plaintext_seals_to_a_different_value_each_time() {
        assertThat(cipher.seal("same", CONTEXT)).isNotEqualTo(cipher.seal("same", CONTEXT));
    }

    @Test
    void a_value_moved_to_another_item_or_attribute_does_not_open() {
        String sealed = cipher.seal("at-secret", CONTEXT);

        assertThatThrownBy(() -> cipher.open(sealed, "ConnectionsTable/meta_lead_ads#124/accessToken"))
                .isInstanceOf(SealedValueUnreadable.class).hasMessageNotContaining("at-secret");
        assertThatThrownBy(() -> cipher.open(sealed, "ConnectionsTable/meta_lead_ads#123/refreshToken"))
                .isInstanceOf(SealedValueUnreadable.class);
    }

    @Test
    void an_altered_ciphertext_nonce_or_wrapped_key_does_not_open() {
        String sealed = cipher.seal("at-secret", CONTEXT);
        String[] parts = sealed.split(":", -1);
        for (int part = 3; part <= 5; part++) {
            byte[] bytes = Base64.getDecoder().decode(parts[part]);
            bytes[bytes.length / 2] ^= 1;
            String[] altered = parts.clone();
            altered[part] = Base64.getEncoder().encodeToString(bytes);
            String tampered = String.join(":", altered);
            assertThatThrownBy(() -> cipher.open(tampered, CONTEXT)).as("part %d altered", part)
                    .isInstanceOf(SealedValueUnreadable.class);
        }
        assertThatThrownBy(() -> cipher.open(sealed.substring(0, sealed.length() - 4), CONTEXT))
                .isInstanceOf(SealedValueUnreadable.class);
        assertThatThrownBy(() -> cipher.open("enc:v1:test:broken", CONTEXT)).isInstanceOf(SealedValueUnreadable.class)
                .hasMessageContaining("format");
    }

    @Test
    void a_value_sealed_with_another_master_key_or_key_source_does_not_open() {
        String sealed = new EnvelopeCipher(new MemoryKeys("test")).seal("at-secret", CONTEXT);
        String local = new EnvelopeCipher(new MemoryKeys("local")).seal("at-secret", CONTEXT);

        assertThatThrownBy(() -> cipher.open(sealed, CONTEXT)).isInstanceOf(SealedValueUnreadable.class);
        assertThatThrownBy(() -> cipher.open(local, CONTEXT)).isInstanceOf(SealedValueUnreadable.class)
                .hasMessageContaining("'local'");
    }

    @Test
    void a_plaintext_from_before_encryption_reads_as_it_is_and_null_stays_null() {
        assertThat(cipher.open("EAAB-old-plaintext-token", CONTEXT)).isEqualTo("EAAB-old-plaintext-token");
        assertThat(cipher.open(null, CONTEXT)).isNull();
        assertThat(cipher.seal(null, CONTEXT)).isNull();
        assertThat(SecretCipher.isSealed("EAAB-old")).isFalse();
        assertThat(SecretCipher.isSealed(cipher.seal("x", CONTEXT))).isTrue();
    }
}
