package com.leadsync.api;

import com.leadsync.account.AccountRepository;
import com.leadsync.crypto.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Issues API keys (shown once, stored as SHA-256) and authenticates callers by them. */
@ApplicationScoped
public class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccountRepository accounts;
    private final byte[] adminKey;

    ApiKeys(AccountRepository accounts, @ConfigProperty(name = "leadsync.admin-api-key") Optional<String> adminKey) {
        this.accounts = accounts;
        this.adminKey = adminKey.filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "lsk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String key) {
        return Sha256.hex(key);
    }

    /** The caller behind {@code x-api-key} or {@code Authorization: Bearer}; 401 when absent or unknown. */
    public Caller authenticate(HttpApiEvent event) {
        String key = event.header("x-api-key");
        if (key == null) {
            String auth = event.header("authorization");
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                key = auth.substring(7).trim();
            }
        }
        if (key == null || key.isBlank()) {
            throw ApiError.unauthenticated("an API key is required: header 'x-api-key' or 'Authorization: Bearer'");
        }
        if (adminKey != null && MessageDigest.isEqual(adminKey, key.getBytes(StandardCharsets.UTF_8))) {
            return Caller.admin(accounts::exists);
        }
        return accounts.accountForKey(hash(key)).map(Caller::ofAccount)
                .orElseThrow(() -> ApiError.unauthenticated("the API key is not valid"));
    }
}
