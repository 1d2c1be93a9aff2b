package com.leadsync.connect;

import com.leadsync.delivery.CrmTokens;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.ops.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@link CrmTokens} for CRM destinations: the {@link TokenKeeper} connections use, over the destinations' store, with
 * the same refreshers by issuer (a destination's issuer is its type). The keeper speaks
 * {@link ProviderCallException}, a destination {@link DeliveryException}: a CRM's rejection of the token goes in as
 * UNAUTHORIZED, its other failures pass through untouched, and what the keeper throws comes out classified for the
 * delivery engine — a grant that needs re-authorization or is gone is permanent, a refresh that could not be made
 * right now retryable.
 */
@ApplicationScoped
public class DestinationCredentials implements CrmTokens {

    private final TokenKeeper<DeliveryTarget> keeper;
    private final CredentialRepository<DeliveryTarget> store;

    DestinationCredentials(CredentialRepository<DeliveryTarget> store, @Any Instance<TokenRefresher> refreshers,
            Metrics metrics, Clock clock,
            @ConfigProperty(name = "leadsync.credentials.refresh-skew", defaultValue = "5m") Duration skew,
            @ConfigProperty(name = "leadsync.credentials.refresh-lease", defaultValue = "30s") Duration lease,
            @ConfigProperty(name = "leadsync.credentials.lease-poll", defaultValue = "150ms") Duration poll) {
        this.store = store;
        this.keeper = new TokenKeeper<>(store, RefreshingCredentials.byIssuer(refreshers), clock, skew, lease, poll,
                (target, version) -> { }, t -> metrics.count(Metrics.TOKEN_REFRESH_FAILURES, 1, Metrics.ISSUER,
                        t.issuer()));
    }

    @Override
    public <T> T withToken(DeliveryTarget target, TokenCall<T> call) throws DeliveryException {
        try {
            return keeper.call(target, token -> {
                try {
                    return call.call(token);
                } catch (DeliveryException e) {
                    if (e.kind() == DeliveryException.Kind.UNAUTHORIZED) {
                        throw new ProviderCallException(e.getMessage(), Kind.UNAUTHORIZED, e);
                    }
                    throw new PassedThrough(e);
                }
            });
        } catch (PassedThrough e) {
            throw e.failure;
        } catch (ProviderCallException e) {
            throw classified(target, e);
        }
    }

    private DeliveryException classified(DeliveryTarget target, ProviderCallException e) {
        if (e.isTransient()) {
            // The token endpoint down or throttled, or another instance's refresh still running: not the lead's fault.
            DeliveryException.Kind kind = e.kind() == Kind.THROTTLED ? DeliveryException.Kind.RATE_LIMITED
                    : DeliveryException.Kind.RETRYABLE;
            return new DeliveryException(kind, e.getMessage(), null, e.retryAfter().orElse(null), e);
        }
        Integer status = e.getCause() instanceof DeliveryException rejected ? rejected.httpStatus() : null;
        if (e.kind() != Kind.UNAUTHORIZED) {
            // The refresher could not use our client registration (unset or refused client id/secret): a person
            // must fix the configuration; the message says which.
            return new DeliveryException(DeliveryException.Kind.PERMANENT, "refreshing the " + target.type()
                    + " token failed: " + e.getMessage(), status, null, e);
        }
        Optional<StoredGrant> now = store.read(target);
        if (now.isEmpty()) {
            return new DeliveryException(DeliveryException.Kind.PERMANENT, target.holderName() + " no longer exists",
                    status, null, e);
        }
        if (now.get().status() == ConnectionStatus.NEEDS_REAUTH) {
            String reason = now.get().statusReason();
            return new DeliveryException(DeliveryException.Kind.PERMANENT, CrmTokens.NEEDS_REAUTHORIZATION + ": "
                    + (reason == null ? e.getMessage() : reason) + "; give it new tokens to resume", status, null, e);
        }
        // Refreshed, and rejected again (or the tokens were replaced meanwhile and the new ones were rejected).
        return new DeliveryException(DeliveryException.Kind.PERMANENT, e.getMessage()
                + " (rejected again after a token refresh)", status, null, e);
    }

    /** Carries a destination's own failure unchanged through the keeper, which knows only runtime exceptions. */
    private static final class PassedThrough extends RuntimeException {
        private final DeliveryException failure;

        PassedThrough(DeliveryException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }
}
