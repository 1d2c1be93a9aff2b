package com.leadsync.delivery;

/**
 * A stand-in for {@link CrmTokens} in unit tests of a destination: calls once with the target's
 * {@code config.accessToken}, as the credentials component does for a token it has nothing to refresh with, and lets
 * the destination's failure (an UNAUTHORIZED one included) out unchanged, so the test sees its classification.
 */
public final class ConfigAccessToken implements CrmTokens {

    @Override
    public <T> T withToken(DeliveryTarget target, TokenCall<T> call) throws DeliveryException {
        return call.call(target.config("accessToken"));
    }
}
