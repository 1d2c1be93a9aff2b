package com.leadsync.poll;

import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.poll.PollMessage;
import com.leadsync.source.LeadSources;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Asks for polls; polls nothing itself. The schedule pages through the connections table and queues one poll
 * message per due connection (SQS batches of 10): a connection of a provider that can be listed, not waiting
 * for re-authorization, not being polled right now and not deferred by a rate limit. A scan that outlasts
 * {@code leadsync.poll.time-box} goes on from the poll queue.
 */
@ApplicationScoped
public class PollScheduler {

    private static final Logger LOG = Logger.getLogger(PollScheduler.class);

    @RegisterForReflection
    public record ScheduleResult(int scanned, int queued, boolean continued) {
    }

    private final PollStates states;
    private final LeadSources sources;
    private final PollQueue queue;
    private final Clock clock;
    private final Duration timeBox;
    private final int scanPage;

    PollScheduler(PollStates states, LeadSources sources, PollQueue queue, Clock clock,
            @ConfigProperty(name = "leadsync.poll.time-box") Duration timeBox,
            @ConfigProperty(name = "leadsync.poll.scan-page", defaultValue = "100") int scanPage) {
        this.states = states;
        this.sources = sources;
        this.queue = queue;
        this.clock = clock;
        this.timeBox = timeBox;
        this.scanPage = scanPage;
    }

    /** The scheduled run: the whole table, from the start. */
    public ScheduleResult run() {
        return scan(null);
    }

    /** Goes on with a scan after route key {@code after} (null: from the start). */
    public ScheduleResult scan(String after) {
        Instant started = clock.instant();
        String cursor = after;
        int scanned = 0;
        int queued = 0;
        do {
            PollStates.ScanPage page = states.scan(cursor, scanPage);
            Instant now = clock.instant();
            List<PollMessage> due = page.items().stream().filter(c -> due(c, now))
                    .map(c -> PollMessage.poll(c.connectionId(), c.providerType(), c.externalId(), now)).toList();
            queue.publishPoll(due);
            scanned += page.items().size();
            queued += due.size();
            cursor = page.lastKey();
        } while (cursor != null && clock.instant().isBefore(started.plus(timeBox)));
        if (cursor != null) {
            queue.publishPoll(List.of(PollMessage.scan(cursor, started)));
        }
        LOG.infof("poll schedule: %d item(s) scanned, %d poll(s) queued%s", scanned, queued,
                cursor == null ? "" : ", the scan goes on after " + cursor);
        return new ScheduleResult(scanned, queued, cursor != null);
    }

    /** "Sync now": one poll of that connection, asked now. */
    public void requestNow(Connection c) {
        queue.publishPoll(List.of(PollMessage.poll(c.connectionId(), c.providerType(), c.externalId(),
                clock.instant())));
    }

    /** Whether the schedule polls {@code c} now; items without a provider type are not connections. */
    boolean due(PollCandidate c, Instant now) {
        return c.providerType() != null && c.connectionId() != null && c.externalId() != null
                && sources.lister(c.providerType()).isPresent()
                && !ConnectionStatus.NEEDS_REAUTH.wireName().equals(c.status())
                && (c.leaseUntil() == null || !c.leaseUntil().isAfter(now))
                && (c.deferredUntil() == null || !c.deferredUntil().isAfter(now));
    }
}
