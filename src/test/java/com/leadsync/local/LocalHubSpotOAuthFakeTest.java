package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The offline HubSpot token endpoint: a refresh as HubSpot answers it, and HubSpot's refusals (crm.md §A.1). */
class LocalHubSpotOAuthFakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalHubSpotOAuthFake hubspot = new LocalHubSpotOAuthFake(Set.of("local-hubspot-refresh-token"),
            Optional.of("local-client"), Optional.of("local-secret"),
            new MovableClock(Instant.parse("2026-03-17T15:00:00Z")), JSON);

    private static FakeRequest refresh(String refreshToken, String secret) {
        return FakeRequest.posting("http://localhost/_local/hubspot/oauth/v1/token",
                "grant_type=refresh_token&client_id=local-client&client_secret=" + secret + "&refresh_token="
                        + refreshToken, "Content-Type", "application/x-www-form-urlencoded");
    }

    private static JsonNode body(FakeReply reply) throws IOException {
        return JSON.readTree(reply.text());
    }

    @Test
    void a_known_refresh_token_gets_a_new_30_minute_access_token_and_itself_back() throws IOException {
        FakeReply reply = hubspot.token(refresh("local-hubspot-refresh-token", "local-secret"));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode tokens = body(reply);
        assertThat(tokens.path("access_token").asText()).startsWith("local-hubspot-at-");
        assertThat(tokens.path("expires_in").asLong()).isEqualTo(1800);
        assertThat(tokens.path("refresh_token").asText()).isEqualTo("local-hubspot-refresh-token");
        assertThat(body(hubspot.token(refresh("local-hubspot-refresh-token", "local-secret")))
                .path("access_token").asText()).isNotEqualTo(tokens.path("access_token").asText());
    }

    @Test
    void an_unknown_refresh_token_or_a_wrong_client_secret_is_refused_the_way_hubspot_does() throws IOException {
        FakeReply unknown = hubspot.token(refresh("revoked", "local-secret"));
        FakeReply badSecret = hubspot.token(refresh("local-hubspot-refresh-token", "wrong"));

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(body(unknown).path("status").asText()).isEqualTo("BAD_REFRESH_TOKEN");
        assertThat(badSecret.status()).isEqualTo(400);
        assertThat(body(badSecret).path("status").asText()).isEqualTo("BAD_CLIENT_SECRET");
    }
}
