package com.leadsync.walk;

import com.leadsync.ingest.IngestMessage;
import com.leadsync.ingest.IngestMessages;
import com.leadsync.ingest.IngestQueue;
import com.leadsync.ingest.ReceivedLeads;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.Connection;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.LeadPage;
import com.leadsync.source.ListRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Walks a connection's leads page by page for any {@link com.leadsync.source.LeadLister}: fetch one page,
 * hand its leads to the ingest path ({@link WalkStep#handOff()}), then record the page's next position in the ledger, and so on.
 *
 * <p>The order makes a crash harmless: a page is recorded only once SQS has its leads, so a crash before
 * the record re-lists and re-queues that one page (normalize drops the repeats) and a crash after it goes on
 * from the next. Only one page is held at a time, whatever the size of the listing. Provider errors
 * ({@link com.leadsync.model.ProviderCallException}) and {@link LostLease} leave here for the caller, with
 * everything up to the last recorded page kept. A page that says the platform has nothing yet
 * ({@link LeadPage#retryAfter()}) is recorded like any other and ends the invocation ({@link WalkOutcome.Waiting}).
 */
@ApplicationScoped
public class PageWalker {

    private final IngestQueue queue;
    private final PipelineProbe probe;
    private final Clock clock;

    private final ReceivedLeads received;

    PageWalker(IngestQueue queue, PipelineProbe probe, Clock clock, ReceivedLeads received) {
        this.received = received;
        this.queue = queue;
        this.probe = probe;
        this.clock = clock;
    }

    /**
     * Always at least one page, so that a walk moves on however late its invocation started; another only while the
     * time box has room for it, and none after a page that asks to come back later.
     */
    public WalkOutcome walk(WalkStep step) {
        ListRequest request = step.request();
        int pages = 0;
        int leads = 0;
        while (true) {
            LeadPage page = step.lister().page(step.connection(), request);
            probe.reached("walk.fetched", step.key());
            HandedOff handedOff = step.handOff().handOff(step.connection(), page.leads(), page.skipped(), step.via());
            probe.reached("walk.published", step.key());
            step.ledger().recordPage(page.nextPosition(), handedOff, page.retryAfter() != null);
            probe.reached("walk.recorded", step.key());
            pages++;
            leads += page.leads().size();
            if (page.last()) {
                return new WalkOutcome.Completed(pages, leads);
            }
            if (page.retryAfter() != null) {
                // Asking again now would get the same nothing: the caller comes back after the delay.
                return new WalkOutcome.Waiting(page.nextPosition(), page.retryAfter(), pages, leads);
            }
            request = request.next(page.nextPosition());
            if (!step.time().roomForAnotherPage(clock.instant())) {
                return new WalkOutcome.Paused(request.position(), pages, leads);
            }
        }
    }

    /** The plain hand-off: every lead of the page onto the ingest queue (normalize drops the ones already known). */
    public HandedOff queueAll(Connection connection, List<LeadNotice> notices, int skipped, String via) {
        if (!notices.isEmpty()) {
            Instant now = clock.instant();
            List<IngestMessage> messages = notices.stream().map(n -> IngestMessages.of(connection, n, via, now))
                    .toList();
            queue.publishIngest(messages);
            received.queued(messages, false);
        }
        return HandedOff.queued(notices.size(), skipped);
    }
}
