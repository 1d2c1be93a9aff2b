package com.leadsync.delivery;

import com.leadsync.lead.LeadRecord;
import com.leadsync.lead.LeadRepository;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.ConditionFailed;
import com.leadsync.model.StoredLead;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Delivers one (lead, target) pair: at most once per generation, however often its message arrives.
 * Transient failures get a few quick tries (exponential, honouring Retry-After), then a scheduled retry
 * along the backoff ladder (~3 days), then {@code failed}. Rate limits are retried the same way but never use up
 * the ladder. Other failures are {@code failed} at once.
 */
@ApplicationScoped
public class DeliveryEngine {

    private static final Logger LOG = Logger.getLogger(DeliveryEngine.class);

    public enum Outcome { DELIVERED, RETRY_SCHEDULED, FAILED, SKIPPED }

    /** The longest a rate-limited send waits, whatever the receiver asks: daily limits reset within a day. */
    static final Duration LONGEST_RATE_LIMIT_WAIT = Duration.ofHours(24);

    private final LeadRepository leads;
    private final DeliveryRepository deliveries;
    private final DeliveryTargets targets;
    private final Destinations registry;
    private final PipelineProbe probe;
    private final Clock clock;
    private final Duration lease;
    private final int quickTries;
    private final List<Duration> backoff;
    private final int rateLimitedRetries;
    private final Guard quickGuard;

    DeliveryEngine(LeadRepository leads, DeliveryRepository deliveries, DeliveryTargets targets,
            Destinations registry, PipelineProbe probe, Clock clock,
            @ConfigProperty(name = "leadsync.pipeline.lease") Duration lease,
            @ConfigProperty(name = "leadsync.delivery.quick-tries") int quickTries,
            @ConfigProperty(name = "leadsync.delivery.quick-initial-delay") Duration quickInitialDelay,
            @ConfigProperty(name = "leadsync.delivery.quick-max-delay") Duration quickMaxDelay,
            @ConfigProperty(name = "leadsync.delivery.backoff") List<Duration> backoff,
            @ConfigProperty(name = "leadsync.delivery.rate-limited-retries") int rateLimitedRetries) {
        this.leads = leads;
        this.deliveries = deliveries;
        this.targets = targets;
        this.registry = registry;
        this.probe = probe;
        this.clock = clock;
        this.lease = lease;
        this.quickTries = Math.max(1, quickTries);
        this.backoff = List.copyOf(backoff);
        this.rateLimitedRetries = rateLimitedRetries;
        Duration cap = quickMaxDelay;
        this.quickGuard = Guard.create()
                .withRetry().maxRetries(this.quickTries - 1).jitter(0, ChronoUnit.MILLIS)
                .whenException(e -> e instanceof DeliveryException d && d.retryable()
                        && (d.retryAfter() == null || d.retryAfter().compareTo(cap) <= 0))
                .withCustomBackoff().strategy(() -> new RetryAfterBackoff(quickInitialDelay, cap)).done()
                .done().build();
    }

    public Outcome deliver(DeliverMessage message, String owner) {
        StoredLead lead = leads.get(message.leadId()).map(LeadRecord::lead)
                .orElseThrow(() -> new IllegalStateException("lead " + message.leadId() + " is not stored yet"));
        long now = clock.millis();
        if (!deliveries.takeLease(message.leadId(), message.targetId(), message.generation(), owner, now,
                now + lease.toMillis())) {
            DeliveryRecord current = deliveries.get(message.leadId(), message.targetId()).orElse(null);
            if (current != null && current.leasedByOther(owner, clock.millis())) {
                // Someone is sending right now: come back after the visibility timeout and see how it went
                // (dropping this message could lose a newer generation if theirs is an older one).
                throw new InFlightElsewhere(message.leadId() + "/" + message.targetId());
            }
            LOG.debugf("delivery %s/%s gen %d: already delivered, superseded, or not due yet", message.leadId(),
                    message.targetId(), message.generation());
            return Outcome.SKIPPED;
        }
        try {
            return sendAndRecord(message, owner, lead);
        } catch (ConditionFailed lost) {
            LOG.warn(lost.getMessage());
            return Outcome.SKIPPED;
        } catch (RuntimeException unexpected) {
            // Outside the send (resolving the target, validating its config, recording the outcome): still a
            // try on the schedule with the lease freed, so a bug cannot cycle the message through the DLQ and
            // the watchdog forever. Should recording this fail too, the exception reaches SQS and it retries.
            LOG.warnf(unexpected, "delivery %s/%s: unexpected error", message.leadId(), message.targetId());
            DeliveryException e = new DeliveryException(DeliveryException.Kind.RETRYABLE,
                    "unexpected error while delivering: " + unexpected, null, null, unexpected);
            return recordFailure(message, owner, e, List.of(new Attempt(clock.instant(), "retryable", null,
                    e.getMessage())));
        }
    }

