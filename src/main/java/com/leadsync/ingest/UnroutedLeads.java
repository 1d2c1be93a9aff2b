package com.leadsync.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.ConnectionRepository;
import com.leadsync.connect.CredentialRepository;
import com.leadsync.connect.StoredGrant;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.ops.LogContext;
import com.leadsync.source.LeadNotice;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Leads waiting for a connection: those that arrive before their provider account is connected, and those
 * whose connection cannot fetch them (parked: token rejected, permission missing). Kept (with a TTL) per
 * route and queued for the connection's account once it is connected or fixed. A notice is removed only after
 * its lead is queued, so a crash in between queues it again (the pipeline drops the duplicate), never loses
 * it. One call queues at most
 * {@code leadsync.unrouted.drain-batch} leads; if more wait, a continuation message on the ingest queue
 * has the normalize function queue the next batch, and so on.
 */
@ApplicationScoped
public class UnroutedLeads {

    private static final Logger LOG = Logger.getLogger(UnroutedLeads.class);

    /** {@code via} of an ingest message that asks for the next batch of a route's waiting leads. */
    static final String CONTINUATION = "unrouted-drain";

    private final WaitingLeadRepository store;
    private final ConnectionRepository connections;
    private final CredentialRepository<Connection> grants;
    private final IngestQueue queue;
    private final PipelineProbe probe;
    private final OversizedPayloads payloads;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration retention;
    private final int batch;
    private final ReceivedLeads received;

