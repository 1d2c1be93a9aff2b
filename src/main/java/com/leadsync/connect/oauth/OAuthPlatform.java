package com.leadsync.connect.oauth;

import java.net.URI;

/**
 * The capability to connect one platform or CRM by OAuth (contract §10): its consent page, and the exchange of the
 * code the platform sends back for what the grant reaches. One implementation per type, in the platform's own
 * package ({@code source/<provider>/}, {@code delivery/<crm>/}); {@link OAuthPlatforms} finds it by type.
 */
public interface OAuthPlatform {

    /** The provider or destination type it connects, by wire name ({@code meta_lead_ads}, {@code hubspot}, ...). */
    String type();

    /** Whether the authorize request carries a PKCE challenge (S256) and the exchange its verifier. */
    default boolean usesPkce() {
        return false;
    }

    /**
     * The platform's consent page for this request (client id, redirect URI, scopes, state, PKCE challenge).
     * Throws {@link OAuthException#notConfigured} when the app's client id is not set.
     */
    URI authorizeUrl(AuthorizeRequest request);

    /**
     * Exchanges the callback's code and says what the grant reaches; what the platform needs done for the grant to
     * deliver leads (Meta: subscribing the app to each page's {@code leadgen} field) is done here. Throws
     * {@link OAuthException} saying what went wrong (a refused code is {@code refused}, a platform that could not be
     * asked is {@code unavailable}).
     */
    Granted complete(CallbackRequest callback);
}
