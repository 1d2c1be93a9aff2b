package com.leadsync.connect;

import com.leadsync.model.Connection;
import com.leadsync.ops.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@link Credentials} for connections: a {@link TokenKeeper} over the connections' store (see there). */
@ApplicationScoped
public class RefreshingCredentials implements Credentials {

    private final TokenKeeper<Connection> keeper;

    RefreshingCredentials(CredentialRepository<Connection> connections, @Any Instance<TokenRefresher> refreshers,
            ConnectionEvents events, Metrics metrics, Clock clock,
            @ConfigProperty(name = "leadsync.credentials.refresh-skew", defaultValue = "5m") Duration skew,
            @ConfigProperty(name = "leadsync.credentials.refresh-lease", defaultValue = "30s") Duration lease,
            @ConfigProperty(name = "leadsync.credentials.lease-poll", defaultValue = "150ms") Duration poll) {
        this.keeper = new TokenKeeper<>(connections, byIssuer(refreshers), clock, skew, lease, poll,
                events::needsReauth, c -> metrics.count(Metrics.TOKEN_REFRESH_FAILURES, 1, Metrics.ISSUER,
                        c.issuer()));
    }

    @Override
    public <T> T call(Connection connection, Function<String, T> call) {
        return keeper.call(connection, call);
    }

    /**
     * One refresher per issuer. An enabled alternative stands in for the platform's own (that is how a test
     * replaces one); two of the same kind for one issuer is a build mistake, refused at start.
     */
    public static Map<String, TokenRefresher> byIssuer(Instance<TokenRefresher> all) {
        Map<String, TokenRefresher> out = new HashMap<>();
        Set<String> byAlternative = new HashSet<>();
        for (Instance.Handle<TokenRefresher> handle : all.handles()) {
            TokenRefresher refresher = handle.get();
            String issuer = refresher.issuer();
            boolean alternative = handle.getBean().isAlternative();
            TokenRefresher previous = out.get(issuer);
            if (previous != null && alternative == byAlternative.contains(issuer)) {
                throw new IllegalStateException("two token refreshers for " + issuer + ": " + previous.getClass()
                        + ", " + refresher.getClass());
            }
            if (previous == null || alternative) {
                out.put(issuer, refresher);
                if (alternative) {
                    byAlternative.add(issuer);
                }
            }
        }
        return out;
    }
}
