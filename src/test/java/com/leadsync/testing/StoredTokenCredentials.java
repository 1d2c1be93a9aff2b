package com.leadsync.testing;

import com.leadsync.connect.Connection;
import com.leadsync.connect.Credentials;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * Tests only, until the credentials component is in the tree: calls with the connection's token as stored, no
 * refresh. A {@link DefaultBean}, so the real {@link Credentials} replaces it as soon as there is one; then this class
 * should go.
 */
@DefaultBean
@ApplicationScoped
public class StoredTokenCredentials implements Credentials {

    @Override
    public <T> T call(Connection connection, Function<String, T> call) {
        return call.apply(connection.accessToken());
    }
}
