package com.leadsync.walk;

/**
 * Where one walk's progress is kept between pages: the poll keeps it on the connection's item, an import on
 * its job. Each call is one conditional write that succeeds only while this worker holds the walk.
 */
public interface WalkLedger {

    /**
     * Records a page whose leads are already on the ingest path: the position the walk goes on from
     * ({@code null}: the walk is complete) and what the page's hand-off counted; {@code notReady}: the page only said
     * the platform has nothing yet there (see {@link com.leadsync.source.LeadPage#retryAfter()}).
     *
     * @throws LostLease when this worker no longer holds the walk (it ran out, or the walk is gone)
     */
    void recordPage(String nextPosition, HandedOff page, boolean notReady);
}
