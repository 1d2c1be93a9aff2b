package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Local mode's offline fakes, as routed in the running application: what a sink shows to anyone who asks carries no
 * credentials, and each platform's fake answers on its REST client's path from the shipped samples.
 */
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
    void the_graph_fake_lists_the_shipped_sample_form_and_serves_its_leads() {
        String forms = Scenario.given().header("Authorization", "Bearer local-page-token")
                .get("/_local/meta-graph/v25.0/106842931234567/leadgen_forms?fields=id,name,status").then()
                .statusCode(200).extract().asString();
        assertThat(new JsonPath(forms).getList("data.id", String.class)).contains("987654321098765");

        JsonPath leads = new JsonPath(Scenario.given().header("Authorization", "Bearer local-page-token")
                .get("/_local/meta-graph/v25.0/987654321098765/leads?limit=1").then().statusCode(200).extract()
                .asString());
        assertThat(leads.getList("data.id", String.class)).containsExactly("1234567890123456");
        assertThat(leads.getString("paging.next")).contains("/_local/meta-graph/v25.0/987654321098765/leads?limit=1&after=");

        Scenario.given().header("Authorization", "Bearer local-page-token")
                .get("/_local/meta-graph/v25.0/1234567890123456?fields=id,form_id,field_data").then().statusCode(200)
                .body("form_id", equalTo("987654321098765"));
        Scenario.given().header("Authorization", "Bearer not-a-page-token")
                .get("/_local/meta-graph/v25.0/1234567890123456").then().statusCode(400)
                .body("error.code", equalTo(190));
    }
}
