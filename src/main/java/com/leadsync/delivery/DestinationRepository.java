package com.leadsync.delivery;

import java.util.List;
import java.util.Optional;

/**
 * An account's CRM destinations (implemented in {@code store/}).
 */
public interface DestinationRepository {

    void put(DestinationConfig d);

    Optional<DestinationConfig> get(String destinationId);

    List<DestinationConfig> listByAccount(String accountId);

    /** How many the account has, counted on the index without reading the items. */
    int countByAccount(String accountId);

    /** Deletes it; true when this call removed it (so a repeated delete frees no second slot). */
    boolean delete(String destinationId);
}
