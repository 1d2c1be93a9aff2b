package com.leadsync.testing;

import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.TokenRefresher;
import com.leadsync.delivery.CrmTokens;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryTarget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of {@link CrmTokens} for unit tests of a destination (the real one is {@code connect/DestinationCredentials}): hands the call the target's
 * {@code accessToken} (or the one a refresh returned), and on {@link DeliveryException#unauthorized} refreshes once
 * with the issuer's real {@link TokenRefresher} and calls again. No store, no single-flight: a dead grant becomes the
 * permanent failure the real component reports (it also marks the destination {@code needs_reauth}).
 */
public class TestCrmTokens implements CrmTokens {

    private final Map<String, TokenRefresher> refreshers;
    private final Map<String, RefreshedTokens> refreshed = new ConcurrentHashMap<>();
    private final AtomicInteger refreshes = new AtomicInteger();

    /** @param refreshers by issuer (the destination type) */
    public TestCrmTokens(Map<String, TokenRefresher> refreshers) {
        this.refreshers = Map.copyOf(refreshers);
    }

    @Override
    public <T> T withToken(DeliveryTarget target, TokenCall<T> call) throws DeliveryException {
        RefreshedTokens current = refreshed.get(target.targetId());
        String token = current == null ? target.config("accessToken") : current.accessToken();
        try {
            return call.call(token);
        } catch (DeliveryException e) {
            if (e.kind() != DeliveryException.Kind.UNAUTHORIZED) {
                throw e;
            }
            String refreshToken = current != null && current.refreshToken() != null ? current.refreshToken()
                    : target.config("refreshToken");
            TokenRefresher refresher = refreshers.get(target.type());
            if (refreshToken == null || refresher == null) {
                throw DeliveryException.permanent("needs_reauth: " + e.getMessage(), e.httpStatus());
            }
            RefreshedTokens fresh;
            try {
                refreshes.incrementAndGet();
                fresh = refresher.refresh(refreshToken, target.config());
            } catch (GrantRevoked dead) {
                throw DeliveryException.permanent("needs_reauth: " + dead.getMessage(), e.httpStatus());
            }
            refreshed.put(target.targetId(), fresh);
            try {
                return call.call(fresh.accessToken());
            } catch (DeliveryException again) {
                if (again.kind() == DeliveryException.Kind.UNAUTHORIZED) {
                    throw DeliveryException.permanent("needs_reauth: " + again.getMessage(), again.httpStatus());
                }
                throw again;
            }
        }
    }

    /** Refreshes asked for so far. */
    public int refreshes() {
        return refreshes.get();
    }

    /** What the last refresh of {@code targetId} returned, or null. */
    public RefreshedTokens refreshed(String targetId) {
        return refreshed.get(targetId);
    }
}
