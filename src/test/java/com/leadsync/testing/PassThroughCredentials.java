package com.leadsync.testing;

import com.leadsync.connect.Connection;
import com.leadsync.connect.Credentials;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * Tests' {@link Credentials} while the real one (refresh, single flight, storage) is built on another branch:
 * calls with the stored access token, no refresh. A {@link DefaultBean}, so the real implementation replaces
 * it as soon as both are in the build; then this class should go.
 */
@DefaultBean
@ApplicationScoped
public class PassThroughCredentials implements Credentials {

    @Override
    public <T> T call(Connection connection, Function<String, T> call) {
        return call.apply(connection.accessToken());
    }
}
