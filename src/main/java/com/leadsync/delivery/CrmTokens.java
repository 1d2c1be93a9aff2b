package com.leadsync.delivery;

/**
 * The one way a destination calls its CRM with an OAuth access token (implemented by the credentials component in
 * {@code connect/}): the token is refreshed before it expires and once when the CRM rejects it (the call throws
 * {@link DeliveryException#unauthorized}), one refresh at a time per destination across all instances, rotated
 * refresh tokens stored atomically. A grant that is dead for good marks the destination {@code needs_reauth} and
 * fails with a permanent {@link DeliveryException} saying so; a token without a refresh token (a private-app or API
 * token) is used as is, and its rejection marks the destination {@code needs_reauth} too.
 */
public interface CrmTokens {

    /**
     * How the failure of a delivery that waited for a destination's re-authorization begins: a reconnect re-sends
     * those ({@link ReauthorizedDeliveries}).
     */
    String NEEDS_REAUTHORIZATION = "destination needs re-authorization";

    /**
     * Runs {@code call} with the target's current access token as stored (config {@code accessToken}, or
     * {@code apiToken} for a destination that has no access token).
     */
    <T> T withToken(DeliveryTarget target, TokenCall<T> call) throws DeliveryException;

    /** A CRM call made with an access token. */
    @FunctionalInterface
    interface TokenCall<T> {
        T call(String accessToken) throws DeliveryException;
    }
}
