package com.leadsync.connect;

import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.TokenHolder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Calls a provider with a token holder's current access token, for any kind of holder whose grant a
 * {@link CredentialRepository} stores (connections today, CRM destinations next).
 *
 * <ul>
 * <li>Every call reads the stored grant (one strongly consistent read): no instance ever uses a token older
 * than the stored one, whatever copy of the holder its caller had (e.g. a connection cached for 30 s), and a
 * {@code needs_reauth} set anywhere stops every instance at once.</li>
 * <li>A refreshable grant (a refresh token, and a {@link TokenRefresher} for its issuer) is refreshed when
 * it expires within the skew, and once when the provider rejects its token (UNAUTHORIZED), then the call is
 * made once more; a second rejection propagates.</li>
 * <li>One refresh at a time per holder across all instances: a conditional-write lease on its item. The
 * holder of the lease reads the grant again (it may have been refreshed or replaced since) and refreshes
 * from that refresh token only; the others wait, reading the item until it holds a token newer than theirs
 * or the lease is gone, bounded by the lease length, and use the stored token.</li>
 * <li>The refreshed tokens are stored in one conditional write: only by the lease owner, only over the
 * tokens it refreshed from. A grant the issuer calls dead ({@link GrantRevoked}) marks the holder
 * {@code needs_reauth}; its refresher is not asked again until its tokens are replaced.</li>
 * <li>A token nothing can refresh is used as is; its rejection marks the holder {@code needs_reauth}.</li>
 * <li>A failure that leaves here carries the version of the tokens it failed with
 * ({@link ProviderCallException#tokenVersion()}), so a caller can tell whether they have been replaced since.</li>
 * </ul>
 */
public final class TokenKeeper<H extends TokenHolder> {

    private static final Logger LOG = Logger.getLogger(TokenKeeper.class);
    private static final int REASON_LIMIT = 500;

    private final CredentialRepository<H> store;
    private final Map<String, TokenRefresher> refreshers;
    private final Clock clock;
    private final Duration skew;
    private final Duration lease;
    private final Duration poll;
    private final ObjLongConsumer<H> condemned;
    private final Consumer<H> refreshFailed;

    /**
     * @param refreshers by issuer wire name
     * @param skew refresh when the token expires within this
     * @param lease how long a refresher may hold a holder's refresh (longer than one refresh call can take)
     * @param poll how often a caller waiting for another's refresh reads the stored grant
     */
    public TokenKeeper(CredentialRepository<H> store, Map<String, TokenRefresher> refreshers, Clock clock,
            Duration skew, Duration lease, Duration poll) {
        this(store, refreshers, clock, skew, lease, poll, (holder, tokenVersion) -> { });
    }

    /**
     * @param condemned told (the holder, the version of its dead tokens) each time this keeper marks a holder
     *                  {@code needs_reauth}; a failure there is logged, never the caller's
     */
    public TokenKeeper(CredentialRepository<H> store, Map<String, TokenRefresher> refreshers, Clock clock,
            Duration skew, Duration lease, Duration poll, ObjLongConsumer<H> condemned) {
        this(store, refreshers, clock, skew, lease, poll, condemned, holder -> { });
    }

    /** @param refreshFailed told each time a refresh is refused or the issuer cannot be asked (a metric) */
    public TokenKeeper(CredentialRepository<H> store, Map<String, TokenRefresher> refreshers, Clock clock,
            Duration skew, Duration lease, Duration poll, ObjLongConsumer<H> condemned,
            Consumer<H> refreshFailed) {
        this.refreshFailed = refreshFailed;
        this.condemned = condemned;
        this.store = store;
        this.refreshers = Map.copyOf(refreshers);
        this.clock = clock;
        this.skew = skew;
        this.lease = lease;
        this.poll = poll;
    }

    /** Runs {@code call} with a current access token of {@code holder} (see the class comment). */
    public <T> T call(H holder, Function<String, T> call) {
        StoredGrant grant = stored(holder);
        TokenRefresher refresher = grant.refreshToken() == null ? null : refreshers.get(holder.issuer());
        if (refresher == null) {
            return callUnrefreshable(holder, grant, call);
        }
        if (expiresSoon(grant)) {
            grant = refreshedBeforeExpiry(holder, grant, refresher);
        }
        try {
            return using(grant, call);
        } catch (ProviderCallException e) {
            if (e.kind() != Kind.UNAUTHORIZED) {
                throw e;
            }
            long rejected = grant.tokenVersion();
            LOG.infof("%s: the provider rejected its token (version %d); renewing it once", holder.holderName(),
                    rejected);
            StoredGrant renewed = renew(holder, refresher, g -> g.tokenVersion() > rejected);
            return using(renewed, call);
        }
    }

    /**
     * {@code call} with {@code grant}'s access token. A failure records that grant's version, so whoever acts on it
     * can tell tokens stored since (a replacement, another instance's refresh) from the ones that failed.
     */
    private static <T> T using(StoredGrant grant, Function<String, T> call) {
        try {
            return call.apply(grant.accessToken());
        } catch (ProviderCallException e) {
            throw e.recordTokenVersion(grant.tokenVersion());
        }
    }

    /**
     * No way to refresh it: used as is. Rejected, the token is dead, and so is the holder until a person
     * replaces its tokens — unless they were replaced while this call ran: then the call starts over with
     * the new ones (each round needs newer tokens, so this ends).
     */
    private <T> T callUnrefreshable(H holder, StoredGrant grant, Function<String, T> call) {
        try {
            return using(grant, call);
        } catch (ProviderCallException e) {
            if (e.kind() != Kind.UNAUTHORIZED) {
                throw e;
            }
            String reason = "the provider rejected the access token, and it cannot be refreshed: " + e.getMessage();
            if (store.markNeedsReauth(holder, grant.tokenVersion(), clip(reason))) {
                LOG.warnf("%s needs re-authorization: %s", holder.holderName(), reason);
                tell(holder, grant.tokenVersion());
                throw e;
            }
            if (stored(holder).tokenVersion() == grant.tokenVersion()) {
                throw e;
            }
            return call(holder, call);
        }
    }

    /**
     * Refreshed ahead of expiry. If the issuer cannot be asked right now but the token has not expired yet,
     * the call goes ahead with it: the next call tries the refresh again.
     */
    private StoredGrant refreshedBeforeExpiry(H holder, StoredGrant grant, TokenRefresher refresher) {
        try {
            return renew(holder, refresher, g -> !expiresSoon(g));
        } catch (ProviderCallException e) {
            if (e.isTransient() && grant.expiresAt().isAfter(clock.instant())) {
                LOG.warnf("%s: refreshing before expiry failed (%s); using the token until it expires at %s",
                        holder.holderName(), e.getMessage(), grant.expiresAt());
                return grant;
            }
            throw e;
        }
    }

    /**
     * A stored grant that satisfies {@code enough}: refreshed under the holder's lease, or the one another
     * instance stored meanwhile. At most one refresher call per lease, whoever asks.
     */
    private StoredGrant renew(H holder, TokenRefresher refresher, Predicate<StoredGrant> enough) {
        String owner = UUID.randomUUID().toString();
        // A lease taken just before we looked runs out within its length: by then it is ours to take.
        long deadline = System.nanoTime() + lease.plus(poll).toNanos();
        while (true) {
            Instant now = clock.instant();
            if (store.takeRefreshLease(holder, owner, now, now.plus(lease))) {
                return refreshUnderLease(holder, owner, refresher, enough);
            }
            StoredGrant seen = awaitOtherRefresher(holder, enough, deadline);
            if (enough.test(seen)) {
                return seen;
            }
        }
    }

    /**
     * Polls the stored item every {@code poll} (lease-poll) until {@code deadline} (a {@link System#nanoTime()}),
     * for a grant that satisfies {@code enough} or one whose refresh lease nobody holds any more: there is no
     * notification to wait on across instances, so this is a bounded poll of the item, never past the deadline.
     */
    private StoredGrant awaitOtherRefresher(H holder, Predicate<StoredGrant> enough, long deadline) {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ProviderCallException(holder.holderName() + ": another instance's token refresh did not"
                        + " finish within " + lease, Kind.TRANSIENT, null);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, poll.toNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderCallException(holder.holderName() + ": interrupted while another instance"
                        + " refreshed its token", Kind.TRANSIENT, e);
            }
            StoredGrant seen = stored(holder);
            if (enough.test(seen) || !seen.refreshLeaseHeld(clock.instant())) {
                return seen;
            }
        }
    }

    private StoredGrant refreshUnderLease(H holder, String owner, TokenRefresher refresher,
            Predicate<StoredGrant> enough) {
        boolean leaseFreed = false;
        try {
            // Read again under the lease: the caller's copy may predate a refresh or a replacement of the tokens.
            StoredGrant fresh = stored(holder);
            if (enough.test(fresh) || fresh.refreshToken() == null) {
                return fresh;
            }
            RefreshedTokens tokens;
            try {
                tokens = refresher.refresh(fresh.refreshToken(), holder.config());
            } catch (ProviderCallException notNow) {
                refreshFailed.accept(holder);
                throw notNow;
            } catch (GrantRevoked revoked) {
                refreshFailed.accept(holder);
                String reason = clip("the grant was revoked at " + holder.issuer() + ": " + revoked.getMessage());
                if (store.markNeedsReauth(holder, fresh.tokenVersion(), reason)) {
                    leaseFreed = true;
                    LOG.warnf("%s needs re-authorization: %s", holder.holderName(), reason);
                    tell(holder, fresh.tokenVersion());
                    throw needsReauth(holder, reason).recordTokenVersion(fresh.tokenVersion());
                }
                return replacedSince(holder, fresh, "its grant was revoked");
            }
            Optional<StoredGrant> saved = store.saveRefreshed(holder, owner, fresh.tokenVersion(), tokens);
            if (saved.isPresent()) {
                leaseFreed = true;
                LOG.infof("%s: token refreshed (version %d, expires %s)", holder.holderName(),
                        saved.get().tokenVersion(), saved.get().expiresAt());
                return saved.get();
            }
            return replacedSince(holder, fresh, "its refresh lease ran out before the refreshed tokens were stored");
        } finally {
            if (!leaseFreed) {
                store.releaseRefreshLease(holder, owner);
            }
        }
    }

    /** A write conditioned on {@code fresh} lost: the tokens stored since, if any, else a transient failure. */
    private StoredGrant replacedSince(H holder, StoredGrant fresh, String what) {
        StoredGrant now = stored(holder);
        if (now.tokenVersion() > fresh.tokenVersion()) {
            return now;
        }
        LOG.warnf("%s: %s", holder.holderName(), what);
        throw new ProviderCallException(holder.holderName() + ": " + what, Kind.TRANSIENT, null);
    }

    /** The stored grant, usable: the holder still exists and does not need re-authorization. */
    private StoredGrant stored(H holder) {
        StoredGrant grant = store.read(holder).orElseThrow(() -> new ProviderCallException(holder.holderName()
                + " no longer exists (deleted, or its account was connected again)", Kind.UNAUTHORIZED, null));
        if (grant.status() == ConnectionStatus.NEEDS_REAUTH) {
            throw needsReauth(holder, grant.statusReason()).recordTokenVersion(grant.tokenVersion());
        }
        return grant;
    }

    private boolean expiresSoon(StoredGrant grant) {
        return grant.expiresAt() != null && !grant.expiresAt().isAfter(clock.instant().plus(skew));
    }

    private static ProviderCallException needsReauth(TokenHolder holder, String reason) {
        return new ProviderCallException(holder.holderName() + " needs re-authorization"
                + (reason == null ? "" : " (" + reason + ")") + ": replace its tokens to resume", Kind.UNAUTHORIZED,
                null);
    }

    /** The call's own failure is what its caller must see: a listener's is only logged. */
    private void tell(H holder, long tokenVersion) {
        try {
            condemned.accept(holder, tokenVersion);
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s: telling that it needs re-authorization failed", holder.holderName());
        }
    }

    private static String clip(String reason) {
        return reason.length() <= REASON_LIMIT ? reason : reason.substring(0, REASON_LIMIT);
    }
}
