package com.leadsync.poll;

import com.leadsync.ingest.UnroutedLeads;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderCallException;
import com.leadsync.source.LeadLister;
import com.leadsync.source.LeadSources;
import com.leadsync.source.ListRequest;
import com.leadsync.walk.LostLease;
import com.leadsync.walk.QueueDelay;
import com.leadsync.walk.PageWalker;
import com.leadsync.walk.WalkLedger;
import com.leadsync.walk.WalkOutcome;
import com.leadsync.walk.WalkStep;
import com.leadsync.ops.LogContext;
import com.leadsync.ops.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Polls one connection per message: under the connection's poll lease, starts a walk over the leads submitted
 * since the watermark minus {@code leadsync.poll.overlap} (the first one looks back
 * {@code leadsync.poll.first-lookback}) up to now, or goes on with the walk in progress, for at most
 * {@code leadsync.poll.time-box} and never so late that a page could outlast the function
 * ({@code leadsync.poll.function-timeout}, {@code leadsync.poll.longest-page}), and hands the rest to a continuation
 * message.
 *
 * <p>Messages that are not needed are dropped: a continuation of a walk that is over, a poll asked before the
 * last completed walk started, a connection deleted or waiting for re-authorization. A poll that finds the
 * lease held comes back when it runs out; a continuation that does is dropped, since the holder goes on itself
 * (and if the holder died, its own message comes back after the visibility timeout, when the lease is over).
 * A message that arrives while the walk is deferred comes back when the deferral ends.
 *
 * <p>A rate limit, and a platform that has nothing yet (a page asking to come back later), defer the walk
 * (position kept, last outcome unchanged), a rate limit for as long as the platform asks and at most
 * {@code leadsync.poll.max-deferrals} times in a row (then the walk ends {@code failed}, watermark kept, and the
 * next scheduled poll tries again); so does a transient provider error, with a backoff from
 * {@code leadsync.poll.retry-delay}, until {@code leadsync.poll.transient-retries} of them in a row end the walk
 * {@code failed}. A rejected token ends it {@code failed} asking to reconnect (the credentials mark a dead grant
 * {@code needs_reauth}, which stops polling); any other provider error (a permission removed, the account gone, a
 * refused request) ends it {@code failed} and marks the connection {@code error} with the reason. An {@code error}
 * connection is still polled, so that it heals itself: the next poll that completes makes it {@code active} again.
 * An unexpected error frees the lease and lets SQS retry.
 */
@ApplicationScoped
public class PollWorker {

    private static final Logger LOG = Logger.getLogger(PollWorker.class);

    private final PollStates states;
    private final Metrics metrics;
    private final PollScheduler scheduler;
    private final LeadSources sources;
    private final PageWalker walker;
    private final UnroutedLeads waiting;
    private final PollQueue queue;
    private final PipelineProbe probe;
    private final Clock clock;
    private final Duration overlap;
    private final Duration firstLookback;
    private final Duration lease;
    private final Duration timeBox;
    private final Duration functionTimeout;
    private final Duration longestPage;
    private final Duration throttleDelay;
    private final Duration retryDelay;
    private final int transientRetries;
    private final int maxDeferrals;

    PollWorker(PollStates states, PollScheduler scheduler, LeadSources sources, PageWalker walker,
            UnroutedLeads waiting, PollQueue queue, PipelineProbe probe, Metrics metrics, Clock clock,
            @ConfigProperty(name = "leadsync.poll.overlap") Duration overlap,
            @ConfigProperty(name = "leadsync.poll.first-lookback") Duration firstLookback,
            @ConfigProperty(name = "leadsync.poll.lease") Duration lease,
            @ConfigProperty(name = "leadsync.poll.time-box") Duration timeBox,
            @ConfigProperty(name = "leadsync.poll.function-timeout") Duration functionTimeout,
            @ConfigProperty(name = "leadsync.poll.longest-page") Duration longestPage,
            @ConfigProperty(name = "leadsync.poll.throttle-delay") Duration throttleDelay,
            @ConfigProperty(name = "leadsync.poll.retry-delay") Duration retryDelay,
            @ConfigProperty(name = "leadsync.poll.transient-retries") int transientRetries,
            @ConfigProperty(name = "leadsync.poll.max-deferrals") int maxDeferrals) {
        if (transientRetries < 1) {
            throw new IllegalArgumentException("leadsync.poll.transient-retries must be at least 1, got "
                    + transientRetries);
        }
        if (maxDeferrals < 0) {
            throw new IllegalArgumentException("leadsync.poll.max-deferrals must not be negative, got " + maxDeferrals);
        }
        this.metrics = metrics;
        this.states = states;
        this.scheduler = scheduler;
        this.sources = sources;
        this.walker = walker;
        this.waiting = waiting;
        this.queue = queue;
        this.probe = probe;
        this.clock = clock;
        this.overlap = overlap;
        this.firstLookback = firstLookback;
        this.lease = lease;
        this.timeBox = timeBox;
        this.functionTimeout = functionTimeout;
        this.longestPage = longestPage;
        this.throttleDelay = throttleDelay;
        this.retryDelay = retryDelay;
        this.transientRetries = transientRetries;
        this.maxDeferrals = maxDeferrals;
    }

