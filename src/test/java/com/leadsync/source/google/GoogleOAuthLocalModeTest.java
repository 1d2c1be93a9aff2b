package com.leadsync.source.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.ConnectionRepository;
import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedConnection;
import com.leadsync.connect.oauth.TokenEndpoint;
import com.leadsync.testing.OAuthSteps;
import com.leadsync.testing.Scenario;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.junit.jupiter.api.Test;

/**
 * What {@code ./mvnw quarkus:dev} clicks through: the platform pointed (as {@code %dev} points it) at the local
 * fakes this app serves — the consent stand-in, the token endpoint, the customer listing and search.
 */
@QuarkusTest
class GoogleOAuthLocalModeTest {

    @Inject
    TokenEndpoint tokens;
    @Inject
    ConnectionRepository connections;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;
    @ConfigProperty(name = "leadsync.google.client-id")
    String clientId;
    @ConfigProperty(name = "leadsync.google.client-secret")
    String clientSecret;
    @ConfigProperty(name = "leadsync.google.developer-token")
    String developerToken;

    @Test
    void the_local_consent_stand_in_and_fakes_grant_the_local_customer_with_a_refresh_token() throws Exception {
        String local = TestHTTPResourceManager.getUri();
        GoogleAdsApi api = RestClientBuilder.newBuilder().baseUri(URI.create(local + "/_local/google-ads"))
                .build(GoogleAdsApi.class);
        GoogleAdsSearch ads = new GoogleAdsSearch(api, json, "v23", Optional.of(developerToken),
                new MemorySize(BigInteger.valueOf(1024 * 1024)));
        GoogleOAuth google = new GoogleOAuth(tokens, ads, connections, clock, local + "/_local/google-oauth/authorize",
                local + "/_local/google-oauth/token", Optional.of(clientId), Optional.of(clientSecret));
        String verifier = "local-mode-verifier-01234567890123456789012345678901";
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest
                .getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String redirect = local + "/oauth/google_ads/callback";
        URI consent = google.authorizeUrl(new AuthorizeRequest("acc_local", "the-state", redirect, challenge));

        String back = Scenario.given().urlEncodingEnabled(false).redirects().follow(false).get(consent).then().statusCode(302).extract()
                .header("location");

        assertThat(back).startsWith(redirect + "?code=").endsWith("&state=the-state");
        Map<String, String> query = OAuthSteps.query(back);
        Granted granted = google.complete(new CallbackRequest("acc_local", query.get("code"), query, redirect,
                verifier));
        assertThat(granted).isInstanceOf(Granted.Connections.class);
        GrantedConnection c = ((Granted.Connections) granted).connections().get(0);
        assertThat(((Granted.Connections) granted).connections()).hasSize(1);
        assertThat(c.externalId()).isEqualTo("1234567890");
        assertThat(c.name()).isEqualTo("Local customer 1234567890");
        assertThat(c.refreshToken()).isEqualTo("local-google-refresh-token");
        assertThat(c.accessToken()).startsWith("ya29.local-");
    }
}
