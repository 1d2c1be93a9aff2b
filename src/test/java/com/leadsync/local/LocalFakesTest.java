package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;

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
}
