package com.leadsync.source.tiktok;

import java.util.Arrays;
import java.util.Optional;

/**
 * TikTok keeps leads in three data regions (providers.md §4.3): without {@code x-lead-region} the rest of the world,
 * {@code eu} for the EEA, Switzerland and the UK, {@code us} for the US. A download sees only its region's leads, so
 * every form is read in all three, in this order.
 */
enum TikTokRegion {
    REST_OF_WORLD("row", null),
    EU("eu", "eu"),
    US("us", "us");

    /** How a list position names it. */
    final String key;
    /** The {@code x-lead-region} header value; null sends no header. */
    final String header;

    TikTokRegion(String key, String header) {
        this.key = key;
        this.header = header;
    }

    /** The region read after this one, or empty after the last. */
    Optional<TikTokRegion> next() {
        return ordinal() + 1 < values().length ? Optional.of(values()[ordinal() + 1]) : Optional.empty();
    }

    static Optional<TikTokRegion> byKey(String key) {
        return Arrays.stream(values()).filter(r -> r.key.equals(key)).findFirst();
    }
}
