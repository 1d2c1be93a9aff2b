package com.leadsync.imports;

import com.leadsync.connect.ConnectionRepository;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadLister;
import com.leadsync.source.LeadSources;
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
 * Starts an import: picks the connection, checks the form id with the platform's lister, stores the queued job
 * (one per connection and form at a time) and queues its first page.
 */
@ApplicationScoped
public class ImportStarter {

    private static final Logger LOG = Logger.getLogger(ImportStarter.class);
    private static final Duration FIRST_PAGE_DELAY = Duration.ofSeconds(1);

    /** What the caller asked; {@code since}, {@code until} and {@code connectionId} may be null. */
    public record Request(String accountId, ProviderType providerType, String formId, Instant since, Instant until,
            String connectionId) {
    }

    private final ImportJobRepository jobs;
    private final ImportQueue queue;
    private final ConnectionRepository connections;
    private final LeadSources sources;
    private final PipelineProbe probe;
    private final Clock clock;
    private final Duration defaultLookback;

    ImportStarter(ImportJobRepository jobs, ImportQueue queue, ConnectionRepository connections, LeadSources sources,
            PipelineProbe probe, Clock clock, @ConfigProperty(name = "leadsync.import.default-lookback") Duration defaultLookback) {
        this.jobs = jobs;
        this.queue = queue;
        this.connections = connections;
        this.sources = sources;
        this.probe = probe;
        this.clock = clock;
        this.defaultLookback = defaultLookback;
    }

    /**
     * @throws ImportRejected when the request cannot start an import (422)
     * @throws ImportAlreadyRunning when that connection and form have one queued or running (409)
     */
    public ImportJob start(Request r) {
        LeadLister lister = sources.lister(r.providerType()).orElseThrow(() -> new ImportRejected(
                "providerType '" + r.providerType().wireName() + "' leads cannot be imported"));
        lister.formIdProblem(r.formId()).ifPresent(problem -> {
            throw new ImportRejected("'formId': " + problem);
        });
        Instant now = clock.instant();
        Instant until = r.until() == null || r.until().isAfter(now) ? now : r.until();
        Instant since = r.since() == null ? until.minus(defaultLookback) : r.since();
        if (since.isAfter(until)) {
            throw new ImportRejected("'since' must not be after 'until'" + (r.until() == null ? " (now)" : ""));
        }
        Connection c = connection(r);
        if (c.status() == ConnectionStatus.NEEDS_REAUTH) {
            throw new ImportRejected("connection " + c.connectionId() + " needs to be re-authorized before it can"
                    + " import: " + c.statusReason());
        }
        ImportJob job = new ImportJob("imp_" + UUID.randomUUID().toString().replace("-", ""), r.accountId(),
                c.connectionId(), r.providerType(), r.formId().trim(), since, until, ImportStatus.QUEUED,
                ImportJob.Counts.NONE, ImportJob.Walk.start(), now, null, now, null, null);
        // The first page is queued before the job is written, so a crash in between leaves a message that finds no
        // job (dropped), never a queued job that nothing works on (holding its form). The short delay lets the
        // job's write land first.
        queue.publishImport(new ImportMessage(job.jobId(), 0, now), FIRST_PAGE_DELAY);
        probe.reached("import.first-queued", job.jobId());
        jobs.create(job);
        LOG.infof("import %s queued: %s form %s of connection %s, [%s, %s)", job.jobId(),
                r.providerType().wireName(), job.formId(), c.connectionId(), since, until);
        return job;
    }

    private Connection connection(Request r) {
        String type = r.providerType().wireName();
        if (r.connectionId() != null) {
            Optional<Connection> c = connections.findById(r.connectionId())
                    .filter(x -> x.accountId().equals(r.accountId()));
            if (c.isEmpty()) {
                throw new ImportRejected("'connectionId': no connection " + r.connectionId() + " in this account");
            }
            if (c.get().providerType() != r.providerType()) {
                throw new ImportRejected("'connectionId': connection " + r.connectionId() + " is a "
                        + c.get().providerType().wireName() + " connection, not " + type);
            }
            return c.get();
        }
        List<Connection> ofType = connections.listByAccount(r.accountId()).stream()
                .filter(c -> c.providerType() == r.providerType()).toList();
        if (ofType.isEmpty()) {
            throw new ImportRejected("'providerType': the account has no " + type + " connection; connect one first");
        }
        if (ofType.size() > 1) {
            throw new ImportRejected("'connectionId' is required: the account has " + ofType.size() + " " + type
                    + " connections (" + String.join(", ", ofType.stream().map(Connection::connectionId).toList())
                    + ")");
        }
        return ofType.get(0);
    }
}
