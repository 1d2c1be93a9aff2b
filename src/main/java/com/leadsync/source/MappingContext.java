package com.leadsync.source;

/** What normalization needs besides the payload: the account's default phone region (ISO 3166 alpha-2). */
public record MappingContext(String defaultRegion) {
}
