package com.leadsync.imports;

import com.leadsync.ingest.IngestMessage;
import com.leadsync.ingest.IngestMessages;
import com.leadsync.ingest.IngestQueue;
import com.leadsync.ingest.ReceivedLeads;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.lead.LeadRepository;
import com.leadsync.model.Connection;
import com.leadsync.model.LeadStatus;
import com.leadsync.source.LeadNotice;
import com.leadsync.walk.HandedOff;
import com.leadsync.walk.LeadHandOff;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An import's hand-off: claims each lead's identity in the name of the job's step before queueing it, so the page's
 * count of new leads is exact. A lead whose claim fails was created before, by this step (a retried page: still new)
 * or by anyone else, an earlier step of the same job included (a duplicate; queued again only while it is not stored
 * yet, since then its own path may have died before queueing it).
 * The step is in the name because a walk may list a lead again on a later page (Google's expired page token lists
 * from the first page again, LinkedIn's list moves on as leads arrive, TikTok's fresh task exports the form again):
 * counted new twice, leadsNew would exceed the leads the import created. The claim carries no live lease, so
 * normalize takes the lead over at once and goes on as with any other.
 */
final class ClaimingHandOff implements LeadHandOff {

    /** A lease that is over as soon as it is written. */
    private static final long NO_LEASE = 0;

    private final LeadRepository leads;
    private final IngestQueue queue;
    private final Clock clock;
    private final String claimant;
    private final ReceivedLeads received;

    ClaimingHandOff(LeadRepository leads, IngestQueue queue, ReceivedLeads received, Clock clock, String jobId,
            int step) {
        this.received = received;
        this.leads = leads;
        this.queue = queue;
        this.clock = clock;
        this.claimant = "import:" + jobId + ":" + step;
    }

    @Override
    public HandedOff handOff(Connection connection, List<LeadNotice> notices, int skipped, String via) {
        Instant now = clock.instant();
        // A lead listed twice on one page is one lead: the repeat is a duplicate.
        Map<String, LeadNotice> byLeadId = new LinkedHashMap<>();
        for (LeadNotice n : notices) {
            byLeadId.putIfAbsent(identity(connection, n).leadId(), n);
        }
        List<String> notClaimedNow = new ArrayList<>();
        List<LeadNotice> created = new ArrayList<>();
        List<LeadNotice> toQueue = new ArrayList<>();
        byLeadId.forEach((leadId, n) -> {
            if (leads.claim(identity(connection, n), n.createdTime(), claimant, NO_LEASE, now)) {
                created.add(n);
                toQueue.add(n);
            } else {
                notClaimedNow.add(leadId);
            }
        });
        if (!notClaimedNow.isEmpty()) {
            Map<String, LeadRepository.Claim> claims = leads.claims(notClaimedNow);
            for (String leadId : notClaimedNow) {
                LeadRepository.Claim claim = claims.get(leadId);
                if (claim != null && claimant.equals(claim.claimedBy())) {
                    created.add(byLeadId.get(leadId));
                }
                // Not stored yet, whoever claimed it: queued again with its payload. Its claim may be an earlier
                // step's whose leads were never queued (a crash, then a page that lists differently), or a webhook
                // lead waiting for a fetch; normalize takes over a claim nobody works on and drops repeats.
                if (claim != null && claim.status() == LeadStatus.RECEIVED) {
                    toQueue.add(byLeadId.get(leadId));
                }
            }
        }
        if (!toQueue.isEmpty()) {
            List<IngestMessage> messages = toQueue.stream().map(n -> IngestMessages.of(connection, n, via, now))
                    .toList();
            queue.publishIngest(messages);
            received.queued(messages, true);
        }
        return new HandedOff(notices.size(), created.size(), notices.size() - created.size(), skipped);
    }

    private static LeadIdentity identity(Connection connection, LeadNotice n) {
        return new LeadIdentity(connection.accountId(), n.providerType(), n.providerLeadId());
    }
}
