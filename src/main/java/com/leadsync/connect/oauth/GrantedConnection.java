package com.leadsync.connect.oauth;

import java.time.Instant;
import java.util.Map;

/**
 * One ad account a grant reaches, as a connection stores it: its {@code externalId} (page, customer, sponsored
 * account, advertiser id), a display {@code name} (may be null), its tokens ({@code refreshToken} and
 * {@code expiresAt} null when the platform has none) and the connection config (e.g. Google's
 * {@code loginCustomerId}).
 */
public record GrantedConnection(String externalId, String name, String accessToken, String refreshToken,
        Instant expiresAt, Map<String, String> config) {

    public GrantedConnection {
        config = config == null ? Map.of() : Map.copyOf(config);
    }

    @Override
    public String toString() {
        return "GrantedConnection[externalId=" + externalId + ", name=" + name + ", expiresAt=" + expiresAt + "]";
    }
}
