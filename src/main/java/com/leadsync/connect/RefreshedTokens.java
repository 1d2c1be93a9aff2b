package com.leadsync.connect;

import java.time.Instant;

/** What a refresh returned; {@code refreshToken} is null when the issuer did not rotate it. */
public record RefreshedTokens(String accessToken, String refreshToken, Instant expiresAt) {

    @Override
    public String toString() {
        return "RefreshedTokens[expiresAt=" + expiresAt + ", rotated=" + (refreshToken != null) + "]";
    }
}
