package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
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

    @Test
    void the_google_ads_fake_answers_on_its_rest_paths_in_googles_error_shape() {
        Scenario.given().header("Authorization", "Bearer not-a-google-token").header("developer-token", "x")
                .contentType("application/json").body("{\"query\":\"SELECT customer.id FROM customer\"}")
                .post("/_local/google-ads/v23/customers/1234567890/googleAds:search").then().statusCode(401)
                .body("error.status", equalTo("UNAUTHENTICATED"))
                .body("error.details[0].'@type'",
                        equalTo("type.googleapis.com/google.ads.googleads.v23.errors.GoogleAdsFailure"));
        Scenario.given().header("Authorization", "Bearer local-google-token").contentType("application/json")
                .body("{\"query\":\"SELECT customer.id FROM customer\"}")
                .post("/_local/google-ads/v23/customers/123-456-7890/googleAds:search").then().statusCode(400)
                .body("error.details[0].errors[0].errorCode.requestError", equalTo("INVALID_CUSTOMER_ID"));
        Scenario.given().contentType("application/x-www-form-urlencoded")
                .body("grant_type=refresh_token&refresh_token=x&client_id=someone&client_secret=guess")
                .post("/_local/google-oauth/token").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void the_linkedin_fake_lists_the_shipped_responses_as_the_asked_accounts() {
        JsonPath page = new JsonPath(Scenario.given().header("Authorization", "Bearer local-linkedin-token")
                .header("LinkedIn-Version", "202601").header("X-Restli-Protocol-Version", "2.0.0").urlEncodingEnabled(false)
                .get("/_local/linkedin/rest/leadFormResponses?q=owner"
                        + "&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A42)&leadType=(leadType:SPONSORED)"
                        + "&fields=id,owner,submittedAt,formResponse,form:(id,name,content)&start=0&count=2")
                .then().statusCode(200).extract().asString());
        assertThat(page.getList("elements.id", String.class)).hasSize(2);
        assertThat(page.getList("elements.owner.sponsoredAccount", String.class))
                .containsOnly("urn:li:sponsoredAccount:42");
        assertThat(page.getInt("paging.total")).isEqualTo(3);
        assertThat(page.getString("elements[0].form.name")).isEqualTo("Demo request");

        Scenario.given().header("Authorization", "Bearer local-linkedin-token").header("LinkedIn-Version", "202601")
                .get("/_local/linkedin/rest/leadFormResponses/249592fc-d272-44ba-a7db-c2bdce579507-6").then()
                .statusCode(200).body("formResponse.answers[0].questionId", equalTo(1));
        Scenario.given().header("Authorization", "Bearer local-linkedin-token").header("LinkedIn-Version", "202601")
                .get("/_local/linkedin/rest/adAccounts/42").then().statusCode(200).body("id", equalTo(42));
        Scenario.given().header("Authorization", "Bearer not-a-linkedin-token").header("LinkedIn-Version", "202601")
                .get("/_local/linkedin/rest/adAccounts/42").then().statusCode(401)
                .body("serviceErrorCode", equalTo(65600));
    }

    @Test
    void the_tiktok_fake_runs_a_download_task_to_the_shipped_csv_with_its_bom() {
        String advertiser = "7012345678901234567";
        Scenario.given().header("Access-Token", "local-tiktok-token")
                .get("/_local/tiktok/v1.3/advertiser/info/?advertiser_ids=[\"" + advertiser + "\"]").then()
                .statusCode(200).body("code", equalTo(0)).body("data.list[0].advertiser_id", equalTo(advertiser));
        String task = Scenario.given().header("Access-Token", "local-tiktok-token").contentType("application/json")
                .body("{\"advertiser_id\":\"" + advertiser + "\",\"page_id\":\"7123456789012345678\"}")
                .post("/_local/tiktok/v1.3/page/lead/task/").then().statusCode(200).body("data.status", equalTo("CREATED"))
                .extract().path("data.task_id");
        for (String status : new String[] {"RUNNING", "SUCCEED"}) {
            Scenario.given().header("Access-Token", "local-tiktok-token").contentType("application/json")
                    .body("{\"advertiser_id\":\"" + advertiser + "\",\"task_id\":\"" + task + "\"}")
                    .post("/_local/tiktok/v1.3/page/lead/task/").then().statusCode(200)
                    .body("data.status", equalTo(status));
        }
        byte[] file = Scenario.given().header("Access-Token", "local-tiktok-token")
                .get("/_local/tiktok/v1.3/page/lead/task/download/?advertiser_id=" + advertiser + "&task_id=" + task)
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asByteArray();
        assertThat(new String(file, 0, 3, StandardCharsets.ISO_8859_1)).isEqualTo("\u00EF\u00BB\u00BF");
        assertThat(new String(file, StandardCharsets.UTF_8)).contains("7433000000000000001,").contains("\"Acme, Inc.\"");
    }
}
