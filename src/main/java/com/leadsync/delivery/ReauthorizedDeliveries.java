package com.leadsync.delivery;

import com.leadsync.lead.LeadRepository;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A destination reconnected with new tokens releases the deliveries that ended {@code failed} because it needed
 * re-authorization ({@link CrmTokens#NEEDS_REAUTHORIZATION}): each gets a new generation and is queued, as a manual
 * push would (a delivery in flight is left alone), a flow's delivery through the destination too. Deliveries are kept
 * per lead, so the account's leads are walked, newest first, within a time budget that fits a callback; what the
 * budget does not reach is left to
 * {@code POST /crm/push}, which sends every undelivered lead.
 */
@ApplicationScoped
public class ReauthorizedDeliveries {

    /** Well inside the API function's 30 s, with the code exchange before it. */
    static final Duration BUDGET = Duration.ofSeconds(10);
    private static final int PAGE = 100;

    /** {@code queued} deliveries sent again; {@code complete} false when the budget ran out first. */
    public record Released(int queued, boolean complete) {
    }

    private final LeadRepository leads;
    private final DeliveryRepository deliveries;
    private final Dispatcher dispatcher;
    private final DeliveryTargets targets;
    private final DeliveryQueue queue;
    private final Clock clock;

    ReauthorizedDeliveries(LeadRepository leads, DeliveryRepository deliveries, Dispatcher dispatcher,
            DeliveryTargets targets, DeliveryQueue queue, Clock clock) {
        this.targets = targets;
        this.leads = leads;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.queue = queue;
        this.clock = clock;
    }

    public Released release(DestinationConfig destination) {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        String cursor = null;
        int queued = 0;
        do {
            LeadRepository.Page page = leads.list(destination.accountId(), PAGE, cursor, null, null, null);
            List<DeliverMessage> messages = new ArrayList<>();
            for (StoredLead lead : page.items()) {
                messages.addAll(waitedForTokens(lead, destination));
            }
            queue.publishDeliver(messages);
            queued += messages.size();
            cursor = page.nextCursor();
        } while (cursor != null && System.nanoTime() < deadline);
        return new Released(queued, cursor == null);
    }

    /** The lead's deliveries through this destination (its own, and its flows' to it) that waited for new tokens. */
    private List<DeliverMessage> waitedForTokens(StoredLead lead, DestinationConfig destination) {
        List<DeliverMessage> out = new ArrayList<>();
        for (DeliveryRecord d : deliveries.listForLead(lead.leadId(), false)) {
            if (d.status() != DeliveryStatus.FAILED || d.lastError() == null
                    || !d.lastError().contains(CrmTokens.NEEDS_REAUTHORIZATION) || !through(d, destination)) {
                continue;
            }
            dispatcher.nextGeneration(lead.leadId(), lead.accountId(), d.targetId(), d.targetType(), clock.instant())
                    .ifPresent(out::add);
        }
        return out;
    }

    private boolean through(DeliveryRecord d, DestinationConfig destination) {
        return d.targetId().equals(destination.destinationId()) || targets.describe(d.targetId())
                .map(flow -> destination.destinationId().equals(flow.destinationId())).orElse(false);
    }
}
