package com.leadsync.testing;

import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.TokenRefresher;
import com.leadsync.delivery.CrmTokens;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.model.ProviderCallException;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * A test double of {@link CrmTokens} until the credentials component lands (and a default bean, so the app boots in
 * tests before it does; the real one replaces it): hands over {@code config.accessToken}, and on
 * {@link DeliveryException#unauthorized} refreshes once with the target type's {@link TokenRefresher} and calls
 * again with the new token. A dead grant fails permanently saying the destination needs reauthorization. Not
 * single-flight and nothing is stored: only the refresh-once contract is modelled.
 */
@DefaultBean
@ApplicationScoped
public class RefreshOnceCrmTokens implements CrmTokens {

    private final Map<String, TokenRefresher> refreshers;
    private final Map<String, String> refreshed = new ConcurrentHashMap<>();

    @Inject
    public RefreshOnceCrmTokens(Instance<TokenRefresher> refreshers) {
        this(StreamSupport.stream(refreshers.spliterator(), false).toList());
    }

    public RefreshOnceCrmTokens(List<TokenRefresher> refreshers) {
        this.refreshers = refreshers.stream().collect(Collectors.toMap(TokenRefresher::issuer, r -> r, (a, b) -> a));
    }

    @Override
    public <T> T withToken(DeliveryTarget target, TokenCall<T> call) throws DeliveryException {
        String token = refreshed.getOrDefault(target.targetId(), target.config("accessToken"));
        try {
            return call.call(token);
        } catch (DeliveryException e) {
            if (e.kind() != DeliveryException.Kind.UNAUTHORIZED) {
                throw e;
            }
            return call.call(refresh(target, e));
        }
    }

    private String refresh(DeliveryTarget target, DeliveryException rejected) throws DeliveryException {
        TokenRefresher refresher = refreshers.get(target.type());
        String refreshToken = target.config("refreshToken");
        if (refresher == null || refreshToken == null || refreshToken.isBlank()) {
            throw DeliveryException.permanent(rejected.getMessage() + "; destination needs_reauth",
                    rejected.httpStatus());
        }
        try {
            RefreshedTokens tokens = refresher.refresh(refreshToken, target.config());
            refreshed.put(target.targetId(), tokens.accessToken());
            return tokens.accessToken();
        } catch (GrantRevoked dead) {
            throw DeliveryException.permanent("refresh token is dead (" + dead.getMessage()
                    + "); destination needs_reauth", null);
        } catch (ProviderCallException e) {
            throw e.kind() == ProviderCallException.Kind.TRANSIENT
                    ? DeliveryException.retryable("token refresh failed: " + e.getMessage(), null, null)
                    : DeliveryException.permanent("token refresh failed: " + e.getMessage(), null);
        }
    }
}
