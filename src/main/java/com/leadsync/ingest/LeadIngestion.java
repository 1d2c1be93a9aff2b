package com.leadsync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.delivery.Dispatcher;
import com.leadsync.lead.Arrival;
import com.leadsync.lead.FingerprintRepository;
import com.leadsync.lead.LeadFingerprint;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.lead.LeadRecord;
import com.leadsync.lead.LeadRepository;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.ConditionFailed;
import com.leadsync.model.Connection;
import com.leadsync.model.LeadStatus;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.StoredLead;
import com.leadsync.ops.LogContext;
import com.leadsync.ops.Metrics;
import com.leadsync.source.LeadFetcher;
import com.leadsync.source.LeadFingerprinter;
import com.leadsync.source.LeadMapper;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.LeadSources;
import com.leadsync.source.MappingContext;
import com.leadsync.source.ProviderLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The normalize step: claim the lead's identity, fetch and normalize it, store it, dispatch its
 * deliveries. Each step is recorded before the next starts, so a redelivered message resumes where the
 * last attempt stopped; a lead already dispatched is a duplicate and only counted.
 *
 * <p>Where the platform can recognize one submission under two ids (a {@link LeadFingerprinter}: Google's webhook
 * and API ids may differ), the normalized lead's fingerprint is registered before it is stored: a lead whose
 * submission another lead registered first is that lead's duplicate. Its claim is removed, so it is neither listed
 * nor dispatched, and it is counted on the other lead.
 *
 * <p>Concurrency: the worker holding the lease does the work. Another message for the same lead arriving
 * meanwhile fails and comes back after the visibility timeout, when it is either a duplicate (dropped and
 * counted) or, if the holder died, takes over once the lease has expired. The lease is shorter than the
 * queue's visibility timeout, so a redelivered message finds it expired.
 */
@ApplicationScoped
public class LeadIngestion {

    private static final Logger LOG = Logger.getLogger(LeadIngestion.class);
    private static final Duration MIN_DEFERRAL = Duration.ofSeconds(1);
    private static final Duration MAX_DEFERRAL = IngestQueue.MAX_DELAY;

    /**
     * {@code PARKED}: its connection cannot fetch it now; it waits for the connection to be fixed. {@code DEFERRED}:
     * the platform rate-limited its fetch; it is back on the queue, delayed.
     */
    public enum Outcome { INGESTED, DUPLICATE, LOST_LEASE, PARKED, DEFERRED }

    /** Thrown when another worker holds the lead's lease: the message is retried later, not dropped. */
    public static final class InFlightElsewhere extends RuntimeException {
        InFlightElsewhere(String leadId) {
            super("lead " + leadId + " is being processed by another worker; retrying later");
        }
    }

    private final LeadRepository leads;
    private final Metrics metrics;
    private final FingerprintRepository fingerprints;
    private final IngestLookups lookups;
    private final LeadSources sources;
    private final Dispatcher dispatcher;
    private final UnroutedLeads waiting;
    private final OversizedPayloads payloads;
    private final IngestQueue queue;
    private final PipelineProbe probe;
    private final Clock clock;
    private final Duration lease;
    private final String defaultRegion;
    private final Duration throttleDelay;
    private final int maxDeferrals;

    LeadIngestion(LeadRepository leads, FingerprintRepository fingerprints, IngestLookups lookups, LeadSources sources,
            Dispatcher dispatcher, UnroutedLeads waiting, OversizedPayloads payloads, IngestQueue queue,
            PipelineProbe probe, Metrics metrics, Clock clock,
            @ConfigProperty(name = "leadsync.pipeline.lease") Duration lease,
            @ConfigProperty(name = "leadsync.default-phone-region") String defaultRegion,
            @ConfigProperty(name = "leadsync.ingest.throttle-delay") Duration throttleDelay,
            @ConfigProperty(name = "leadsync.ingest.max-deferrals") int maxDeferrals) {
        if (maxDeferrals < 0) {
            throw new IllegalArgumentException("leadsync.ingest.max-deferrals must not be negative, got "
                    + maxDeferrals);
        }
        this.metrics = metrics;
        this.leads = leads;
        this.fingerprints = fingerprints;
        this.lookups = lookups;
        this.sources = sources;
        this.dispatcher = dispatcher;
        this.waiting = waiting;
        this.payloads = payloads;
        this.queue = queue;
        this.probe = probe;
        this.clock = clock;
        this.lease = lease;
        this.defaultRegion = defaultRegion;
        this.throttleDelay = throttleDelay;
        this.maxDeferrals = maxDeferrals;
    }

