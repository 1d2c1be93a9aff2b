package com.leadsync.testing;

import com.leadsync.delivery.DeliveryRepository;
import com.leadsync.store.DeliveryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the retry sweep would find in the due index for one lead, looking as far ahead as {@code until}. */
public final class DueIndex {

    private DueIndex() {
    }

    public static List<DeliveryStore.Due> rowsOf(DeliveryStore store, String leadId, Instant until) {
        return all(store, until).stream().filter(d -> d.leadId().equals(leadId)).toList();
    }

    /** Every row of every shard due by {@code until}. */
    public static List<DeliveryStore.Due> all(DeliveryRepository store, Instant until) {
        List<DeliveryStore.Due> rows = new ArrayList<>();
        for (String shard : store.dueShards()) {
            DeliveryStore.DuePage page = store.due(shard, until, 100, null);
            while (true) {
                rows.addAll(page.items());
                if (page.next() == null) {
                    break;
                }
                page = store.due(shard, until, 100, page.next());
            }
        }
        return rows;
    }
}