    private Outcome sendAndRecord(DeliverMessage message, String owner, StoredLead lead) {
        Optional<DeliveryTarget> target = targets.find(message.targetId());
        List<Attempt> tries = Collections.synchronizedList(new ArrayList<>());
        if (target.isEmpty() || !target.get().enabled()) {
            String why = target.isEmpty() ? "destination no longer exists" : "destination is disabled";
            deliveries.recordFailed(message.leadId(), message.targetId(), owner, message.generation(), why, tries);
            return Outcome.FAILED;
        }
        DeliveryTarget t = target.get();
        Optional<Destination> destination = registry.find(t.type());
        List<String> problems = registry.problems(t);
        if (!problems.isEmpty()) {
            String why = "destination config is not usable: " + String.join("; ", problems);
            deliveries.recordFailed(message.leadId(), message.targetId(), owner, message.generation(), why, tries);
            return Outcome.FAILED;
        }
        DeliveryContext context = DeliveryContext.of(lead.leadId(), t.targetId(), message.generation());
        try {
            quickTries(() -> {
                DeliveryReceipt r;
                try {
                    r = destination.get().send(t, lead, context);
                } catch (DeliveryException e) {
                    tries.add(new Attempt(clock.instant(), e.rateLimited() ? "rate_limited"
                            : e.retryable() ? "retryable" : "permanent", e.httpStatus(),
                            e.getMessage()));
                    throw e;
                } catch (RuntimeException bug) {
                    // Not a classified failure: still a try to record and a lease to free, so it is retried on
                    // the schedule (and ends failed) instead of cycling through the queue until dead-lettered.
                    LOG.warnf(bug, "delivery %s/%s: unexpected error from the %s destination", message.leadId(),
                            t.targetId(), t.type());
                    DeliveryException e = new DeliveryException(DeliveryException.Kind.RETRYABLE,
                            "unexpected error in the " + t.type() + " destination: " + bug, null, null, bug);
                    tries.add(new Attempt(clock.instant(), "retryable", null, e.getMessage()));
                    throw e;
                }
                tries.add(new Attempt(clock.instant(), "delivered", r.httpStatus(), r.detail()));
                return r;
            });
            probe.reached("deliver.sent", message.leadId() + "/" + t.targetId());
            deliveries.recordDelivered(message.leadId(), message.targetId(), owner, message.generation(),
                    clock.instant(), tries);
            probe.reached("deliver.recorded", message.leadId() + "/" + t.targetId());
            return Outcome.DELIVERED;
        } catch (DeliveryException e) {
            return recordFailure(message, owner, e, tries);
        }
    }

