package com.leadsync.source.meta;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.leadsync.connect.Connection;
import com.leadsync.connect.ConnectionStatus;
import com.leadsync.lead.ProviderType;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.ProviderCallException;
import com.leadsync.testing.Fakes;
import com.leadsync.store.ConnectionStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real REST client against a Graph API fake speaking providers.md §1.2/§1.6 shapes. */
@QuarkusTest
class MetaGraphApiTest {

    @Inject
    MetaLeadSource meta;

    @Inject
    ConnectionStore connections;

    private static final Connection PAGE = new Connection("con_1", "acc_1", ProviderType.META_LEAD_ADS,
            "106842931234567", "page-token-xyz", null, null, Map.of(), Instant.EPOCH, ConnectionStatus.ACTIVE, null);

    /** Fetches read the stored tokens (Credentials), and a 190 marks the page needs_reauth: each test starts afresh. */
    @BeforeEach
    void storedPage() {
        connections.findByRoute(PAGE.providerType(), PAGE.externalId()).ifPresent(connections::delete);
        connections.create(PAGE);
    }

    @ParameterizedTest(name = "HTTP {0}, Graph code {1} -> transient={2}")
    @CsvSource({"400,190,false", "400,100,false", "403,200,false", "400,4,true", "400,17,true", "400,613,true",
            "400,80005,true", "500,1,true", "503,2,true"})
    void graph_errors_are_classified(int status, int code, boolean transientFailure) {
        String leadId = "77" + status + code;
        Fakes.server().stubFor(get(urlPathEqualTo("/v25.0/" + leadId)).willReturn(aResponse().withStatus(status)
                .withHeader("content-type", "application/json")
                .withBody("{\"error\":{\"message\":\"Graph says no\",\"type\":\"OAuthException\",\"code\":" + code
                        + ",\"fbtrace_id\":\"AbC\"}}")));
        assertThatThrownBy(() -> meta.fetch(PAGE, notice(leadId)))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.isTransient()).isEqualTo(transientFailure);
                    assertThat(e.getMessage()).contains("Graph says no").contains("code " + code);
                });
    }

    @Test
    void fetch_sends_the_page_token_and_asks_for_the_lead_fields() {
        Fakes.server().stubFor(get(urlPathEqualTo("/v25.0/5550001"))
                .withHeader("Authorization", equalTo("Bearer page-token-xyz"))
                .withQueryParam("fields", equalTo(MetaLeadSource.LEAD_FIELDS))
                .willReturn(aResponse().withHeader("content-type", "application/json")
                        .withBody("{\"id\":\"5550001\",\"created_time\":\"2026-03-07T14:30:00+0000\",\"field_data\":[]}")));
        assertThat(meta.fetch(PAGE, notice("5550001")).payload().path("id").asText()).isEqualTo("5550001");
    }

    private static LeadNotice notice(String id) {
        return LeadNotice.idsOnly(ProviderType.META_LEAD_ADS, "106842931234567", id, "987654321098765", null, null);
    }
}
