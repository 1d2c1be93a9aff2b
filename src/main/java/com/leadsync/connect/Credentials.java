package com.leadsync.connect;

import com.leadsync.model.Connection;
import java.util.function.Function;

/**
 * The one way to call a provider with a connection's access token: the token is refreshed before it
 * expires and once when the provider rejects it ({@code ProviderCallException} of kind UNAUTHORIZED), at
 * most one refresh at a time per connection across all function instances, and the refreshed tokens are
 * stored. A grant that is dead for good marks the connection {@code needs_reauth}.
 */
public interface Credentials {

    /** Runs {@code call} with a current access token for {@code connection}, retrying once after a refresh. */
    <T> T call(Connection connection, Function<String, T> call);
}