    /** {@code owner} identifies this attempt (unique per invocation, so two copies of one message differ). */
    public Outcome process(IngestMessage message, String owner) {
        String leadId = message.leadId();
        try (LogContext log = LogContext.lead(message.accountId(), message.providerType().wireName(), leadId,
                message.traceId())) {
            return process(message, leadId, owner);
        }
    }

    private Outcome process(IngestMessage message, String leadId, String owner) {
        LeadIdentity identity = new LeadIdentity(message.accountId(), message.providerType(), message.providerLeadId());
        long now = clock.millis();
        boolean claimed = leads.claim(identity, message.createdTime(), owner, now + lease.toMillis(),
                clock.instant());
        if (claimed) {
            probe.reached("normalize.claimed", leadId);
        } else {
            // Absent after a failed claim: another delivery of this lead found it a duplicate of another lead and
            // removed its claim just now. Retried later, this one claims it again and reaches the same verdict.
            LeadRecord existing = leads.get(leadId).orElseThrow(() -> new InFlightElsewhere(leadId));
            if (existing.status() == LeadStatus.DISPATCHED) {
                duplicate(message);
                LOG.debugf("duplicate of stored lead %s (%s lead %s, via %s) dropped", leadId,
                        message.providerType().wireName(), message.providerLeadId(), message.via());
                return Outcome.DUPLICATE;
            }
            if (!leads.takeLease(leadId, owner, now, now + lease.toMillis())) {
                if (leads.get(leadId).map(r -> r.status() == LeadStatus.DISPATCHED).orElse(false)) {
                    duplicate(message);
                    return Outcome.DUPLICATE;
                }
                // Another worker is on it. Not dropped: if that worker dies, this message may be the one that
                // finishes the job, so it comes back after the visibility timeout (by then usually a duplicate).
                throw new InFlightElsewhere(leadId);
            }
        }
        try {
            // Just claimed: it is RECEIVED. Taken over: read where the previous attempt stopped.
            LeadRecord record = claimed ? null : leads.get(leadId).orElseThrow();
            StoredLead stored;
            if (record == null || record.status() == LeadStatus.RECEIVED) {
                // A payload kept aside is read back here (a missing one fails the message: retried, then the DLQ).
                JsonNode payload = payloads.payload(message);
                ProviderLead raw = payload != null ? new ProviderLead(message.providerLeadId(), payload)
                        : fetch(message);
                probe.reached("normalize.fetched", leadId);
                NormalizedLead normalized = map(message, raw);
                Optional<String> original = sameSubmissionAs(message, leadId, raw, normalized);
                if (original.isPresent()) {
                    return droppedAsDuplicateOf(original.get(), message, leadId, owner);
                }
                stored = store(message, leadId, owner, normalized);
            } else {
                stored = record.lead();
            }
            // A lead stored by an earlier message keeps that message's trace.
            String traceId = record != null && record.arrival() != null && record.arrival().traceId() != null
                    ? record.arrival().traceId() : message.traceId();
            Map<String, String> routes = new LinkedHashMap<>();
            dispatcher.dispatch(stored, traceId).forEach(r -> routes.put(r.key(), r.targetType()));
            probe.reached("normalize.dispatched", leadId);
            leads.markDispatched(leadId, owner, clock.instant(), routes);
            probe.reached("normalize.done", leadId);
            LOG.debugf("lead %s dispatched to %d deliveries", leadId, routes.size());
            return Outcome.INGESTED;
        } catch (ConditionFailed lost) {
            // Our lease ran out and another worker took over: it finishes the job.
            LOG.warnf("lead %s: %s", leadId, lost.getMessage());
            return Outcome.LOST_LEASE;
        } catch (ProviderCallException e) {
            if (e.kind() == ProviderCallException.Kind.THROTTLED) {
                return deferred(message, leadId, owner, e);
            }
            if (!needsAPerson(e)) {
                leads.releaseWithError(leadId, owner, e.getMessage());
                throw e;
            }
            // Retrying cannot help until someone replaces the token or grants the permission: the lead waits
            // against its connection (kept first, so a crash here parks it again) and is fetched once the
            // connection is fixed, instead of burning its receives into the DLQ.
            probe.reached("normalize.refused", leadId);
            waiting.park(message, e.getMessage());
            leads.releaseWithError(leadId, owner, "waiting for its connection: " + e.getMessage());
            probe.reached("normalize.parked", leadId);
            // Released first: a lead drained now finds itself free to fetch.
            waiting.drainIfFixedSince(message, e.tokenVersion());
            return Outcome.PARKED;
        } catch (RuntimeException e) {
            leads.releaseWithError(leadId, owner, e.getMessage() == null ? e.toString() : e.getMessage());
            throw e;
        }
    }

