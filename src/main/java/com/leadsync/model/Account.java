package com.leadsync.model;

import java.time.Instant;

/** A LeadSync customer; everything else (leads, connections, destinations) belongs to exactly one. */
public record Account(String accountId, String name, String defaultRegion, Instant createdAt) {
}
