package com.leadsync.testing;

import com.leadsync.connect.RefreshingCredentials;
import com.leadsync.connect.TokenRefresher;
import com.leadsync.delivery.CrmTokens;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryTarget;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/**
 * {@link TestCrmTokens} as the {@link CrmTokens} bean of @QuarkusTests while the credentials component's own is not
 * in the build: a {@link DefaultBean}, so it steps aside by itself once a real {@code CrmTokens} bean exists (then
 * delete this class).
 */
@Singleton
@DefaultBean
public class DefaultTestCrmTokens implements CrmTokens {

    private final TestCrmTokens tokens;

    DefaultTestCrmTokens(@Any Instance<TokenRefresher> refreshers) {
        this.tokens = new TestCrmTokens(RefreshingCredentials.byIssuer(refreshers));
    }

    @Override
    public <T> T withToken(DeliveryTarget target, TokenCall<T> call) throws DeliveryException {
        return tokens.withToken(target, call);
    }
}
