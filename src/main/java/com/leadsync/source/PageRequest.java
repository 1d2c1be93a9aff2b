package com.leadsync.source;

import java.time.Instant;

/** Asks a source for one page of a form's leads created after {@code since} (null = all it keeps). */
public record PageRequest(String formId, Instant since, String cursor, int limit) {
}