    private Outcome recordFailure(DeliverMessage message, String owner, DeliveryException e, List<Attempt> tries) {
        DeliveryRecord current = deliveries.get(message.leadId(), message.targetId()).orElseThrow();
        String error = e.getMessage();
        if (!e.retryable()) {
            deliveries.recordFailed(message.leadId(), message.targetId(), owner, message.generation(), error, tries);
            return Outcome.FAILED;
        }
        int round = (int) Math.min(current.retryRound(), backoff.size());
        Duration asked = e.retryAfter();
        if (e.rateLimited()) {
            return rateLimited(message, owner, current, e, tries);
        }
        if (round >= backoff.size()) {
            deliveries.recordFailed(message.leadId(), message.targetId(), owner, message.generation(),
                    "gave up after " + (current.attempts() + tries.size()) + " attempts: " + error, tries);
            return Outcome.FAILED;
        }
        // The schedule would end before a longer wait is over: end it now rather than wait that long.
        Duration horizon = backoff.subList(round, backoff.size()).stream().reduce(Duration.ZERO, Duration::plus);
        if (asked != null && asked.compareTo(horizon) > 0) {
            deliveries.recordFailed(message.leadId(), message.targetId(), owner, message.generation(),
                    "gave up: the receiver asked to wait " + asked.toSeconds() + " s (Retry-After), longer than the "
                            + horizon.toSeconds() + " s left of the retry schedule: " + error, tries);
            return Outcome.FAILED;
        }
        Duration wait = backoff.get(round);
        if (asked != null && asked.compareTo(wait) > 0) {
            wait = asked;
        }
        Instant next = clock.instant().plus(wait).truncatedTo(ChronoUnit.MILLIS);
        deliveries.recordRetrying(message.leadId(), message.targetId(), owner, message.generation(), next, error,
                tries);
        return Outcome.RETRY_SCHEDULED;
    }

    /**
     * Sent too fast (an import's burst, a campaign launch): not the lead's fault, so it does not use up the failure
     * schedule. It climbs a ladder of its own (the same rungs, then the longest again), waiting at least what the CRM
     * asks (at most a day: no rate limit window is longer), plus up to a fifth more at random so that a burst rate-limited together does
     * not come back together. Only a receiver that refuses every try for {@code leadsync.delivery.rate-limited-retries}
     * retries (about twelve days by default) ends it {@code failed}: by then it is not a burst.
     */
    private Outcome rateLimited(DeliverMessage message, String owner, DeliveryRecord current, DeliveryException e,
            List<Attempt> tries) {
        long rounds = current.rateLimitedRounds();
        if (rounds >= rateLimitedRetries) {
            deliveries.recordFailed(message.leadId(), message.targetId(), owner, message.generation(),
                    "gave up: rate limited on every try for " + rounds + " retries: " + e.getMessage(), tries);
            return Outcome.FAILED;
        }
        Duration wait = backoff.get((int) Math.min(rounds, backoff.size() - 1));
        Duration asked = e.retryAfter();
        if (asked != null && asked.compareTo(wait) > 0) {
            wait = asked.compareTo(LONGEST_RATE_LIMIT_WAIT) > 0 ? LONGEST_RATE_LIMIT_WAIT : asked;
        }
        wait = wait.plusMillis(ThreadLocalRandom.current().nextLong(wait.toMillis() / 5 + 1));
        Instant next = clock.instant().plus(wait).truncatedTo(ChronoUnit.MILLIS);
        deliveries.recordRateLimited(message.leadId(), message.targetId(), owner, message.generation(), next,
                "rate limited, sent again at " + next + ": " + e.getMessage(), tries);
        return Outcome.RETRY_SCHEDULED;
    }

    /** Thrown when another worker holds the delivery's lease: the message is retried later, not dropped. */
    public static final class InFlightElsewhere extends RuntimeException {
        InFlightElsewhere(String what) {
            super("delivery " + what + " is being sent by another worker; retrying later");
        }
    }

    private interface Send {
        DeliveryReceipt call() throws DeliveryException;
    }

    /** Quick tries within this invocation: only retryable failures whose Retry-After fits the quick window. */
    private DeliveryReceipt quickTries(Send send) throws DeliveryException {
        try {
            return quickGuard.call(send::call, DeliveryReceipt.class);
        } catch (DeliveryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Doubles from the initial delay up to the cap, but never waits less than the server asked. */
    static final class RetryAfterBackoff implements CustomBackoffStrategy {
        private final Duration max;
        private Duration next;

        RetryAfterBackoff(Duration initial, Duration max) {
            this.next = initial;
            this.max = max;
        }

        @Override
        public long nextDelayInMillis(Throwable cause) {
            Duration delay = next;
            next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
            if (cause instanceof DeliveryException d && d.retryAfter() != null && d.retryAfter().compareTo(delay) > 0) {
                delay = d.retryAfter();
            }
            // Compared before converting: a huge Retry-After must not overflow toMillis().
            return (delay.compareTo(max) > 0 ? max : delay).toMillis();
        }
    }
}
