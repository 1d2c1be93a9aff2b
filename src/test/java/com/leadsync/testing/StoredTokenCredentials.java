package com.leadsync.testing;

import com.leadsync.connect.Connection;
import com.leadsync.connect.Credentials;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * Tests only, until the credentials component is in the build: calls with the stored access token, no refresh.
 * A default bean, so the real {@link Credentials} replaces it as soon as it exists.
 */
@DefaultBean
@ApplicationScoped
public class StoredTokenCredentials implements Credentials {

    @Override
    public <T> T call(Connection connection, Function<String, T> call) {
        return call.apply(connection.accessToken());
    }
}
