package com.leadsync.source;

import java.util.List;

/** What a {@link WebhookReceiver} made of one call. */
public sealed interface WebhookReceipt {

    /** Authenticated; the leads it carried (possibly none: a test ping, a non-lead event, a deletion). */
    record Leads(List<LeadNotice> notices) implements WebhookReceipt {
        public Leads {
            notices = List.copyOf(notices);
        }
    }

    /** Missing or wrong authentication: nothing of it may be kept. */
    record Unauthenticated(String reason) implements WebhookReceipt {
    }
}
