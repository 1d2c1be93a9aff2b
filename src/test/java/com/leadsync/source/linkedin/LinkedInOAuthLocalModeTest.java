package com.leadsync.source.linkedin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.junit.jupiter.api.Test;

/**
 * What {@code ./mvnw quarkus:dev} clicks through: the platform pointed (as {@code %dev} points it) at the local
 * fakes this app serves — the consent stand-in, the token endpoint, the ad-account roles and lookups.
 */
@QuarkusTest
class LinkedInOAuthLocalModeTest {

    @Inject
    TokenEndpoint tokens;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;
    @ConfigProperty(name = "leadsync.linkedin.client-id")
    String clientId;
    @ConfigProperty(name = "leadsync.linkedin.client-secret")
    String clientSecret;

    @Test
    void the_local_consent_stand_in_and_fakes_grant_the_local_ad_account() {
        String local = TestHTTPResourceManager.getUri();
        LinkedInApi api = RestClientBuilder.newBuilder().baseUri(URI.create(local + "/_local/linkedin"))
                .build(LinkedInApi.class);
        LinkedInOAuth linkedin = new LinkedInOAuth(tokens, api, json, clock,
                local + "/_local/linkedin-oauth/oauth/v2/authorization",
                local + "/_local/linkedin-oauth/oauth/v2/accessToken", Optional.of(clientId),
                Optional.of(clientSecret), "202601", new MemorySize(BigInteger.valueOf(1024 * 1024)));
        String redirect = local + "/oauth/linkedin_ads/callback";
        URI consent = linkedin.authorizeUrl(new AuthorizeRequest("acc_local", "the-state", redirect, null));

        String back = Scenario.given().urlEncodingEnabled(false).redirects().follow(false).get(consent).then().statusCode(302).extract()
                .header("location");

        assertThat(back).startsWith(redirect + "?code=").endsWith("&state=the-state");
        Map<String, String> query = OAuthSteps.query(back);
        Granted granted = linkedin.complete(new CallbackRequest("acc_local", query.get("code"), query, redirect,
                null));
        List<GrantedConnection> accounts = ((Granted.Connections) granted).connections();
        assertThat(accounts).extracting(GrantedConnection::externalId).containsExactly("508915158");
        assertThat(accounts.get(0).name()).isEqualTo("Local ad account 508915158");
        assertThat(accounts.get(0).refreshToken()).isEqualTo("local-linkedin-refresh-token");
    }
}
