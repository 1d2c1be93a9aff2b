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

    /**
     * What one run saw and told. {@code failed}: connections whose telling failed (logged; the next run tells them);
     * {@code complete}: false when the time box ended the scan first.
     */
    @RegisterForReflection
    public record CheckResult(int scanned, int expiring, int needsReauth, int failed, boolean complete) {
    }

    public CheckResult run() {
        Instant started = clock.instant();
        int scanned = 0;
        int expiring = 0;
        int needsReauth = 0;
        int failed = 0;
        String cursor = null;
        boolean outOfTime = false;
        Instant end = started.plus(timeBox);
        do {
            GrantPage page = connections.scanGrants(cursor, PAGE);
            for (GrantState g : page.items()) {
                Instant now = clock.instant();
                if (!now.isBefore(end)) {
                    outOfTime = true;
                    break;
                }
                scanned++;
                ConnectionEvents.About about = new ConnectionEvents.About(g.connectionId(), g.accountId(),
                        g.providerType(), g.externalId(), g.expiresAt());
                try {
                    if (g.status() == ConnectionStatus.NEEDS_REAUTH) {
                        if (events.needsReauthUnlessTold(about, g.tokenVersion())) {
                            needsReauth++;
                        }
                    } else if (lapsesSoon(g, now)) {
                        events.expiring(about, g.status());
                        expiring++;
                    }
                } catch (RuntimeException e) {
                    // One connection's trouble (a subscription, a throttled call) must not stop the others' alerts.
                    failed++;
                    LOG.warnf(e, "connection check: telling about connection %s failed", g.connectionId());
                }
            }
            cursor = page.lastKey();
        } while (!outOfTime && cursor != null);
        boolean complete = !outOfTime && cursor == null;
        LOG.infof("connection check: %d connection(s), %d expiring, %d needing re-authorization told again, %d"
                + " failed%s", scanned, expiring, needsReauth, failed, complete ? "" : "; stopped by the time box");
        return new CheckResult(scanned, expiring, needsReauth, failed, complete);
    }

    /** Expires within the warning and cannot be refreshed; an already expired token fails and is marked on use. */
    boolean lapsesSoon(GrantState g, Instant now) {
        return g.expiresAt() != null && g.expiresAt().isAfter(now) && !g.expiresAt().isAfter(now.plus(warning))
                && !(g.hasRefreshToken() && refreshable.contains(g.providerType().wireName()));
    }
}
