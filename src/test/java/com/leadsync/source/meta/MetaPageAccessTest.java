package com.leadsync.source.meta;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.source.AccessCheck;
import com.leadsync.testing.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The page check against a Graph fake answering in providers.md §1.6 shapes, error bodies included. */
@QuarkusTest
class MetaPageAccessTest {

    @Inject
    MetaPageAccess access;

    private static Connection page(String pageId) {
        return new Connection("con_1", "acc_1", ProviderType.META_LEAD_ADS, pageId, "page-token-xyz", null, null,
                Map.of(), Instant.EPOCH, ConnectionStatus.ACTIVE, null);
    }

    private static void answer(String pageId, int status, String body) {
        Fakes.server().stubFor(get(urlPathEqualTo("/v25.0/" + pageId)).atPriority(1).willReturn(aResponse()
                .withStatus(status).withHeader("content-type", "application/json").withBody(body)));
    }

    @ParameterizedTest(name = "HTTP {0}, Graph code {1}/{2} -> {3}")
    @CsvSource({"400,190,463,NotReached", "400,100,33,NotReached", "400,803,0,NotReached", "403,10,0,NotReached",
            "400,4,0,Unavailable", "400,32,0,Unavailable", "500,2,0,Unavailable", "503,1,0,Unavailable"})
    void graph_errors_decide_between_not_reached_and_unavailable(int status, int code, int subcode, String outcome) {
        String pageId = "55" + status + code + subcode;
        answer(pageId, status, "{\"error\":{\"message\":\"Graph says no\",\"type\":\"OAuthException\",\"code\":" + code
                + (subcode == 0 ? "" : ",\"error_subcode\":" + subcode) + ",\"fbtrace_id\":\"AbC\"}}");

        AccessCheck check = access.check(page(pageId));

        assertThat(check.getClass().getSimpleName()).isEqualTo(outcome);
        assertThat(check.toString()).contains("Graph says no").contains("code " + code);
    }

    @Test
    void an_answer_for_another_object_is_not_reached() {
        answer("5512345", 200, "{\"name\":\"Someone else\",\"id\":\"5599999\"}");

        assertThat(access.check(page("5512345"))).isInstanceOf(AccessCheck.NotReached.class);
    }

    @Test
    void the_page_itself_is_reached() {
        answer("5554321", 200, "{\"name\":\"Acme\",\"id\":\"5554321\"}");

        assertThat(access.check(page("5554321"))).isInstanceOf(AccessCheck.Reached.class);
    }

    @Test
    void page_ids_are_digits_of_a_bounded_length() {
        assertThat(access.externalIdProblem("106842931234567")).isEmpty();
        assertThat(access.externalIdProblem("1".repeat(33))).get().asString().contains("externalId");
        assertThat(access.externalIdProblem("acme")).isPresent();
        assertThat(access.externalIdProblem("")).isPresent();
    }
}
