package com.leadsync.model;

/** A normalized lead plus what the platform told us about where it came from. */
public record NormalizedLead(Lead lead, String formId, String adId, String campaignId, boolean test) {
}
