package com.leadsync.connect;

import java.util.Map;

/**
 * The capability to exchange a refresh token for new tokens at one issuer's OAuth endpoint (Google,
 * LinkedIn; later the CRMs). Throws {@link GrantRevoked} when the grant is dead for good
 * ({@code invalid_grant}), and a transient exception when the issuer could not be asked.
 */
public interface TokenRefresher {

    /** The provider or CRM type whose grants it refreshes, by wire name ({@code google_ads}, ...). */
    String issuer();

    /** {@code config} is the connection's (or destination's) config: e.g. a data centre's accounts server. */
    RefreshedTokens refresh(String refreshToken, Map<String, String> config);
}
