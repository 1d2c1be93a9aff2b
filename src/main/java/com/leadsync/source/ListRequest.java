package com.leadsync.source;

import java.time.Instant;

/**
 * One step of a walk over a connection's leads submitted in [{@code since}, {@code until}); {@code formId}
 * limits it to one form when set (import), and {@code position} is the previous page's
 * {@link LeadPage#nextPosition()} (null for the first page).
 */
public record ListRequest(Instant since, Instant until, String formId, String position) {

    public ListRequest next(String nextPosition) {
        return new ListRequest(since, until, formId, nextPosition);
    }
}
