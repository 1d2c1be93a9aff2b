package com.leadsync.poll;

import com.leadsync.connect.GrantRevoked;
import com.leadsync.ingest.UnroutedLeads;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderCallException;
import com.leadsync.source.LeadLister;
import com.leadsync.source.LeadSources;
import com.leadsync.source.ListRequest;
import com.leadsync.walk.LostLease;
import com.leadsync.walk.PageWalker;
import com.leadsync.walk.WalkLedger;
import com.leadsync.walk.WalkOutcome;
import com.leadsync.walk.WalkStep;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Polls one connection per message: under the connection's poll lease, starts a walk over the leads submitted
 * since the watermark minus {@code leadsync.poll.overlap} (the first one looks back
 * {@code leadsync.poll.first-lookback}) up to now, or goes on with the walk in progress, for at most
 * {@code leadsync.poll.time-box}, and hands the rest to a continuation message.
 *
 * <p>Messages that are not needed are dropped: a continuation of a walk that is over, a poll asked before the
 * last completed walk started, a connection deleted or waiting for re-authorization. A poll that finds the
 * lease held comes back when it runs out; a continuation that does is dropped, since the holder goes on itself
 * (and if the holder died, its own message comes back after the visibility timeout, when the lease is over).
 * A rate limit defers the walk (position kept, last outcome unchanged); any other provider error ends it
 * {@code failed}; an unexpected error frees the lease and lets SQS retry.
 */
@ApplicationScoped
public class PollWorker {

    private static final Logger LOG = Logger.getLogger(PollWorker.class);
    private static final Duration MIN_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_DELAY = PollQueue.MAX_DELAY;

    private final PollStates states;
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
    private final Duration throttleDelay;

    PollWorker(PollStates states, PollScheduler scheduler, LeadSources sources, PageWalker walker,
            UnroutedLeads waiting, PollQueue queue, PipelineProbe probe, Clock clock,
            @ConfigProperty(name = "leadsync.poll.overlap") Duration overlap,
            @ConfigProperty(name = "leadsync.poll.first-lookback") Duration firstLookback,
            @ConfigProperty(name = "leadsync.poll.lease") Duration lease,
            @ConfigProperty(name = "leadsync.poll.time-box") Duration timeBox,
            @ConfigProperty(name = "leadsync.poll.throttle-delay") Duration throttleDelay) {
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
        this.throttleDelay = throttleDelay;
    }

    /** {@code owner} names this attempt (unique per invocation). */
    public void handle(PollMessage message, String owner) {
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
                queue.publishPoll(message, clamp(Duration.between(started, until).plus(MIN_DELAY)));
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
        WalkLedger ledger = (nextPosition, leads) -> {
            if (nextPosition == null) {
                states.complete(routeKey, message.connectionId(), owner, current.id(), leads, current.until(),
                        clock.instant());
            } else {
                states.recordPage(routeKey, message.connectionId(), owner, current.id(), nextPosition, leads,
                        clock.instant().plus(lease));
            }
        };
        WalkOutcome outcome;
        try {
            outcome = walker.walk(new WalkStep(connection.get(), lister.get(),
                    new ListRequest(walk.since(), walk.until(), null, walk.position()), ledger, "poll",
                    message.connectionId(), started.plus(timeBox)));
        } catch (ProviderCallException e) {
            providerError(e, message, routeKey, owner, walk);
            return;
        } catch (GrantRevoked e) {
            // The credentials component has marked the connection needs_reauth: nothing to retry until then.
            states.fail(routeKey, message.connectionId(), owner, reconnect(e.getMessage()), clock.instant());
            LOG.warnf("%s: poll stopped, the grant is revoked: %s", routeKey, e.getMessage());
            return;
        }
        if (outcome instanceof WalkOutcome.Completed done) {
            LOG.infof("%s polled: %d lead(s) in [%s, %s)", routeKey, walk.leads() + done.leads(), walk.since(),
                    walk.until());
            // A whole walk worked, so the connection can fetch again: leads parked on it (say, during a
            // permission outage since fixed on the platform) go through now, not only after a token change.
            waiting.drain(connection.get());
            return;
        }
        // Out of time: free the lease before the continuation can arrive, so that it finds the walk free.
        states.release(routeKey, message.connectionId(), owner);
        probe.reached("poll.released", message.connectionId());
        queue.publishPoll(List.of(continuation(message, walk)));
        probe.reached("poll.continued", message.connectionId());
    }

    private void providerError(ProviderCallException e, PollMessage message, String routeKey, String owner,
            PollState.Walk walk) {
        switch (e.kind()) {
            case THROTTLED -> {
                Duration wait = clamp(e.retryAfter().orElse(throttleDelay));
                states.defer(routeKey, message.connectionId(), owner, clock.instant().plus(wait));
                probe.reached("poll.deferred", message.connectionId());
                queue.publishPoll(continuation(message, walk), wait);
                LOG.infof("%s: rate limited (%s); the poll goes on in %s", routeKey, e.getMessage(), wait);
            }
            case UNAUTHORIZED -> {
                // Credentials has already refreshed once where it can, and marks a dead grant needs_reauth.
                states.fail(routeKey, message.connectionId(), owner, reconnect(e.getMessage()), clock.instant());
                LOG.warnf("%s: poll stopped, the token was rejected: %s", routeKey, e.getMessage());
            }
            default -> {
                states.fail(routeKey, message.connectionId(), owner, e.getMessage(), clock.instant());
                LOG.warnf("%s: poll failed (%s): %s", routeKey, e.kind(), e.getMessage());
            }
        }
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

    private static Duration clamp(Duration delay) {
        return delay.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }
}
