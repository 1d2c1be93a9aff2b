package com.leadsync.source;

import java.util.List;

/** One page of a provider's lead listing; {@code nextCursor} is null on the last page. */
public record LeadPage(List<ProviderLead> leads, String nextCursor) {
    public LeadPage {
        leads = List.copyOf(leads);
    }
}
