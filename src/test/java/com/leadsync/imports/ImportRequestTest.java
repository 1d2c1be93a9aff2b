package com.leadsync.imports;

import static com.leadsync.imports.ImportTests.connectionId;
import static com.leadsync.imports.ImportTests.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.store.Schema;
import com.leadsync.store.TableNames;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Every bad start of an import: the contract's status, a message naming the field, and no job. */
@QuarkusTest
class ImportRequestTest {

    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "unknown providerType|{\"providerType\":\"myspace_ads\",\"formId\":\"123\"}|422|unknown providerType 'myspace_ads'",
            "no providerType|{\"formId\":\"123\"}|422|'providerType' is required",
            "no formId|{\"providerType\":\"meta_lead_ads\"}|422|'formId' is required",
            "a formId that is no Meta id|{\"providerType\":\"meta_lead_ads\",\"formId\":\"form-1\"}|422|'formId'",
            "since after until|{\"providerType\":\"meta_lead_ads\",\"formId\":\"123\",\"since\":\"2026-03-02T00:00:00Z\",\"until\":\"2026-03-01T00:00:00Z\"}|422|'since' must not be after 'until'",
            "since not an instant|{\"providerType\":\"meta_lead_ads\",\"formId\":\"123\",\"since\":\"yesterday\"}|422|'since' must be an ISO-8601 instant",
            "no connection of that provider|{\"providerType\":\"google_ads\",\"formId\":\"123\"}|422|no google_ads connection",
            "an unknown connectionId|{\"providerType\":\"meta_lead_ads\",\"formId\":\"123\",\"connectionId\":\"con_nope\"}|422|'connectionId'",
            "not JSON|{\"providerType\":|400|not valid JSON"})
    void a_bad_import_request_is_refused_and_creates_no_job(String name, String body, int status, String message) {
        Scenario s = Scenario.withMetaPage();

        start(s, body).then().statusCode(status).body("message", containsString(message));

        assertThat(jobs(s)).as("jobs of the account").isZero();
    }

    @Test
    void several_connections_of_the_provider_need_a_connection_id() {
        Scenario s = Scenario.withMetaPage();
        String second = Scenario.newPageId();
        Scenario.connectPage(s.apiKey, second, Scenario.newPageToken(second)).then().statusCode(201);

        start(s, "{\"providerType\":\"meta_lead_ads\",\"formId\":\"123\"}").then().statusCode(422)
                .body("message", containsString("'connectionId' is required"))
                .body("message", containsString(connectionId(s)));
        start(s, "{\"providerType\":\"meta_lead_ads\",\"formId\":\"123\",\"connectionId\":\"" + connectionId(s)
                + "\"}").then().statusCode(202).body("status", equalTo("queued"));
    }

    @Test
    void a_connection_that_needs_re_authorization_cannot_import() {
        Scenario s = Scenario.withMetaPage();
        // As Credentials marks a dead grant.
        dynamo.updateItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                .key(Map.of("routeKey", AttributeValue.fromS(Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId))))
                .updateExpression("SET #st = :s, statusReason = :r").expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(ConnectionStatus.NEEDS_REAUTH.wireName()),
                        ":r", AttributeValue.fromS("invalid_grant: token revoked"))));

        start(s, "{\"providerType\":\"meta_lead_ads\",\"formId\":\"123\"}").then().statusCode(422)
                .body("message", containsString("re-authorized"));
        assertThat(jobs(s)).isZero();
    }

    @Test
    void the_admin_key_names_the_account_and_an_unknown_job_is_404() {
        Scenario s = Scenario.withMetaPage();
        Scenario.given().header("x-api-key", "test-admin-key").contentType("application/json")
                .body("{\"providerType\":\"meta_lead_ads\",\"formId\":\"123\"}").post("/leads/import").then()
                .statusCode(422).body("message", containsString("must name the account"));
        Scenario.given().header("x-api-key", "test-admin-key").contentType("application/json")
                .body("{\"accountId\":\"" + s.accountId + "\",\"providerType\":\"meta_lead_ads\",\"formId\":\"123\"}")
                .post("/leads/import").then().statusCode(202);
        Scenario.given().header("x-api-key", s.apiKey).get("/leads/import/imp_" + UUID.randomUUID()).then()
                .statusCode(404).body("error", equalTo("not_found"));
        Scenario.given().post("/leads/import").then().statusCode(401);
    }

    private static int jobs(Scenario s) {
        return Scenario.given().header("x-api-key", s.apiKey).get("/leads/import").then().statusCode(200).extract()
                .jsonPath().getList("items").size();
    }
}
