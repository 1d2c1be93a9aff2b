package com.leadsync.source.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.source.BoundedBody;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * One {@code googleAds:search} call for a connection's customer with a given access token: the headers of
 * providers.md §2.2 ({@code developer-token}, {@code login-customer-id} when the connection names a manager),
 * the JSON of a 2xx answer, otherwise a {@link GoogleAdsFailure} classified by {@link GoogleAdsErrors}.
 */
@ApplicationScoped
class GoogleAdsSearch {

    /** Connection config key of the manager account through which the customer is reached. */
    static final String LOGIN_CUSTOMER_ID = "loginCustomerId";

    private final GoogleAdsApi api;
    private final ObjectMapper json;
    private final String version;
    private final String developerToken;
    private final long maxPage;

    GoogleAdsSearch(@RestClient GoogleAdsApi api, ObjectMapper json,
            @ConfigProperty(name = "leadsync.google.ads-version") String version,
            @ConfigProperty(name = "leadsync.google.developer-token") Optional<String> developerToken,
            @ConfigProperty(name = "leadsync.google.max-page-size") MemorySize maxPage) {
        this.api = api;
        this.json = json;
        this.version = version;
        this.developerToken = developerToken.map(String::trim).orElse("");
        this.maxPage = maxPage.asLongValue();
    }

    boolean configured() {
        return !developerToken.isEmpty();
    }

    /** {@code pageToken} null for the first page; throws {@link ProviderCallException}. */
    JsonNode search(Connection connection, String accessToken, String query, String pageToken, String what) {
        return search(connection.externalId(), connection.config().get(LOGIN_CUSTOMER_ID), accessToken, query,
                pageToken, what);
    }

    /** The same call for a customer not connected yet (OAuth connect); {@code loginCustomerId} null for direct. */
    JsonNode search(String customerId, String loginCustomerId, String accessToken, String query, String pageToken,
            String what) {
        if (!configured()) {
            throw new ProviderCallException("leadsync.google.developer-token is not set: the Google Ads API refuses"
                    + " every call without it", Kind.INVALID, null);
        }
        ObjectNode body = json.createObjectNode().put("query", query);
        if (pageToken != null) {
            body.put("pageToken", pageToken);
        }
        String request = body.toString();
        return answer(what, () -> api.search(version, customerId, "Bearer " + accessToken, developerToken,
                loginCustomerId, request));
    }

    /**
     * {@code customers:listAccessibleCustomers} (providers.md §2.2): the customers the token's user reaches
     * directly, as {@code {"resourceNames": ["customers/1234567890", ...]}}.
     */
    JsonNode listAccessibleCustomers(String accessToken) {
        if (!configured()) {
            throw new ProviderCallException("leadsync.google.developer-token is not set: the Google Ads API refuses"
                    + " every call without it", Kind.INVALID, null);
        }
        return answer("customer listing", () -> api.listAccessibleCustomers(version, "Bearer " + accessToken,
                developerToken));
    }

    private JsonNode answer(String what, Supplier<Response> call) {
        Response received;
        try {
            received = call.get();
        } catch (WebApplicationException e) {
            received = e.getResponse();
        } catch (ProcessingException e) {
            throw new ProviderCallException("Google Ads API unreachable during " + what + ": " + e.getMessage(),
                    Kind.TRANSIENT, e);
        }
        try (Response response = received) {
            int status = response.getStatus();
            // A page holds up to 10,000 rows: its own, larger limit (leadsync.google.max-page-size).
            String text = BoundedBody.text(response, maxPage, "Google Ads API " + what);
            JsonNode answer = readJson(text);
            if (status / 100 == 2) {
                if (answer == null || !answer.isObject()) {
                    throw new ProviderCallException("Google Ads API sent unreadable JSON during " + what,
                            Kind.TRANSIENT, null);
                }
                return answer;
            }
            throw GoogleAdsErrors.classify(status, answer, what);
        } catch (ProcessingException e) {
            throw new ProviderCallException("Google Ads API answer unreadable during " + what + ": " + e.getMessage(),
                    Kind.TRANSIENT, e);
        }
    }

    private JsonNode readJson(String text) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
