package com.leadsync.delivery;

import java.util.List;
import java.util.Optional;

/**
 * An account's CRM destinations (implemented in {@code store/}).
 */
public interface DestinationRepository {

    /** Stores a new destination whole. */
    void put(DestinationConfig d);

    /**
     * Replaces an existing destination's settings in one write, if its tokens are still those of {@code readVersion}
     * (so settings read before a token refresh never write the old tokens back); false when they are not, or the
     * destination is gone. With {@code d.tokenVersion()} above {@code readVersion} its tokens are new: the status,
     * reason and token expiry of {@code d} are written too (new tokens make it {@code active}); otherwise those are
     * left as stored, so a concurrent {@code needs_reauth} is not undone.
     */
    boolean update(DestinationConfig d, long readVersion);

    Optional<DestinationConfig> get(String destinationId);

    List<DestinationConfig> listByAccount(String accountId);

    /** How many the account has, counted on the index without reading the items. */
    int countByAccount(String accountId);

    /** Deletes it; true when this call removed it (so a repeated delete frees no second slot). */
    boolean delete(String destinationId);
}
