package com.leadsync.source;

import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import java.util.Map;
import java.util.Optional;

/**
 * A provider's proof that a connection's token reaches the provider account its {@code externalId} names
 * (contract §5), so that nobody can claim another customer's page or ad account. One implementation per
 * platform, in that platform's package beside its other source capabilities.
 */
public interface ConnectionVerifier {

    ProviderType type();

    /** Why {@code externalId} cannot name an account of this provider (a sentence naming the field); empty if it can. */
    Optional<String> externalIdProblem(String externalId);

    /**
     * Why {@code config} is not a valid connection config for this provider (a sentence naming the key);
     * empty if it is. Checked before the provider is asked, on create and on replace.
     */
    default Optional<String> configProblem(Map<String, String> config) {
        return Optional.empty();
    }

    /**
     * Why the connection's tokens ({@code accessToken}, {@code refreshToken}, {@code expiresAt}) are not what this
     * provider's connections need (a sentence naming the field); empty if they are. Checked before the provider is
     * asked, on create and on replace: e.g. an access token that lives an hour is useless without its refresh token.
     */
    default Optional<String> tokensProblem(Connection connection) {
        return Optional.empty();
    }

    /** Asks the provider, with the connection's token, for the account named by its {@code externalId}. */
    AccessCheck check(Connection connection);
}
