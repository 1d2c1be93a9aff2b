package com.leadsync.connect;

import com.leadsync.model.TokenHolder;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@link TokenKeeper} needs of the store that holds a kind of token holder's grant (connections today,
 * CRM destinations next). Every write is one conditional single-item write; a lost condition is answered
 * by {@code false}/empty, never by an exception.
 */
public interface CredentialRepository<H extends TokenHolder> {

    /** The holder's grant as stored now (strongly consistent); empty once the holder is deleted or replaced. */
    Optional<StoredGrant> read(H holder);

    /**
     * Takes the holder's refresh lease until {@code until}, if no one else holds one that runs past
     * {@code now}; false when someone does (or the holder is gone).
     */
    boolean takeRefreshLease(H holder, String owner, Instant now, Instant until);

    /** Frees the lease if {@code owner} still holds it. */
    void releaseRefreshLease(H holder, String owner);

    /**
     * Stores refreshed tokens and frees the lease in one write, if {@code owner} still holds the lease and the
     * stored tokens are still those of {@code fromVersion}: access token, expiry and (when {@code tokens}
     * carries a rotated one) the refresh token together, the version incremented. A refresh without a new
     * refresh token keeps the stored one. Empty when the condition failed (nothing written).
     */
    Optional<StoredGrant> saveRefreshed(H holder, String owner, long fromVersion, RefreshedTokens tokens);

    /**
     * Marks the holder {@code needs_reauth} with that reason and frees any refresh lease, if its tokens are
     * still those of {@code fromVersion} (tokens replaced meanwhile are not condemned); false otherwise.
     */
    boolean markNeedsReauth(H holder, long fromVersion, String reason);
}
