package com.leadsync.ingest;

import com.leadsync.account.AccountRepository;
import com.leadsync.connect.ConnectionRepository;
import com.leadsync.model.Account;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Reads repeated for every lead of an account, cached briefly per function instance (config
 * {@code quarkus.cache.caffeine.*}): a changed default region applies within that time. A cached connection's
 * tokens are never used: provider calls go through {@code Credentials}, which reads the stored ones. Only found
 * connections are cached. Webhook routing does not use this: a deleted connection stops routing at once.
 */
@ApplicationScoped
public class IngestLookups {

    private final AccountRepository accounts;
    private final ConnectionRepository connections;

    @jakarta.inject.Inject
    IngestLookups self;

    IngestLookups(AccountRepository accounts, ConnectionRepository connections) {
        this.accounts = accounts;
        this.connections = connections;
    }

    @CacheResult(cacheName = "account-region")
    public Optional<String> defaultRegion(String accountId) {
        return accounts.get(accountId).map(Account::defaultRegion).filter(r -> r != null && !r.isBlank());
    }

    public Optional<Connection> connection(ProviderType type, String externalId) {
        try {
            return Optional.of(self.existingConnection(type, externalId));
        } catch (NotConnected e) {
            return Optional.empty();
        }
    }

    /** Only found connections are cached (a thrown exception is not). */
    @CacheResult(cacheName = "ingest-connection")
    Connection existingConnection(ProviderType type, String externalId) {
        return connections.findByRoute(type, externalId).orElseThrow(NotConnected::new);
    }

    static final class NotConnected extends RuntimeException {
        NotConnected() {
            super(null, null, false, false);
        }
    }
}
