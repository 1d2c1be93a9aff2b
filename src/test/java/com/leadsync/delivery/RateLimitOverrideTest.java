package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitOverrideTest {

    private static DeliveryTarget withRateLimit(String value) {
        return DestinationTestLeads.target("hubspot", value == null ? Map.of() : Map.of("rateLimit", value), Map.of());
    }

    @Test
    void an_override_replaces_the_declared_requests_per_window_and_keeps_the_rest() {
        Pace declared = Pace.of(100, Duration.ofSeconds(10)).withConcurrency(3).withRequestsPerSend(2);

        assertThat(RateLimitOverride.apply(withRateLimit("190/10s"), declared))
                .isEqualTo(new Pace(190, Duration.ofSeconds(10), 3, 2));
        assertThat(RateLimitOverride.apply(withRateLimit(" 40000 / 1d "), declared).window())
                .isEqualTo(Duration.ofDays(1));
        assertThat(RateLimitOverride.apply(withRateLimit(null), declared)).isSameAs(declared);
    }

    @Test
    void a_malformed_or_senseless_override_is_a_config_problem() {
        assertThat(RateLimitOverride.problems(withRateLimit("190 per 10s"))).singleElement().asString()
                .contains("\"<requests>/<duration>\"", "190/10s");
        assertThat(RateLimitOverride.problems(withRateLimit("0/10s"))).singleElement().asString()
                .contains("at least 1 request");
        assertThat(RateLimitOverride.problems(withRateLimit("10/0s"))).hasSize(1);
        assertThat(RateLimitOverride.problems(withRateLimit("10/2d"))).singleElement().asString().contains("1d");
        assertThat(RateLimitOverride.problems(withRateLimit("250/10s"))).isEmpty();
        assertThat(RateLimitOverride.problems(withRateLimit(null))).isEmpty();
    }
}
