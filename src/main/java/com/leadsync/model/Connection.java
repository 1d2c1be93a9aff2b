package com.leadsync.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A connected ad account (a Meta page, a Google customer, ...). Tokens are secrets: they are never
 * returned by the API and never printed, hence the hand-written {@link #toString()}. {@code status} says
 * whether its tokens still work ({@code statusReason} why not); {@link Credentials} keeps both current.
 */
public record Connection(
        String connectionId,
        String accountId,
        ProviderType providerType,
        String externalId,
        String accessToken,
        String refreshToken,
        Instant expiresAt,
        Map<String, String> config,
        Instant createdAt,
        ConnectionStatus status,
        String statusReason) implements TokenHolder {

    /** Config key of a per-connection webhook secret (Google's {@code google_key}); write-only like tokens. */
    public static final String WEBHOOK_KEY = "webhookKey";

    /** The config keys that hold secrets: write-only like the tokens (never returned, never printed). */
    private static final Set<String> SECRET_CONFIG_KEYS = Set.of(WEBHOOK_KEY);

    public Connection {
        config = config == null ? Map.of() : Map.copyOf(config);
        Objects.requireNonNull(status, "status");
    }

    /** The key webhooks are routed by: one connection per provider-side id. */
    public static String routeKey(ProviderType providerType, String externalId) {
        return providerType.wireName() + "#" + externalId;
    }

    /** The connection's webhook secret, or null. */
    public String webhookKey() {
        return config.get(WEBHOOK_KEY);
    }

    public String routeKey() {
        return routeKey(providerType, externalId);
    }

    public static boolean isSecretConfigKey(String key) {
        return SECRET_CONFIG_KEYS.contains(key);
    }

    /**
     * {@code replacement} with every secret of {@code current} that it leaves out kept: a caller never sees a
     * secret, so leaving it out of a new config means "unchanged", not "remove".
     */
    public static Map<String, String> keepingSecrets(Map<String, String> replacement, Map<String, String> current) {
        Map<String, String> out = new LinkedHashMap<>(replacement);
        current.forEach((key, value) -> {
            if (isSecretConfigKey(key)) {
                out.putIfAbsent(key, value);
            }
        });
        return out;
    }

    @Override
    public String holderName() {
        return "connection " + connectionId;
    }

    /** Its grant is renewed by the {@link TokenRefresher} of its provider. */
    @Override
    public String issuer() {
        return providerType.wireName();
    }

    @Override
    public String toString() {
        return "Connection[" + connectionId + ", account=" + accountId + ", " + routeKey() + "]";
    }
}