    /** {@code owner} names this attempt (unique per invocation). */
    public void handle(PollMessage message, String owner) {
        try (LogContext log = LogContext.with(LogContext.CONNECTION_ID, message.connectionId())) {
            handleLogged(message, owner);
        }
    }

    private void handleLogged(PollMessage message, String owner) {
        if (message.kind() == PollMessage.Kind.SCAN) {
            scheduler.scan(message.scanAfter());
            return;
        }
        Instant started = clock.instant();
        String routeKey = Connection.routeKey(message.providerType(), message.externalId());
        Optional<PollState> seen = current(routeKey, message);
        if (seen.isEmpty() || !wanted(message, seen.get())) {
            return;
        }
        if (!states.takeLease(routeKey, message.connectionId(), owner, started, started.plus(lease))) {
            if (message.kind() == PollMessage.Kind.POLL) {
                Instant until = seen.get().leaseUntil() == null ? started.plus(lease) : seen.get().leaseUntil();
                queue.publishPoll(message, QueueDelay.of(Duration.between(started, until).plusSeconds(1)));
                LOG.debugf("%s is being polled: this poll comes back when that one's lease ends", routeKey);
            }
            return;
        }
        probe.reached("poll.leased", message.connectionId());
        try {
            walk(message, routeKey, owner, started);
        } catch (LostLease lost) {
            LOG.infof("%s: %s; the worker holding it goes on", routeKey, lost.getMessage());
        } catch (RuntimeException unexpected) {
            // Not the provider's answer (an AWS call failed, a bug): SQS retries the message, resuming the walk.
            try {
                states.release(routeKey, message.connectionId(), owner);
            } catch (RuntimeException releaseFailed) {
                unexpected.addSuppressed(releaseFailed);
            }
            throw unexpected;
        }
    }

