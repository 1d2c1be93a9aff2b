package com.leadsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.ops.Health;
import com.leadsync.ops.HealthCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /health} down: a 503 a load balancer understands, with the same body naming what failed. */
class HealthRouteTest {

    @Test
    void a_dependency_down_is_a_503_naming_it_and_not_cached() throws Exception {
        HealthCheck down = new HealthCheck() {
            @Override
            public String name() {
                return "dynamodb";
            }

            @Override
            public void probe() {
                throw new IllegalStateException("Requested resource not found");
            }
        };
        ObjectMapper mapper = new ObjectMapper();
        OpsRoutes routes = new OpsRoutes(new Health(List.of(down)), new Json(mapper));

        HttpApiResponse r = routes.health(null);

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers()).containsEntry("cache-control", "no-store")
                .containsEntry("content-type", "application/json");
        JsonNode body = mapper.readTree(r.body());
        assertThat(body.path("status").asText()).isEqualTo("down");
        assertThat(body.at("/checks/dynamodb/status").asText()).isEqualTo("down");
        assertThat(body.at("/checks/dynamodb/error").asText()).isEqualTo("Requested resource not found");
    }
}
