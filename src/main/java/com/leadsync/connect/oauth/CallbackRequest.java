package com.leadsync.connect.oauth;

import java.time.Duration;
import java.util.Map;

/**
 * A callback whose state was valid: the account it was started for, the authorization {@code code} (TikTok's
 * {@code auth_code}), every query parameter the platform sent (Zoho adds {@code accounts-server} and
 * {@code location}), the redirect URI the code was issued for, and the PKCE verifier (null without PKCE).
 *
 * <p>{@code deadlineNanos} ({@link System#nanoTime()}): when the callback must have answered. A grant reaching many
 * pages or customers takes a call or more for each, and API Gateway cuts a request at 30 s; a platform checks
 * {@link #inTime} in its loops, so that a connect that cannot finish ends with a page saying so, nothing stored,
 * rather than with the gateway's bare 503.
 */
public record CallbackRequest(String accountId, String code, Map<String, String> query, String redirectUri,
        String codeVerifier, long deadlineNanos) {

    /** A callback without a deadline of its own (the platform tests call platforms directly). */
    public CallbackRequest(String accountId, String code, Map<String, String> query, String redirectUri,
            String codeVerifier) {
        this(accountId, code, query, redirectUri, codeVerifier, Long.MAX_VALUE);
    }

    /** The deadline {@code budget} from now. */
    public static long deadlineIn(Duration budget) {
        return System.nanoTime() + budget.toNanos();
    }

    public String query(String name) {
        return query.get(name);
    }

    /** Throws when the deadline has passed, saying what the connect was {@code doing}; nothing is stored then. */
    public void inTime(String doing) {
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            throw OAuthException.unavailable("Connecting took longer than LeadSync can wait, while " + doing
                    + ". Nothing was stored; start the connection again (a platform that is slow right now is"
                    + " usually faster in a moment).", null);
        }
    }

    @Override
    public String toString() {
        return "CallbackRequest[accountId=" + accountId + ", params=" + query.keySet() + "]";
    }
}
