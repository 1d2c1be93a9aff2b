package com.leadsync.api;

import static com.leadsync.api.ApiTestSupport.as;
import static com.leadsync.api.ApiTestSupport.asJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.leadsync.connect.Credentials;
import com.leadsync.connect.CredentialsProfile;
import com.leadsync.connect.GrantRevoked;
import com.leadsync.connect.ScriptedTokenRefresher;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.store.ConnectionStore;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contract §5: a connection shows its {@code status}; a dead grant is {@code needs_reauth} until new tokens. */
@QuarkusTest
@TestProfile(CredentialsProfile.class)
class ConnectionStatusTest {

    /** A provider call that answers with the token it was given. */
    private static final Function<String, String> USES_TOKEN = token -> token;

    @Inject
    Credentials credentials;
    @Inject
    ConnectionStore connections;
    @Inject
    ScriptedTokenRefresher refresher;

    @BeforeEach
    void resetRefresher() {
        refresher.reset();
    }

    private static JsonPath item(String apiKey, String connectionId) {
        Response list = as(apiKey).get("/connections");
        assertThat(list.statusCode()).isEqualTo(200);
        return new JsonPath(list.asString()).setRootPath("items.find { it.id == '" + connectionId + "' }");
    }

    @Test
    void a_google_grant_revoked_at_refresh_shows_as_needs_reauth_with_its_reason_in_the_connection_list() {
        Scenario s = Scenario.withMetaPage();
        Connection google = new Connection("con_" + UUID.randomUUID().toString().replace("-", ""), s.accountId,
                ProviderType.GOOGLE_ADS, "12" + s.pageId.substring(0, 8), "at-" + UUID.randomUUID(),
                "rt-" + UUID.randomUUID(), Instant.now().plusSeconds(60), Map.of(), Instant.now(),
                ConnectionStatus.ACTIVE, null);
        connections.create(google);
        refresher.answer(refreshToken -> {
            throw new GrantRevoked("invalid_grant: Token has been expired or revoked.");
        });

        assertThatThrownBy(() -> credentials.call(google, USES_TOKEN)).hasMessageContaining("needs re-authorization");

        JsonPath parked = item(s.apiKey, google.connectionId());
        assertThat(parked.getString("status")).isEqualTo("needs_reauth");
        assertThat(parked.getString("statusReason")).contains("revoked").doesNotContain(google.refreshToken());
        assertThat(parked.getString("expiresAt")).isEqualTo(google.expiresAt().toString());
        String metaId = as(s.apiKey).get("/connections").jsonPath()
                .getString("items.find { it.providerType == 'meta_lead_ads' }.id");
        JsonPath meta = item(s.apiKey, metaId);
        assertThat(meta.getString("status")).isEqualTo("active");
        assertThat(meta.getMap("")).doesNotContainKey("statusReason");
    }

    @Test
    void put_with_new_tokens_makes_a_page_whose_token_was_rejected_active_again() {
        Scenario s = Scenario.withMetaPage();
        Connection page = connections.findByRoute(ProviderType.META_LEAD_ADS, s.pageId).orElseThrow();
        ProviderCallException rejected = new ProviderCallException(
                "Graph code 190: Error validating access token: The session has been invalidated", Kind.UNAUTHORIZED,
                null);
        assertThatThrownBy(() -> credentials.call(page, token -> {
            throw rejected;
        })).isSameAs(rejected);
        assertThat(item(s.apiKey, page.connectionId()).getString("status")).isEqualTo("needs_reauth");
        assertThatThrownBy(() -> credentials.call(page, USES_TOKEN)).hasMessageContaining("needs re-authorization");

        String rotated = Scenario.newPageToken(s.pageId);
        Response put = asJson(s.apiKey, Map.of("accessToken", rotated)).put("/connections/" + page.connectionId());

        assertThat(put.statusCode()).as(put.asString()).isEqualTo(200);
        assertThat(put.jsonPath().getString("status")).isEqualTo("active");
        assertThat(put.jsonPath().getMap("")).doesNotContainKey("statusReason");
        JsonPath listed = item(s.apiKey, page.connectionId());
        assertThat(listed.getString("status")).isEqualTo("active");
        assertThat(listed.getMap("")).doesNotContainKey("statusReason");
        // The caller's old copy of the connection (as the ingest cache may hold it) gets the new token.
        assertThat(credentials.call(page, USES_TOKEN)).isEqualTo(rotated);
    }
}
