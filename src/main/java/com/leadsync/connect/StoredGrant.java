package com.leadsync.connect;

import com.leadsync.model.ConnectionStatus;
import java.time.Instant;

/**
 * A token holder's tokens as stored right now, with what the credentials component coordinates by:
 * {@code tokenVersion} (incremented by every token write), the status, and the refresh lease. Tokens are
 * secrets, hence the hand-written {@link #toString()}.
 */
public record StoredGrant(
        String accessToken,
        String refreshToken,
        Instant expiresAt,
        long tokenVersion,
        ConnectionStatus status,
        String statusReason,
        String refreshLeaseOwner,
        Instant refreshLeaseUntil) {

    /** Someone holds a refresh lease that has not run out at {@code now}. */
    public boolean refreshLeaseHeld(Instant now) {
        return refreshLeaseOwner != null && refreshLeaseUntil != null && refreshLeaseUntil.isAfter(now);
    }

    @Override
    public String toString() {
        return "StoredGrant[version=" + tokenVersion + ", expiresAt=" + expiresAt + ", status=" + status
                + ", refreshable=" + (refreshToken != null) + "]";
    }
}
