package com.leadsync.connect.oauth;

import com.leadsync.connect.GrantRevoked;
import com.leadsync.model.ProviderCallException;

/**
 * A connect reads a token answer with the same rule as the platform's token refresher (so a code exchange and a
 * refresh never disagree on what an answer means); this says what the refresher's failure means to the person who
 * clicked "Connect": a dead or refused grant, or a request the platform would not take, is refused (start again);
 * an answer without a token, a throttle or an outage is unavailable (try again).
 */
public final class TokenAnswerFailures {

    private TokenAnswerFailures() {
    }

    /** {@code failure}: a {@link GrantRevoked} or {@link ProviderCallException} of the refresher's rule. */
    public static OAuthException of(String platform, RuntimeException failure) {
        if (failure instanceof ProviderCallException p && p.isTransient()) {
            return OAuthException.unavailable(platform + " did not complete the authorization (" + p.getMessage()
                    + "); try again in a moment.", p);
        }
        return OAuthException.refused(platform + " refused the authorization (" + failure.getMessage()
                + "): start the connection again.");
    }
}
