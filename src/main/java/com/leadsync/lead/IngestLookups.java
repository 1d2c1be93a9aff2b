package com.leadsync.lead;

import com.leadsync.account.Account;
import com.leadsync.connect.Connection;
import com.leadsync.store.AccountStore;
import com.leadsync.store.ConnectionStore;
import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Reads the normalize step repeats for every lead of an account, cached briefly per function instance
 * (config {@code quarkus.cache.caffeine.*}): a changed token or default region applies within that time, and
 * a fetch with a just-rotated token fails and is retried like any transient failure.
 */
@ApplicationScoped
public class IngestLookups {

    private final AccountStore accounts;
    private final ConnectionStore connections;

    IngestLookups(AccountStore accounts, ConnectionStore connections) {
        this.accounts = accounts;
        this.connections = connections;
    }

    @CacheResult(cacheName = "account-region")
    public Optional<String> defaultRegion(String accountId) {
        return accounts.get(accountId).map(Account::defaultRegion).filter(r -> r != null && !r.isBlank());
    }

    @CacheResult(cacheName = "ingest-connection")
    public Optional<Connection> connection(ProviderType type, String externalId) {
        return connections.findByRoute(type, externalId);
    }
}
