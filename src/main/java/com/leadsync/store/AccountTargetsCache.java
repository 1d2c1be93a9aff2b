package com.leadsync.store;

import com.leadsync.delivery.AccountTargets;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Empties this instance's cache of account targets ({@link AccountTargets}) after every write to a destination or a
 * subscription: writes are rare, so all of it, rather than working out whose list changed.
 */
@ApplicationScoped
class AccountTargetsCache {

    private final Cache cache;

    AccountTargetsCache(@CacheName(AccountTargets.CACHE) Cache cache) {
        this.cache = cache;
    }

    /** Runs the write, then empties the cache (also when the write failed: it may have happened). */
    <T> T after(Supplier<T> write) {
        try {
            return write.get();
        } finally {
            cache.invalidateAll().await().indefinitely();
        }
    }

    void after(Runnable write) {
        after(() -> {
            write.run();
            return null;
        });
    }
}
