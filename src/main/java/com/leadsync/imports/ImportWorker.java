package com.leadsync.imports;

import com.leadsync.connect.ConnectionRepository;
import com.leadsync.ingest.IngestQueue;
import com.leadsync.ingest.ReceivedLeads;
import com.leadsync.ops.LogContext;
import com.leadsync.ops.Metrics;
import com.leadsync.lead.LeadRepository;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderCallException;
import com.leadsync.source.LeadLister;
import com.leadsync.source.LeadSources;
import com.leadsync.source.ListRequest;
import com.leadsync.walk.LostLease;
import com.leadsync.walk.QueueDelay;
import com.leadsync.walk.PageWalker;
import com.leadsync.walk.WalkOutcome;
import com.leadsync.walk.WalkStep;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Works one page of one import per message: take the job at the message's step, fetch the page, claim and queue its
 * leads, record the page (counts, position, next step) in one conditional write, and only then queue the next step.
 *
 * <p>So a crash anywhere resumes: before the record, the message comes back and does the page again (its leads are
 * claimed by this step already, so they count as new once, and normalize drops the repeats); after it, the message
 * comes back to a job one step further and only queues the next step, unless that is known to be queued. A message
 * for a step the job has left is dropped, so a next step queued twice (a crash between queueing and noting it)
 * is worked once.
 *
 * <p>Rate limits pause the job (its message comes back after the platform's wait, in hops of at most 15 minutes);
 * transient errors retry with a backoff until {@code leadsync.import.transient-retries} in a row fail it; any other
 * provider error (a revoked token, an unknown form, a missing permission) fails it with the platform's message.
 */
@ApplicationScoped
public class ImportWorker {

    private static final Logger LOG = Logger.getLogger(ImportWorker.class);

    private final ImportJobRepository jobs;
    private final ImportQueue queue;
    private final ConnectionRepository connections;
    private final LeadSources sources;
    private final PageWalker walker;
    private final LeadRepository leads;
    private final IngestQueue ingest;
    private final PipelineProbe probe;
    private final Clock clock;
    private final Duration lease;
    private final Duration longestPage;
    private final Duration throttleDelay;
    private final Duration retryDelay;
    private final int transientRetries;
    private final Duration startGrace;
    private final ImportEvents events;
    private final ReceivedLeads received;
    private final Metrics metrics;

    ImportWorker(ImportJobRepository jobs, ImportQueue queue, ConnectionRepository connections, LeadSources sources,
            PageWalker walker, LeadRepository leads, IngestQueue ingest, ReceivedLeads received, Metrics metrics,
            PipelineProbe probe, ImportEvents events, Clock clock,
            @ConfigProperty(name = "leadsync.import.lease") Duration lease,
            @ConfigProperty(name = "leadsync.import.longest-page") Duration longestPage,
            @ConfigProperty(name = "leadsync.import.throttle-delay") Duration throttleDelay,
            @ConfigProperty(name = "leadsync.import.retry-delay") Duration retryDelay,
            @ConfigProperty(name = "leadsync.import.transient-retries") int transientRetries,
            @ConfigProperty(name = "leadsync.import.start-grace") Duration startGrace) {
        if (transientRetries < 1) {
            throw new IllegalArgumentException("leadsync.import.transient-retries must be at least 1, got "
                    + transientRetries);
        }
        this.jobs = jobs;
        this.queue = queue;
        this.connections = connections;
        this.sources = sources;
        this.walker = walker;
        this.leads = leads;
        this.ingest = ingest;
        this.probe = probe;
        this.events = events;
        this.clock = clock;
        this.lease = lease;
        this.longestPage = longestPage;
        this.throttleDelay = throttleDelay;
        this.retryDelay = retryDelay;
        this.transientRetries = transientRetries;
        this.startGrace = startGrace;
        this.received = received;
        this.metrics = metrics;
    }

    /** {@code owner} names this attempt (unique per invocation). */
    public void handle(ImportMessage message, String owner) {
        try (LogContext log = LogContext.with(LogContext.JOB_ID, message.jobId())) {
            handleLogged(message, owner);
        }
    }

    private void handleLogged(ImportMessage message, String owner) {
        Optional<ImportJob> found = jobs.get(message.jobId());
        if (found.isEmpty() && message.startedAt() != null
                && message.startedAt().plus(startGrace).isAfter(clock.instant())) {
            // A first message is queued just before its job is written: come back once it has been.
            throw new IllegalStateException("import " + message.jobId() + " is not written yet; its first page comes"
                    + " back after the visibility timeout");
        }
        if (found.isEmpty()) {
            LOG.infof("import %s does not exist (its start did not complete): message dropped", message.jobId());
            return;
        }
        if (found.get().status().ended()) {
            // The message of the step that ended it came back: that worker may have crashed before telling.
            events.ended(found.get());
            return;
        }
        ImportJob job = found.get();
        int step = job.walk().step();
        if (step > message.step()) {
            // This step is recorded; if the crash came before its successor was queued, queue it now.
            if (step == message.step() + 1 && job.walk().queuedStep() < step) {
                queueNext(job, Duration.ZERO);
            }
            return;
        }
        if (step < message.step()) {
            LOG.warnf("import %s: a message for step %d while the job is at %d dropped", job.jobId(), message.step(),
                    step);
            return;
        }
        Instant now = clock.instant();
        if (job.walk().cancelRequested()) {
            if (jobs.end(job.jobId(), null, ImportStatus.CANCELLED, null, now)) {
                LOG.infof("import %s cancelled at step %d", job.jobId(), step);
            }
            return;
        }
        Instant pausedUntil = job.walk().pausedUntil();
        if (pausedUntil != null && pausedUntil.isAfter(now)) {
            queue.publishImport(message, QueueDelay.of(Duration.between(now, pausedUntil)));
            return;
        }
        if (!jobs.takeLease(job.jobId(), step, owner, now, now.plus(lease))) {
            // Another worker is on this step. This may be a second copy of its very message (SQS delivers at least
            // once): deleting it could delete the holder's, so it comes back after the visibility timeout instead,
            // to find the step recorded (and queue the next if need be) or the holder gone.
            throw new StepInFlight(job.jobId(), step);
        }
        probe.reached("import.leased", job.jobId());
        try {
            work(job, step, owner, now);
        } catch (LostLease lost) {
            LOG.infof("import %s: %s", job.jobId(), lost.getMessage());
        } catch (RuntimeException unexpected) {
            // Not the platform's answer (an AWS call failed, a bug): SQS retries the message from this step.
            try {
                jobs.release(job.jobId(), owner);
            } catch (RuntimeException releaseFailed) {
                unexpected.addSuppressed(releaseFailed);
            }
            throw unexpected;
        }
    }

    private void work(ImportJob job, int step, String owner, Instant started) {
        Optional<Connection> connection = connections.findById(job.connectionId())
                .filter(c -> c.accountId().equals(job.accountId()));
        if (connection.isEmpty()) {
            fail(job, owner, "the connection " + job.connectionId() + " was deleted");
            return;
        }
        if (connection.get().status() == ConnectionStatus.NEEDS_REAUTH) {
            fail(job, owner, "the connection " + job.connectionId() + " needs to be re-authorized: "
                    + connection.get().statusReason());
            return;
        }
        Optional<LeadLister> lister = sources.lister(job.providerType());
        if (lister.isEmpty()) {
            fail(job, owner, job.providerType().wireName() + " leads cannot be listed");
            return;
        }
        AtomicReference<ImportJob> recorded = new AtomicReference<>();
        WalkOutcome outcome;
        try {
            outcome = walker.walk(new WalkStep(connection.get(), lister.get(),
                    new ListRequest(job.since(), job.until(), job.formId(), job.walk().position()),
                    (nextPosition, page, notReady) -> {
                        recorded.set(jobs.recordPage(job.jobId(), step, owner, nextPosition, page, !notReady,
                                clock.instant()));
                        metrics.emit(Metrics.PROVIDER_TYPE, job.providerType().wireName(),
                                Metrics.Datum.count(Metrics.IMPORT_PAGES, 1),
                                Metrics.Datum.count(Metrics.IMPORT_LEADS_NEW, page.newLeads()),
                                Metrics.Datum.count(Metrics.IMPORT_DUPLICATES, page.known()));
                    },
                    new ClaimingHandOff(leads, ingest, received, clock, job.jobId(), step), "import", job.jobId(),
                    WalkStep.TimeBox.onePage(started, longestPage)));
        } catch (ProviderCallException e) {
            providerError(job, owner, e);
            return;
        }
        ImportJob now = recorded.get();
        if (now.status().ended()) {
            ImportJob.Counts c = now.counts();
            LOG.infof("import %s completed: %d page(s), %d lead(s) seen, %d new, %d duplicate(s), %d error(s)",
                    now.jobId(), c.pagesFetched(), c.leadsSeen(), c.leadsNew(), c.duplicates(), c.errors());
            events.ended(now);
            return;
        }
        if (now.walk().cancelRequested()) {
            jobs.end(now.jobId(), null, ImportStatus.CANCELLED, null, clock.instant());
            LOG.infof("import %s cancelled after step %d", now.jobId(), step);
            return;
        }
        // A page that says "nothing yet" (a download task still running): the next step comes after that wait.
        queueNext(now, outcome instanceof WalkOutcome.Waiting w ? w.retryAfter() : Duration.ZERO);
    }

    private void queueNext(ImportJob job, Duration wait) {
        queue.publishImport(ImportMessage.next(job.jobId(), job.walk().step()),
                wait.isZero() ? Duration.ZERO : QueueDelay.of(wait));
        probe.reached("import.queued", job.jobId());
        jobs.markQueued(job.jobId(), job.walk().step());
    }

    private void providerError(ImportJob job, String owner, ProviderCallException e) {
        Instant now = clock.instant();
        ImportMessage again = ImportMessage.next(job.jobId(), job.walk().step());
        switch (e.kind()) {
            case THROTTLED -> {
                Duration wait = e.retryAfter().orElse(throttleDelay);
                if (cancelledWhilePaused(jobs.pause(job.jobId(), owner, now.plus(wait),
                        job.walk().transientFailures(), "paused by the platform's rate limit until " + now.plus(wait)
                                + ": " + e.getMessage(), now))) {
                    return;
                }
                queue.publishImport(again, QueueDelay.of(wait));
                LOG.infof("import %s: rate limited (%s); goes on in %s", job.jobId(), e.getMessage(), wait);
            }
            case TRANSIENT -> {
                int inARow = job.walk().transientFailures() + 1;
                if (inARow >= transientRetries) {
                    fail(job, owner, e.getMessage() + " (" + inARow + " transient failures in a row)");
                    return;
                }
                Duration wait = e.retryAfter().orElse(retryDelay.multipliedBy(1L << Math.min(inARow - 1, 20)));
                if (cancelledWhilePaused(jobs.pause(job.jobId(), owner, now.plus(wait), inARow, "transient failure "
                        + inARow + " of " + transientRetries + ", retried at " + now.plus(wait) + ": "
                        + e.getMessage(), now))) {
                    return;
                }
                queue.publishImport(again, QueueDelay.of(wait));
                LOG.infof("import %s: transient failure %d (%s); retried in %s", job.jobId(), inARow, e.getMessage(),
                        wait);
            }
            default -> fail(job, owner, e.getMessage());
        }
    }

    /** A cancel that came while this page was in progress ends the job now rather than after the pause. */
    private boolean cancelledWhilePaused(ImportJob paused) {
        if (!paused.walk().cancelRequested()) {
            return false;
        }
        jobs.end(paused.jobId(), null, ImportStatus.CANCELLED, null, clock.instant());
        LOG.infof("import %s cancelled instead of paused", paused.jobId());
        return true;
    }

    /** Another worker holds the step: this copy of its message is retried later, not deleted. */
    static final class StepInFlight extends RuntimeException {
        StepInFlight(String jobId, int step) {
            super("import " + jobId + " step " + step + " is being worked on by another worker; retried later");
        }
    }

    private void fail(ImportJob job, String owner, String why) {
        jobs.end(job.jobId(), owner, ImportStatus.FAILED, why, clock.instant());
        LOG.warnf("import %s failed: %s", job.jobId(), why);
        jobs.get(job.jobId()).filter(j -> j.status() == ImportStatus.FAILED).ifPresent(events::ended);
    }
}
