package com.leadsync.source.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.AccessCheck;
import com.leadsync.source.ConnectionVerifier;
import com.leadsync.model.ProviderCallException;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A LinkedIn connection names a sponsored ad account; its token must be one LinkedIn answers that account
 * for ({@code GET /rest/adAccounts/{id}}, contract §5). A rejected token (401), an account the member has no
 * role on or an app without the product (403) and an unknown account (404) are refused with LinkedIn's own
 * message; throttling, outages, and requests LinkedIn calls ours to fix (400, a sunset version's 426) are
 * "unavailable": nothing is known about the token then.
 *
 * <p>The token is used as given, not through {@code Credentials}: the connection is not stored yet.
 */
@ApplicationScoped
public class LinkedInAccountAccess implements ConnectionVerifier {

    private final LinkedInApi api;
    private final ObjectMapper json;
    private final String version;
    private final long maxAnswer;

    LinkedInAccountAccess(@RestClient LinkedInApi api, ObjectMapper json,
            @ConfigProperty(name = "leadsync.linkedin.version") String version,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer) {
        this.api = api;
        this.json = json;
        this.version = version;
        this.maxAnswer = maxAnswer.asLongValue();
    }

    @Override
    public ProviderType type() {
        return ProviderType.LINKEDIN_ADS;
    }

    @Override
    public Optional<String> externalIdProblem(String externalId) {
        return LinkedInUrns.isAccountId(externalId) ? Optional.empty()
                : Optional.of("'externalId' must be a LinkedIn sponsored ad account id: digits only (no URN),"
                        + " at most 20");
    }

    @Override
    public AccessCheck check(Connection connection) {
        String accountId = connection.externalId();
        JsonNode account;
        try {
            account = LinkedInCalls.call(json, maxAnswer, "ad account lookup",
                    () -> api.adAccount(accountId, "Bearer " + connection.accessToken(), version));
        } catch (ProviderCallException e) {
            return switch (e.kind()) {
                case UNAUTHORIZED, FORBIDDEN, NOT_FOUND -> new AccessCheck.NotReached(e.getMessage());
                case TRANSIENT, THROTTLED, INVALID -> new AccessCheck.Unavailable(e.getMessage());
            };
        }
        JsonNode id = account.get("id");
        if (id != null && !id.isNull() && !accountId.equals(id.asText())) {
            return new AccessCheck.NotReached("LinkedIn answered with ad account " + id.asText() + ", not "
                    + accountId);
        }
        return new AccessCheck.Reached();
    }
}
