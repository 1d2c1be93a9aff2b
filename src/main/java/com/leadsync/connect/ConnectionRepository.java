package com.leadsync.connect;

import com.leadsync.model.ConditionFailed;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Connected ad accounts, by route (provider + external id), by id, by account and by webhook key
 * (implemented in {@code store/}).
 */
public interface ConnectionRepository {

    /**
     * Stores a new connection; {@link ConditionFailed} when that provider account is already connected, or
     * {@link WebhookKeyTaken} when another connection has the same webhook key.
     */
    void create(Connection c);

    /** The connection whose webhook key is {@code key} (the caller compares the stored key in constant time). */
    Optional<Connection> findByWebhookKey(String key);

    /**
     * Replaces the tokens (and config) of that connection in one conditional write, so webhooks keep routing
     * to it throughout; {@link ConditionFailed} when the route no longer holds this connection. New tokens
     * make it {@code active} again (a refresh in flight from the old ones then cannot store its result).
     */
    void replaceTokens(Connection c);

    Optional<Connection> findByRoute(ProviderType type, String externalId);

    Optional<Connection> findById(String connectionId);

    List<Connection> listByAccount(String accountId);

    /** Deletes that connection; a no-op if the route meanwhile belongs to another (reconnected) connection. */
    void delete(Connection c);

    /** A page of every connection's grant state, for the daily check ({@code after}: the last page's key, or null). */
    GrantPage scanGrants(String after, int limit);

    /** Where a connection's tokens stand: enough to tell whether they will lapse, without opening them. */
    record GrantState(String connectionId, String accountId, ProviderType providerType, String externalId,
            ConnectionStatus status, Instant expiresAt, boolean hasRefreshToken, long tokenVersion) {
    }

    /** {@code lastKey} null once the scan is over. */
    record GrantPage(List<GrantState> items, String lastKey) {
    }
}
