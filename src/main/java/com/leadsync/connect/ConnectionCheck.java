package com.leadsync.connect;

import com.leadsync.connect.ConnectionRepository.GrantPage;
import com.leadsync.connect.ConnectionRepository.GrantState;
import com.leadsync.model.ConnectionStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The daily look at every connection's tokens, so that a sync never stops silently: {@code connection.expiring} for
 * tokens that expire within {@code leadsync.connections.expiry-warning} (7 days) and that nothing can refresh (no
 * refresh token, or a platform without refreshes: LinkedIn without a refresh token, a token pasted with an expiry),
 * once per connection per expiry; and {@code connection.needs_reauth} again for each connection that needs it, which
 * is the same event as the one told when it was marked (so it is delivered once), there to catch one a crash lost.
 */
@ApplicationScoped
public class ConnectionCheck {

    private static final Logger LOG = Logger.getLogger(ConnectionCheck.class);
    private static final int PAGE = 200;

    private final ConnectionRepository connections;
    private final ConnectionEvents events;
    private final Set<String> refreshable;
    private final Clock clock;
    private final Duration warning;
    private final Duration timeBox;

    ConnectionCheck(ConnectionRepository connections, ConnectionEvents events,
            @Any Instance<TokenRefresher> refreshers, Clock clock,
            @ConfigProperty(name = "leadsync.connections.expiry-warning") Duration warning,
            @ConfigProperty(name = "leadsync.connections.check-time-box") Duration timeBox) {
        this.connections = connections;
        this.events = events;
        this.refreshable = RefreshingCredentials.byIssuer(refreshers).keySet();
        this.clock = clock;
        this.warning = warning;
        this.timeBox = timeBox;
    }

    /** What one run saw and told. {@code complete}: false when the time box ended the scan first. */
    @RegisterForReflection
    public record CheckResult(int scanned, int expiring, int needsReauth, boolean complete) {
    }

    public CheckResult run() {
        Instant started = clock.instant();
        int scanned = 0;
        int expiring = 0;
        int needsReauth = 0;
        String cursor = null;
        do {
            GrantPage page = connections.scanGrants(cursor, PAGE);
            Instant now = clock.instant();
            for (GrantState g : page.items()) {
                scanned++;
                ConnectionEvents.About about = new ConnectionEvents.About(g.connectionId(), g.accountId(),
                        g.providerType(), g.externalId(), g.expiresAt());
                if (g.status() == ConnectionStatus.NEEDS_REAUTH) {
                    events.needsReauth(about, g.tokenVersion());
                    needsReauth++;
                } else if (lapsesSoon(g, now)) {
                    events.expiring(about, g.status());
                    expiring++;
                }
            }
            cursor = page.lastKey();
        } while (cursor != null && clock.instant().isBefore(started.plus(timeBox)));
        LOG.infof("connection check: %d connection(s), %d expiring, %d needing re-authorization%s", scanned,
                expiring, needsReauth, cursor == null ? "" : "; stopped by the time box before " + cursor);
        return new CheckResult(scanned, expiring, needsReauth, cursor == null);
    }

    /** Expires within the warning and cannot be refreshed; an already expired token fails and is marked on use. */
    boolean lapsesSoon(GrantState g, Instant now) {
        return g.expiresAt() != null && g.expiresAt().isAfter(now) && !g.expiresAt().isAfter(now.plus(warning))
                && !(g.hasRefreshToken() && refreshable.contains(g.providerType().wireName()));
    }
}