    /** The lead is known already (stored and delivered by an earlier message): counted on it, nothing more. */
    private void duplicate(IngestMessage message) {
        leads.countDuplicate(message.leadId());
        metrics.count(Metrics.LEAD_DUPLICATES, 1, Metrics.PROVIDER_TYPE, message.providerType().wireName());
    }

    private NormalizedLead map(IngestMessage message, ProviderLead raw) {
        LeadMapper mapper = sources.mapper(message.providerType())
                .orElseThrow(() -> new IllegalStateException("no lead mapper for " + message.providerType()));
        String region = lookups.defaultRegion(message.accountId()).orElse(defaultRegion);
        NormalizedLead normalized = mapper.map(raw, new MappingContext(region));
        return new NormalizedLead(normalized.lead(),
                Optional.ofNullable(normalized.formId()).orElse(message.formId()),
                Optional.ofNullable(normalized.adId()).orElse(message.adId()), normalized.campaignId(), normalized.test());
    }

    private StoredLead store(IngestMessage message, String leadId, String owner, NormalizedLead normalized) {
        StoredLead stored = StoredLead.of(leadId, message.accountId(), normalized, clock.instant());
        leads.store(owner, stored, new Arrival(message.via(), message.queuedAt(), message.traceId()));
        probe.reached("normalize.stored", leadId);
        metrics.count(Metrics.LEADS_STORED, 1, Metrics.PROVIDER_TYPE, message.providerType().wireName());
        LOG.infof("%s lead %s stored as lead %s (via %s)", message.providerType().wireName(),
                message.providerLeadId(), leadId, message.via());
        return stored;
    }

    /**
     * The lead whose submission this one is, when another lead registered it first under the platform's fingerprint;
     * empty when this lead is its own (registered now or by an earlier delivery of this message), or the platform has
     * no fingerprint for it.
     */
    private Optional<String> sameSubmissionAs(IngestMessage message, String leadId, ProviderLead raw,
            NormalizedLead normalized) {
        Optional<LeadFingerprint> fingerprint = sources.fingerprinter(message.providerType())
                .flatMap(f -> f.fingerprint(raw, normalized));
        if (fingerprint.isEmpty()) {
            return Optional.empty();
        }
        String canonical = fingerprints.register(message.accountId(), message.providerType(), fingerprint.get(),
                leadId);
        probe.reached("normalize.fingerprinted", leadId);
        return canonical.equals(leadId) ? Optional.empty() : Optional.of(canonical);
    }

