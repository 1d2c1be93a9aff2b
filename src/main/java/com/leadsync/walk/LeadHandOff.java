package com.leadsync.walk;

import com.leadsync.model.Connection;
import com.leadsync.source.LeadNotice;
import java.util.List;

/**
 * Gives one page's leads to the ingest path, durably, before the walk records the page: the poll queues them all
 * ({@link PageWalker#queueAll}); an import first claims them, to count which are new.
 */
@FunctionalInterface
public interface LeadHandOff {

    /** {@code skipped}: entries of the page the lister could not read, passed on into the count. */
    HandedOff handOff(Connection connection, List<LeadNotice> notices, int skipped, String via);
}
