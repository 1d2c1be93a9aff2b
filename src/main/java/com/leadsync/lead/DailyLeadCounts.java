package com.leadsync.lead;

import com.leadsync.model.ProviderType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.SortedMap;

/**
 * An account's listed leads per UTC day and provider, counted newest first. {@code complete} is false when the count
 * stopped at its budget: then only the days after {@code countedBack} (the oldest lead counted) are whole.
 */
public record DailyLeadCounts(SortedMap<LocalDate, Map<ProviderType, Long>> days, long counted, boolean complete,
        Instant countedBack) {
}
