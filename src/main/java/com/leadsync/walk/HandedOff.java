package com.leadsync.walk;

/**
 * What a page's hand-off to the ingest path did: {@code leads} the page held, of which {@code newLeads} were new to
 * LeadSync and {@code known} were known already, and {@code skipped} entries the lister could not read as a lead. A
 * hand-off that only queues (the poll) does not tell new from known: both are 0 then.
 */
public record HandedOff(int leads, int newLeads, int known, int skipped) {

    public static HandedOff queued(int leads, int skipped) {
        return new HandedOff(leads, 0, 0, skipped);
    }
}
