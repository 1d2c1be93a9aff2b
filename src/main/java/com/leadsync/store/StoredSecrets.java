package com.leadsync.store;

import com.leadsync.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The store layer's one way to write and read a secret attribute: sealed by the {@link SecretCipher} on every write,
 * opened on every read (a plaintext from before encryption reads as it is and is sealed by the next write). Each
 * value is bound to its table, item key and attribute path, so moved to another item it does not open.
 */
@ApplicationScoped
class StoredSecrets {

    private final SecretCipher cipher;

    StoredSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** The context of attribute {@code path} ({@code accessToken}, {@code config.webhookKey}) of that item. */
    static String context(Schema.TableSchema table, String itemKey, String path) {
        return table.logicalId() + "/" + itemKey + "/" + path;
    }

    /** The sealed attribute value, or null for null. */
    AttributeValue seal(Schema.TableSchema table, String itemKey, String path, String plaintext) {
        return plaintext == null ? null : Attr.s(cipher.seal(plaintext, context(table, itemKey, path)));
    }

    void put(Map<String, AttributeValue> item, Schema.TableSchema table, String itemKey, String path, String plaintext) {
        if (plaintext != null) {
            item.put(path, seal(table, itemKey, path, plaintext));
        }
    }

    String open(Schema.TableSchema table, String itemKey, String path, String stored) {
        return stored == null ? null : cipher.open(stored, context(table, itemKey, path));
    }

    String open(Map<String, AttributeValue> item, Schema.TableSchema table, String itemKey, String attribute) {
        return open(table, itemKey, attribute, Attr.str(item, attribute));
    }

    /** {@code config} with the values of its secret keys sealed, each bound to {@code <mapAttribute>.<key>}. */
    Map<String, String> sealKeys(Map<String, String> config, Predicate<String> secret, Schema.TableSchema table,
            String itemKey, String mapAttribute) {
        Map<String, String> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(k, v == null || !secret.test(k) ? v
                : cipher.seal(v, context(table, itemKey, mapAttribute + "." + k))));
        return out;
    }

    /** The reverse of {@link #sealKeys}. */
    Map<String, String> openKeys(Map<String, String> stored, Predicate<String> secret, Schema.TableSchema table,
            String itemKey, String mapAttribute) {
        Map<String, String> out = new LinkedHashMap<>();
        stored.forEach((k, v) -> out.put(k, v == null || !secret.test(k) ? v
                : cipher.open(v, context(table, itemKey, mapAttribute + "." + k))));
        return out;
    }
}
