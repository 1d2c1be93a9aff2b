package com.leadsync.testing;

import com.leadsync.store.DeliveryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the retry sweep would find in the due index for one lead, looking as far ahead as {@code until}. */
public final class DueIndex {

    private DueIndex() {
    }

    public static List<DeliveryStore.Due> rowsOf(DeliveryStore store, String leadId, Instant until) {
        List<DeliveryStore.Due> rows = new ArrayList<>();
        DeliveryStore.DuePage page = store.due(until, 100, null);
        while (true) {
            page.items().stream().filter(d -> d.leadId().equals(leadId)).forEach(rows::add);
            if (page.next() == null) {
                return rows;
            }
            page = store.due(until, 100, page.next());
        }
    }
}