    private void walk(PollMessage message, String routeKey, String owner, Instant started) {
        // Read again under the lease: a walk may have started or ended since the first look.
        Optional<PollState> held = current(routeKey, message);
        if (held.isEmpty() || !wanted(message, held.get())) {
            states.release(routeKey, message.connectionId(), owner);
            return;
        }
        Instant deferredUntil = held.get().deferredUntil();
        Instant now = clock.instant();
        if (deferredUntil != null && deferredUntil.isAfter(now)) {
            // A rate limit or a platform asked us to wait: nothing is walked before then, whoever asks.
            states.release(routeKey, message.connectionId(), owner);
            Duration rest = QueueDelay.of(Duration.between(now, deferredUntil));
            queue.publishPoll(message, rest);
            LOG.debugf("%s is deferred until %s: this %s comes back in %s", routeKey, deferredUntil,
                    message.kind() == PollMessage.Kind.POLL ? "poll" : "continuation", rest);
            return;
        }
        Optional<LeadLister> lister = sources.lister(message.providerType());
        Optional<Connection> connection = states.connection(message.providerType(), message.externalId())
                .filter(c -> c.connectionId().equals(message.connectionId()));
        if (lister.isEmpty() || connection.isEmpty()) {
            LOG.warnf("%s: %s", routeKey, lister.isEmpty() ? "no lister for this provider" : "the connection is gone");
            states.release(routeKey, message.connectionId(), owner);
            return;
        }
        PollState.Walk walk = held.get().walk();
        if (walk == null) {
            walk = newWalk(held.get(), started);
            states.startWalk(routeKey, message.connectionId(), owner, walk);
            probe.reached("poll.started", message.connectionId());
        }
        PollState.Walk current = walk;
        AtomicBoolean pageRecorded = new AtomicBoolean();
        WalkLedger ledger = (nextPosition, page, notReady) -> {
            if (nextPosition == null) {
                states.complete(routeKey, message.connectionId(), owner, current.id(), page.leads(), current.until(),
                        clock.instant());
            } else {
                states.recordPage(routeKey, message.connectionId(), owner, current.id(), nextPosition, page.leads(),
                        clock.instant().plus(lease));
            }
            pageRecorded.set(true);
        };
        WalkOutcome outcome;
        try {
            outcome = walker.walk(new WalkStep(connection.get(), lister.get(),
                    new ListRequest(walk.since(), walk.until(), null, walk.position()), ledger, walker::queueAll,
                    "poll", message.connectionId(), WalkStep.TimeBox.of(started, timeBox, functionTimeout, longestPage)));
        } catch (ProviderCallException e) {
            providerError(e, message, routeKey, owner, walk, held.get(), pageRecorded.get());
            return;
        }
        if (outcome instanceof WalkOutcome.Completed done) {
            LOG.infof("%s polled: %d lead(s) in [%s, %s)", routeKey, walk.leads() + done.leads(), walk.since(),
                    walk.until());
            metrics.emit(Metrics.PROVIDER_TYPE, message.providerType().wireName(),
                    Metrics.Datum.count(Metrics.POLLS_SUCCEEDED, 1),
                    Metrics.Datum.count(Metrics.POLL_LEADS, walk.leads() + done.leads()));
            if (held.get().inError()) {
                states.clearError(routeKey, message.connectionId());
                LOG.infof("%s: polled again after an error: active", routeKey);
            }
            // A whole walk worked, so the connection can fetch again: leads parked on it (say, during a
            // permission outage since fixed on the platform) go through now, not only after a token change.
            waiting.drain(connection.get());
            return;
        }
        if (outcome instanceof WalkOutcome.Waiting notYet) {
            Duration wait = QueueDelay.of(notYet.retryAfter());
            states.defer(routeKey, message.connectionId(), owner, clock.instant().plus(wait));
            probe.reached("poll.deferred", message.connectionId());
            queue.publishPoll(continuation(message, walk), wait);
            LOG.infof("%s: the platform has nothing yet at this page; the poll goes on in %s", routeKey, wait);
            return;
        }
        // Out of time: free the lease before the continuation can arrive, so that it finds the walk free.
        states.release(routeKey, message.connectionId(), owner);
        probe.reached("poll.released", message.connectionId());
        queue.publishPoll(List.of(continuation(message, walk)));
        probe.reached("poll.continued", message.connectionId());
    }

    /** The walk failed: recorded on the connection (its {@code lastPollStatus}) and counted ({@code PollsFailed}). */
    private void failed(String routeKey, PollMessage message, String owner, String error) {
        states.fail(routeKey, message.connectionId(), owner, error, clock.instant());
        metrics.count(Metrics.POLLS_FAILED, 1, Metrics.PROVIDER_TYPE, message.providerType().wireName());
    }

