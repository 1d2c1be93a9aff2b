package com.leadsync.connect.oauth;

import java.time.Instant;
import java.util.Map;

/**
 * The CRM account a grant writes to, as a destination stores it. {@code identity} names that CRM account (HubSpot
 * portal id, Salesforce organization id, Zoho organization, Pipedrive company id): connecting it again updates the
 * account's destination of that type and identity instead of adding one. {@code config} holds the tokens
 * ({@code accessToken}, {@code refreshToken}) and what the grant says about where to call (Salesforce
 * {@code instanceUrl}, Zoho {@code apiDomain} and {@code accountsServer}, Pipedrive {@code apiDomain});
 * {@code tokenExpiresAt} is null when the platform gives no lifetime.
 */
public record GrantedDestination(String type, String identity, String name, Map<String, String> config,
        Instant tokenExpiresAt) {

    /** The config key a destination made by OAuth keeps its {@link #identity} under. */
    public static final String CONNECTED_ACCOUNT = "connectedAccount";

    public GrantedDestination {
        config = Map.copyOf(config);
    }

    @Override
    public String toString() {
        return "GrantedDestination[type=" + type + ", identity=" + identity + ", name=" + name + "]";
    }
}