    /**
     * The same submission reached us under another provider id: the original lead is the one stored and delivered.
     * This claim is removed (so it is neither listed nor dispatched), then counted on the original. Removed first: a
     * crash in between redelivers the message, which claims again, reaches the same verdict (registrations only
     * append) and counts it then; counted first, a crash there would count it twice.
     */
    private Outcome droppedAsDuplicateOf(String original, IngestMessage message, String leadId, String owner) {
        leads.discard(leadId, owner);
        probe.reached("normalize.discarded", leadId);
        leads.countDuplicate(original);
        metrics.count(Metrics.LEAD_DUPLICATES, 1, Metrics.PROVIDER_TYPE, message.providerType().wireName());
        LOG.infof("%s lead %s is the same submission as lead %s (fingerprint): dropped as its duplicate",
                message.providerType().wireName(), message.providerLeadId(), original);
        return Outcome.DUPLICATE;
    }

    /**
     * Waiting is the cure for a rate limit (LinkedIn's daily limits reset at midnight UTC): failing the message would
     * spend its five receives within minutes and dead-letter the lead. So a copy goes back on the queue, delayed by
     * the platform's retry time (else {@code leadsync.ingest.throttle-delay}, at most SQS's 15 minutes), and this
     * message is acknowledged by returning. The lease is freed first, so the copy finds it free; the copy is queued
     * before the return, so a crash in between redelivers this message: the lead is at worst fetched once more.
     *
     * <p>Not forever: a limit that outlasts {@code leadsync.ingest.max-deferrals} deferrals is a problem to see, not
     * to wait out in silence. The message then fails like any other error: its remaining receives try again, and
     * if none gets through it lands in the DLQ (the lead's {@code lastError} says why), from where it can be
     * redriven. The lead is never dropped.
     */
    private Outcome deferred(IngestMessage message, String leadId, String owner, ProviderCallException e) {
        if (message.deferrals() >= maxDeferrals) {
            String error = "rate limited again after " + message.deferrals() + " deferrals (the most"
                    + " leadsync.ingest.max-deferrals allows); failing, so that its message ends in the DLQ if the"
                    + " limit persists: " + e.getMessage();
            leads.releaseWithError(leadId, owner, error);
            LOG.warnf("lead %s: %s", leadId, error);
            throw e;
        }
        Duration wait = e.retryAfter().orElse(throttleDelay);
        wait = wait.compareTo(MIN_DEFERRAL) < 0 ? MIN_DEFERRAL : wait.compareTo(MAX_DEFERRAL) > 0 ? MAX_DEFERRAL : wait;
        leads.releaseWithError(leadId, owner, "rate limited, fetched again in " + wait.toSeconds() + " s: "
                + e.getMessage());
        queue.publishIngest(message.deferredAgain(), wait);
        probe.reached("normalize.deferred", leadId);
        LOG.infof("lead %s: fetch rate limited, queued again in %s: %s", leadId, wait, e.getMessage());
        return Outcome.DEFERRED;
    }

    private static boolean needsAPerson(ProviderCallException e) {
        return e.kind() == ProviderCallException.Kind.UNAUTHORIZED || e.kind() == ProviderCallException.Kind.FORBIDDEN;
    }

    /** The lead behind an ids-only notice (Meta, LinkedIn webhooks), fetched with its connection's token. */
    private ProviderLead fetch(IngestMessage message) {
        LeadFetcher fetcher = sources.fetcher(message.providerType()).orElseThrow(() -> new IllegalStateException(
                "lead " + message.providerLeadId() + " came without its payload and " + message.providerType().wireName()
                        + " has no lead fetcher"));
        LeadNotice notice = LeadNotice.idsOnly(message.providerType(), message.externalId(), message.providerLeadId(),
                message.formId(), message.adId(), message.createdTime());
        // A cached copy is fine: the fetcher calls through Credentials, which reads the stored tokens.
        Connection connection = lookups.connection(message.providerType(), message.externalId())
                .filter(c -> c.accountId().equals(message.accountId()))
                .orElseThrow(() -> new IllegalStateException("connection " + message.providerType().wireName() + "#"
                        + message.externalId() + " no longer exists for account " + message.accountId()));
        return fetcher.fetch(connection, notice);
    }
}
