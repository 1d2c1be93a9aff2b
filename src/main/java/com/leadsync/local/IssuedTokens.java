package com.leadsync.local;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens an offline OAuth fake handed out by refresh, each good for its lifetime; the platform's API fake
 * accepts them besides its configured tokens. Kept in memory, like the platform's own sessions: after a restart of
 * local mode an issued token is unknown, and the caller refreshes again.
 */
final class IssuedTokens {

    enum Standing { VALID, EXPIRED, UNKNOWN }

    /** An expired token is still recognised as expired for this long, then forgotten. */
    private static final Duration REMEMBER_EXPIRED = Duration.ofDays(1);

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final String prefix;
    private final Duration lifetime;
    private final Clock clock;

    IssuedTokens(String prefix, Duration lifetime, Clock clock) {
        this.prefix = prefix;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    Duration lifetime() {
        return lifetime;
    }

    String issue() {
        Instant now = clock.instant();
        expiries.values().removeIf(expiry -> expiry.plus(REMEMBER_EXPIRED).isBefore(now));
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiries.put(token, now.plus(lifetime));
        return token;
    }

    Standing standing(String token) {
        Instant expiry = token == null ? null : expiries.get(token);
        if (expiry == null) {
            return Standing.UNKNOWN;
        }
        return clock.instant().isBefore(expiry) ? Standing.VALID : Standing.EXPIRED;
    }
}
