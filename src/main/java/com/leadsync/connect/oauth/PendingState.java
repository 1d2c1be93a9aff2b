package com.leadsync.connect.oauth;

import java.time.Instant;

/**
 * An authorize request waiting for its callback, kept server-side under its {@code nonce} until it is consumed or
 * expires: the account and type it was started for, and the PKCE verifier (null without PKCE), which must never
 * travel in the URL.
 */
public record PendingState(String nonce, String accountId, String type, String codeVerifier, Instant expiresAt) {

    @Override
    public String toString() {
        return "PendingState[nonce=" + nonce + ", accountId=" + accountId + ", type=" + type + ", expiresAt="
                + expiresAt + "]";
    }
}
