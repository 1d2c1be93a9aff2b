package com.leadsync.source.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.AccessCheck;
import com.leadsync.source.ConnectionVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Google Ads connection names a customer (10 digits, no dashes); its token must be one the Ads API answers
 * {@code SELECT customer.id FROM customer} for, on that customer (contract §5). The check uses the access
 * token as given, not {@code Credentials}: it proves the tokens the caller is about to store, which on a
 * replace are not the stored ones yet.
 */
@ApplicationScoped
public class GoogleCustomerAccess implements ConnectionVerifier {

    private static final Pattern CUSTOMER_ID = Pattern.compile("[0-9]{10}");
    /** The key Google sends as {@code google_key}; short keys could be guessed (contract §5: at least 16). */
    static final int MIN_WEBHOOK_KEY = 16;
    private static final Set<String> CONFIG_KEYS = Set.of(Connection.WEBHOOK_KEY, GoogleAdsSearch.LOGIN_CUSTOMER_ID);

    private final GoogleAdsSearch ads;
    private final Clock clock;

    GoogleCustomerAccess(GoogleAdsSearch ads, Clock clock) {
        this.ads = ads;
        this.clock = clock;
    }

    @Override
    public ProviderType type() {
        return ProviderType.GOOGLE_ADS;
    }

    static boolean isCustomerId(String id) {
        return id != null && CUSTOMER_ID.matcher(id).matches();
    }

    @Override
    public Optional<String> externalIdProblem(String externalId) {
        return isCustomerId(externalId) ? Optional.empty()
                : Optional.of("'externalId' must be a Google Ads customer id: 10 digits without dashes, e.g. 1234567890");
    }

    @Override
    public Optional<String> configProblem(Map<String, String> config) {
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(CONFIG_KEYS);
        if (!unknown.isEmpty()) {
            return Optional.of("'config." + unknown.iterator().next() + "' is not a google_ads setting; the settings are "
                    + new TreeSet<>(CONFIG_KEYS));
        }
        String key = config.get(Connection.WEBHOOK_KEY);
        if (key == null || key.isBlank()) {
            return Optional.of("'config." + Connection.WEBHOOK_KEY + "' is required for google_ads: the key you set on"
                    + " the lead form's webhook in Google Ads, at least " + MIN_WEBHOOK_KEY + " characters");
        }
        if (key.length() < MIN_WEBHOOK_KEY) {
            return Optional.of("'config." + Connection.WEBHOOK_KEY + "' must be at least " + MIN_WEBHOOK_KEY
                    + " characters");
        }
        if (!key.equals(key.strip())) {
            return Optional.of("'config." + Connection.WEBHOOK_KEY + "' must not start or end with whitespace");
        }
        String login = config.get(GoogleAdsSearch.LOGIN_CUSTOMER_ID);
        if (login != null && !isCustomerId(login)) {
            return Optional.of("'config." + GoogleAdsSearch.LOGIN_CUSTOMER_ID + "' must be a Google Ads manager"
                    + " customer id: 10 digits without dashes");
        }
        return Optional.empty();
    }

    /**
     * contract §5: {@code accessToken}, {@code refreshToken}, {@code expiresAt}. A Google access token lives an hour
     * (providers.md §2.4): without the refresh token the connection would die then, and without the expiry it would
     * not be refreshed before it does. An expiry already past means the access token given is dead.
     */
    @Override
    public Optional<String> tokensProblem(Connection connection) {
        if (connection.refreshToken() == null || connection.refreshToken().isBlank()) {
            return Optional.of("'refreshToken' is required for google_ads: the access token expires after an hour"
                    + " and is renewed with it");
        }
        if (connection.expiresAt() == null) {
            return Optional.of("'expiresAt' is required for google_ads: when the access token expires (an ISO"
                    + " instant, e.g. the token answer's time plus its expires_in)");
        }
        if (!connection.expiresAt().isAfter(clock.instant())) {
            return Optional.of("'expiresAt' is in the past: that access token has expired; send a fresh one");
        }
        return Optional.empty();
    }

    @Override
    public AccessCheck check(Connection connection) {
        if (!ads.configured()) {
            return new AccessCheck.Unavailable("leadsync.google.developer-token is not set on this server");
        }
        String customerId = connection.externalId();
        JsonNode answer;
        try {
            answer = ads.search(connection, connection.accessToken(), "SELECT customer.id FROM customer", null,
                    "customer check");
        } catch (ProviderCallException e) {
            return e.isTransient() ? new AccessCheck.Unavailable(e.getMessage())
                    : new AccessCheck.NotReached(e.getMessage());
        }
        for (JsonNode row : answer.path("results")) {
            if (customerId.equals(row.path("customer").path("id").asText())) {
                return new AccessCheck.Reached();
            }
        }
        return new AccessCheck.NotReached("the Google Ads API did not answer with customer " + customerId);
    }
}
