package com.leadsync.testing;

import com.leadsync.connect.Connection;
import com.leadsync.connect.Credentials;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * Tests only, until the real {@link Credentials} (refresh before expiry, single flight) is in the tree: calls
 * with the stored access token and nothing more. A {@link DefaultBean}, so the real implementation, once
 * merged, replaces it without any change here.
 */
@DefaultBean
@ApplicationScoped
public class StoredTokenCredentials implements Credentials {

    @Override
    public <T> T call(Connection connection, Function<String, T> call) {
        return call.apply(connection.accessToken());
    }
}
