package com.leadsync.testing;

import com.leadsync.delivery.CrmTokens;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryTarget;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Test double of {@link CrmTokens} for unit tests of a destination: hands over {@code config.accessToken}; when the
 * call is rejected as unauthorized and the target has a {@code refreshToken}, counts a refresh, asks {@link #refreshWith} for the new access token and calls once more; a
 * second rejection, or one without a refresh token, fails permanently as the component would (needs_reauth).
 */
public class PassThroughCrmTokens implements CrmTokens {

    private final AtomicInteger refreshes = new AtomicInteger();
    private volatile UnaryOperator<String> refresh = old -> old + "-refreshed";

    public PassThroughCrmTokens refreshWith(UnaryOperator<String> refresh) {
        this.refresh = refresh;
        return this;
    }

    public int refreshes() {
        return refreshes.get();
    }

    @Override
    public <T> T withToken(DeliveryTarget target, TokenCall<T> call) throws DeliveryException {
        String token = target.config("accessToken");
        try {
            return call.call(token);
        } catch (DeliveryException e) {
            if (e.kind() != DeliveryException.Kind.UNAUTHORIZED) {
                throw e;
            }
            if (target.config("refreshToken") == null) {
                throw DeliveryException.permanent("needs_reauth: " + e.getMessage(), e.httpStatus());
            }
            refreshes.incrementAndGet();
            try {
                return call.call(refresh.apply(token));
            } catch (DeliveryException again) {
                if (again.kind() == DeliveryException.Kind.UNAUTHORIZED) {
                    throw DeliveryException.permanent("needs_reauth: " + again.getMessage(), again.httpStatus());
                }
                throw again;
            }
        }
    }
}
