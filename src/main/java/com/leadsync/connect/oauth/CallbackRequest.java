package com.leadsync.connect.oauth;

import java.util.Map;

/**
 * A callback whose state was valid: the account it was started for, the authorization {@code code} (TikTok's
 * {@code auth_code}), every query parameter the platform sent (Zoho adds {@code accounts-server} and
 * {@code location}), the redirect URI the code was issued for, and the PKCE verifier (null without PKCE).
 */
public record CallbackRequest(String accountId, String code, Map<String, String> query, String redirectUri,
        String codeVerifier) {

    public String query(String name) {
        return query.get(name);
    }

    @Override
    public String toString() {
        return "CallbackRequest[accountId=" + accountId + ", params=" + query.keySet() + "]";
    }
}
