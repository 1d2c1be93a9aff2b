package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** Local mode's HubSpot property list: what the test route of a local HubSpot destination reads. */
@QuarkusTest
class LocalHubSpotPropertiesFakeTest {

    @Test
    void the_fake_lists_the_properties_a_default_mapping_and_a_lead_id_property_write() {
        JsonPath properties = new JsonPath(Scenario.given().header("Authorization", "Bearer pat-local")
                .get("/_local/hubspot/crm/v3/properties/contacts").then().statusCode(200)
                .contentType("application/json").extract().asString());

        assertThat(properties.getList("results.name", String.class))
                .contains("email", "firstname", "lastname", "phone", "company", "leadsync_lead_id");
        assertThat(properties.getList("results.type", String.class)).containsOnly("string");
    }
}
