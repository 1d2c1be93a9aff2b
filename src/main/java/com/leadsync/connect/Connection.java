package com.leadsync.connect;

import com.leadsync.lead.ProviderType;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

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
