package com.leadsync.source;

import java.util.List;

/**
 * One page of a lister: its leads (each with its payload, so they need no fetch) and where the walk goes
 * next; {@code nextPosition} is null when the walk is complete. A page may be empty and still have a next
 * position (a form with no new leads, a download task still running).
 */
public record LeadPage(List<LeadNotice> leads, String nextPosition) {
    public LeadPage {
        leads = List.copyOf(leads);
    }

    public boolean last() {
        return nextPosition == null;
    }
}