    UnroutedLeads(ReceivedLeads received, WaitingLeadRepository store, ConnectionRepository connections,
            CredentialRepository<Connection> grants, IngestQueue queue, PipelineProbe probe,
            OversizedPayloads payloads, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "leadsync.unrouted.retention") Duration retention,
            @ConfigProperty(name = "leadsync.unrouted.drain-batch") int batch) {
        this.store = store;
        this.connections = connections;
        this.grants = grants;
        this.queue = queue;
        this.probe = probe;
        this.payloads = payloads;
        this.json = json;
        this.clock = clock;
        this.retention = retention;
        this.batch = batch;
        this.received = received;
    }

    /** Keeps leads of one provider account that no connection routes (all of {@code notices} share it). */
    void keep(List<LeadNotice> notices) {
        if (notices.isEmpty()) {
            return;
        }
        LeadNotice first = notices.get(0);
        String routeKey = Connection.routeKey(first.providerType(), first.externalId());
        Instant now = clock.instant();
        store.record(routeKey, notices.stream().map(n -> notice(n.providerType(), n.externalId(), n.providerLeadId(),
                n.formId(), n.adId(), n.createdTime(), now, payloads.forWaiting(n.payload(), null, n.providerLeadId()),
                LogContext.newTraceId()))
                .toList(), now.plus(retention));
        LOG.warnf("%d %s lead(s) for %s kept: no connection yet", notices.size(), first.providerType().wireName(),
                first.externalId());
        // The page may have been connected since the caller looked, after that connection's drain had read
        // the (then empty) notices: look again, so one of the two always queues them.
        connections.findByRoute(first.providerType(), first.externalId()).ifPresent(this::drain);
    }

    /**
     * Keeps a lead whose connection exists but cannot fetch it (token rejected, permission missing) until the
     * connection is fixed: replacing its tokens (or a poll that succeeds) drains it like an unrouted lead. The
     * caller then calls {@link #drainIfFixedSince} (once it has released the lead).
     */
    public void park(IngestMessage m, String reason) {
        Instant now = clock.instant();
        String routeKey = Connection.routeKey(m.providerType(), m.externalId());
        store.record(routeKey, List.of(notice(m.providerType(), m.externalId(), m.providerLeadId(), m.formId(),
                m.adId(), m.createdTime(), now, payloads.forWaiting(m.payload(), m.payloadRef(), m.providerLeadId()),
                m.traceId())),
                now.plus(retention));
        LOG.warnf("%s lead %s waits for its connection %s: %s", m.providerType().wireName(), m.providerLeadId(),
                m.connectionId(), reason);
    }

    /**
     * After {@link #park}: the tokens may have been replaced, and the connection's waiting leads drained, between
     * the failed fetch and the park. So it looks again, as {@link #keep} does: if the route's connection now holds
     * other tokens than {@code failedTokens} (the version the fetch failed with,
     * {@link ProviderCallException#tokenVersion()}), or is another connection, and is not waiting for
     * re-authorization, its leads are drained at once; either that drain or the replacement's queues the lead.
     * Tokens it cannot compare (no version) count as unchanged, so a lead its connection simply cannot fetch is not
     * queued again and again.
     */
    public void drainIfFixedSince(IngestMessage parked, OptionalLong failedTokens) {
        connections.findByRoute(parked.providerType(), parked.externalId())
                .filter(c -> fixedSince(c, parked.connectionId(), failedTokens)).ifPresent(c -> {
                    LOG.infof("%s changed while %s lead %s was being parked: its waiting leads are queued",
                            c.holderName(), parked.providerType().wireName(), parked.providerLeadId());
                    drain(c);
                });
    }

    /** Whether {@code current} (the route's connection now) may fetch what {@code failedTokens} could not. */
    private boolean fixedSince(Connection current, String failedConnectionId, OptionalLong failedTokens) {
        Optional<StoredGrant> grant = grants.read(current);
        if (grant.isEmpty() || grant.get().status() == ConnectionStatus.NEEDS_REAUTH) {
            return false;
        }
        if (!current.connectionId().equals(failedConnectionId)) {
            return true;
        }
        return failedTokens.isPresent() && grant.get().tokenVersion() != failedTokens.getAsLong();
    }

    /** Queues a bounded batch of the leads waiting for this connection's route; the rest continue from the queue. */
    public void drain(Connection connection) {
        WaitingLeadRepository.Waiting waiting = store.waiting(connection.routeKey(), batch);
        if (waiting.notices().isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<IngestMessage> messages = waiting.notices().stream()
                .map(n -> IngestMessages.ofWaiting(connection, n, payload(n), now)).toList();
        queue.publishIngest(messages);
        received.queued(messages, true);
        probe.reached("unrouted.queued", connection.routeKey());
        store.remove(connection.routeKey(), waiting.notices());
        LOG.infof("%d waiting lead(s) of %s queued for account %s", waiting.notices().size(), connection.routeKey(),
                connection.accountId());
        if (waiting.more()) {
            queue.publishIngest(List.of(new IngestMessage(connection.accountId(), connection.connectionId(),
                    connection.providerType(), connection.externalId(), null, null, null, null, CONTINUATION, now,
                    null, null, 0, null)));
        }
    }

    private static UnroutedNotice notice(ProviderType type, String externalId, String providerLeadId, String formId,
            String adId, Instant createdTime, Instant receivedAt, OversizedPayloads.Kept payload, String traceId) {
        return new UnroutedNotice(type, externalId, providerLeadId, formId, adId, createdTime, receivedAt,
                payload.json(), payload.ref(), traceId);
    }

    /** The payload kept inline, as JSON; a referenced one travels on by its reference. */
    private JsonNode payload(UnroutedNotice n) {
        if (n.payload() == null) {
            return null;
        }
        try {
            return json.readTree(n.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable payload kept for lead " + n.providerLeadId(), e);
        }
    }

    public static boolean isContinuation(IngestMessage message) {
        return CONTINUATION.equals(message.via());
    }

    /** A continuation from the ingest queue: the next batch, for whichever connection now holds the route. */
    public void resume(IngestMessage continuation) {
        connections.findByRoute(continuation.providerType(), continuation.externalId()).ifPresentOrElse(this::drain,
                () -> LOG.infof("%s#%s disconnected again: its waiting leads stay for the next connection",
                        continuation.providerType().wireName(), continuation.externalId()));
    }
}
