package com.leadsync.crypto;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Chooses the {@link SecretCipher} by config: KMS envelope encryption when {@code leadsync.kms-key-id} is set, else
 * the {@link DataKeys} local mode provides (its key file). Neither, as in a Lambda build without a key id, stops the
 * start: storing secrets in plaintext is not an option.
 */
@Singleton
public class SecretCiphers {

    private static final Logger LOG = Logger.getLogger(SecretCiphers.class);

    private final SecretCipher cipher;

    SecretCiphers(@ConfigProperty(name = "leadsync.kms-key-id") Optional<String> kmsKeyId, Instance<KmsClient> kms,
            Instance<DataKeys> localKeys) {
        Optional<String> keyId = kmsKeyId.filter(id -> !id.isBlank());
        if (keyId.isPresent()) {
            LOG.infof("secrets at rest: KMS envelope encryption with key %s", keyId.get());
            cipher = new EnvelopeCipher(new KmsDataKeys(kms.get(), keyId.get()));
        } else if (localKeys.isResolvable()) {
            cipher = new EnvelopeCipher(localKeys.get());
        } else {
            throw new IllegalStateException("leadsync.kms-key-id (LEADSYNC_KMS_KEY_ID) is not set: tokens and secrets"
                    + " are encrypted at rest with a KMS key outside local mode; set it to the key id or alias"
                    + " (template.yaml's SecretsKey)");
        }
    }

    /** At startup, so a missing key id fails the deployment's first start rather than its first secret. */
    void check(@Observes StartupEvent event) {
        // Constructing this bean is the check.
    }

    @Produces
    @Singleton
    SecretCipher cipher() {
        return cipher;
    }
}
