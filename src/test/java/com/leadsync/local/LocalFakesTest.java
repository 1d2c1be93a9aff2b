package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Local mode's offline fakes: what a sink shows to anyone who asks carries no credentials. */
@QuarkusTest
class LocalFakesTest {

    @Test
    void a_sink_shows_what_it_received_but_never_credential_headers() {
        String sink = "crm-" + UUID.randomUUID();
        String secret = "Bearer crm-secret-" + UUID.randomUUID();

        Scenario.given().header("Authorization", secret).header("Proxy-Authorization", "Basic c2VjcmV0")
                .header("X-Api-Key", "lsk_secret").header("Cookie", "session=secret")
                .header("Idempotency-Key", "ld_1").contentType("application/json").body(Map.of("email", "a@b.c"))
                .post("/_local/sink/" + sink).then().statusCode(200);

        String shown = Scenario.given().get("/_local/sink/" + sink).then().statusCode(200).extract().asString();
        assertThat(shown).doesNotContain("crm-secret").doesNotContain("c2VjcmV0").doesNotContain("lsk_secret")
                .doesNotContain("session=secret");
        JsonPath json = new JsonPath(shown);
        assertThat(json.getString("[0].headers.authorization")).isEqualTo("[redacted]");
        assertThat(json.getString("[0].headers.x-api-key")).isEqualTo("[redacted]");
        assertThat(json.getString("[0].headers.idempotency-key")).isEqualTo("ld_1");
        assertThat(json.getString("[0].body.email")).isEqualTo("a@b.c");
    }

    @Test
    void the_graph_fake_lists_the_sample_leads_by_form_within_the_time_filter_for_a_known_page_token() {
        JsonPath forms = Scenario.given().header("Authorization", "Bearer local-page-token")
                .get("/_local/meta-graph/v25.0/106842931234567/leadgen_forms?fields=id,name,status&limit=25")
                .then().statusCode(200).extract().jsonPath();
        assertThat(forms.getList("data.id")).containsExactly("987654321098765");
        assertThat(forms.getMap("paging")).isNull();

        String since = "[{\"field\":\"time_created\",\"operator\":\"GREATER_THAN\",\"value\":%d}]";
        JsonPath leads = Scenario.given().header("Authorization", "Bearer local-page-token")
                .queryParam("filtering", since.formatted(1772800000L))
                .get("/_local/meta-graph/v25.0/987654321098765/leads").then().statusCode(200).extract().jsonPath();
        assertThat(leads.getList("data.id")).containsExactly("1234567890123456");
        assertThat(leads.getString("data[0].field_data[1].name")).isEqualTo("email");
        assertThat(Scenario.given().header("Authorization", "Bearer local-page-token")
                .queryParam("filtering", since.formatted(1772893800L))
                .get("/_local/meta-graph/v25.0/987654321098765/leads").then().statusCode(200).extract().jsonPath()
                .getList("data")).as("created exactly at the bound: not greater").isEmpty();

        Scenario.given().header("Authorization", "Bearer someone-elses-token")
                .get("/_local/meta-graph/v25.0/106842931234567/leadgen_forms").then().statusCode(400)
                .body("error.code", equalTo(190));
    }
}