    /**
     * {@code held}: the state read when this invocation started; {@code pageRecorded}: a page went through since,
     * which ended the walk's runs of failures and of rate limits.
     */
    private void providerError(ProviderCallException e, PollMessage message, String routeKey, String owner,
            PollState.Walk walk, PollState held, boolean pageRecorded) {
        switch (e.kind()) {
            case THROTTLED -> {
                int deferrals = pageRecorded ? 0 : held.throttles();
                if (deferrals >= maxDeferrals) {
                    // A limit this long is a problem for a person to see, not to wait out in silence. No lead is
                    // lost: the watermark stays, and the next scheduled poll walks the window again.
                    String error = "rate limited again after " + deferrals + " deferrals in a row (the most"
                            + " leadsync.poll.max-deferrals allows): " + e.getMessage()
                            + "; the next scheduled poll tries again";
                    failed(routeKey, message, owner, error);
                    LOG.warnf("%s: poll failed: %s", routeKey, error);
                    return;
                }
                // The whole wait the platform asked for (Meta's may exceed SQS's 15 minutes): a message that comes
                // back sooner finds the walk deferred and waits out the rest without calling the platform.
                Duration asked = e.retryAfter().orElse(throttleDelay);
                Duration wait = QueueDelay.of(asked);
                Instant until = clock.instant().plus(asked.compareTo(wait) > 0 ? asked : wait);
                states.throttle(routeKey, message.connectionId(), owner, until, deferrals + 1);
                probe.reached("poll.deferred", message.connectionId());
                queue.publishPoll(continuation(message, walk), wait);
                LOG.infof("%s: rate limited (%s); the poll goes on at %s (deferral %d of at most %d)", routeKey,
                        e.getMessage(), until, deferrals + 1, maxDeferrals);
            }
            case TRANSIENT -> {
                // A page that went through since the last failure ended that run of failures.
                int inARow = (pageRecorded ? 0 : held.transientFailures()) + 1;
                if (inARow >= transientRetries) {
                    failed(routeKey, message, owner, e.getMessage() + " (" + inARow
                            + " transient failures in a row)");
                    LOG.warnf("%s: poll failed after %d transient failures in a row: %s", routeKey, inARow,
                            e.getMessage());
                    return;
                }
                // Position kept: a hiccup costs one page again, not the walk.
                Duration backoff = retryDelay.multipliedBy(1L << Math.min(inARow - 1, 20));
                Duration wait = QueueDelay.of(e.retryAfter().orElse(backoff));
                states.retryLater(routeKey, message.connectionId(), owner, clock.instant().plus(wait), inARow);
                probe.reached("poll.deferred", message.connectionId());
                queue.publishPoll(continuation(message, walk), wait);
                LOG.infof("%s: transient failure %d of %d (%s); the poll goes on in %s", routeKey, inARow,
                        transientRetries, e.getMessage(), wait);
            }
            case UNAUTHORIZED -> {
                // Credentials has already refreshed once where it can, and marked a dead grant (a revoked one
                // included) needs_reauth: nothing to retry until a person reconnects.
                failed(routeKey, message, owner, reconnect(e.getMessage()));
                LOG.warnf("%s: poll stopped, the token was rejected: %s", routeKey, e.getMessage());
            }
            default -> {
                // FORBIDDEN, NOT_FOUND, INVALID: no retry helps until a person acts, so the connection says
                // so. Marked first: a crash before the failure is recorded retries the poll, which marks it again.
                // Checked against the tokens that failed (a refresh may have stored newer ones since this
                // invocation started), so that tokens replaced meanwhile are not condemned.
                long failedTokens = e.tokenVersion().orElse(held.tokenVersion());
                if (states.markError(routeKey, message.connectionId(), failedTokens, errorReason(e))) {
                    LOG.warnf("%s: marked error: %s", routeKey, errorReason(e));
                }
                failed(routeKey, message, owner, e.getMessage());
                LOG.warnf("%s: poll failed (%s): %s", routeKey, e.kind(), e.getMessage());
            }
        }
    }

    /** The connection's {@code statusReason} for a poll failure a person must look at. */
    private static String errorReason(ProviderCallException e) {
        String what = switch (e.kind()) {
            case FORBIDDEN -> "the token may no longer read this account's leads (a permission or role is missing)";
            case NOT_FOUND -> "the platform does not find this account or one of its forms";
            default -> "the platform refused the poll's request";
        };
        return "polling failed: " + what + ": " + e.getMessage();
    }

    private static String reconnect(String why) {
        return "the platform rejected the connection's token (" + why + "); reconnect it with a new token";
    }

    private Optional<PollState> current(String routeKey, PollMessage message) {
        Optional<PollState> state = states.read(routeKey).filter(s -> message.connectionId().equals(s.connectionId()));
        if (state.isEmpty()) {
            LOG.infof("%s: connection %s is gone; its poll is dropped", routeKey, message.connectionId());
        } else if (state.get().needsReauth()) {
            LOG.infof("%s needs to be re-authorized: not polled", routeKey);
            return Optional.empty();
        }
        return state;
    }

    /** A continuation only for its own walk; a poll only if no walk that started after it was asked completed. */
    private static boolean wanted(PollMessage message, PollState state) {
        if (message.kind() == PollMessage.Kind.CONTINUE) {
            return state.walk() != null && state.walk().id().equals(message.walkId());
        }
        return state.walk() != null || state.watermark() == null || message.requestedAt() == null
                || state.watermark().isBefore(message.requestedAt());
    }

    private PollState.Walk newWalk(PollState state, Instant now) {
        Instant since = state.watermark() == null ? now.minus(firstLookback) : state.watermark().minus(overlap);
        if (since.isAfter(now)) {
            since = now.minus(overlap); // a watermark from a clock ahead of ours
        }
        return new PollState.Walk("walk_" + UUID.randomUUID().toString().replace("-", ""), since, now, null, 0);
    }

    private static PollMessage continuation(PollMessage message, PollState.Walk walk) {
        return PollMessage.proceed(message.connectionId(), message.providerType(), message.externalId(), walk.id(),
                message.requestedAt());
    }
}
