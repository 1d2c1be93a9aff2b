package com.leadsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@code GET /health}: DynamoDB and SQS asked at once, each bounded in time; down when either does not answer. */
@QuarkusTest
class HealthTest {

    private static HealthCheck check(String name, Runnable probe) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void probe() {
                probe.run();
            }
        };
    }

    @Test
    void the_emulators_answering_is_a_200_naming_each_check_without_a_key() {
        Response r = Scenario.given().get("/health");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.header("cache-control")).isEqualTo("no-store");
        JsonPath body = r.jsonPath();
        assertThat(body.getString("status")).isEqualTo("ok");
        assertThat(body.getMap("checks")).containsOnlyKeys("dynamodb", "sqs");
        assertThat(body.getString("checks.dynamodb.status")).isEqualTo("ok");
        assertThat(body.getString("checks.sqs.status")).isEqualTo("ok");
        assertThat(body.getLong("checks.sqs.latencyMs")).isBetween(0L, HealthCheck.TIMEOUT.toMillis());
    }

    @Test
    void a_check_that_fails_or_never_answers_makes_the_report_down_in_bounded_time() {
        CountDownLatch never = new CountDownLatch(1);
        Health health = new Health(List.of(
                check("sqs", () -> {
                    throw new IllegalStateException("Unable to execute HTTP request: Connect to 127.0.0.1:9324 failed");
                }),
                check("dynamodb", () -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }),
                check("kms", () -> { })));

        long start = System.nanoTime();
        Health.Report report = health.check();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        never.countDown();

        assertThat(report.up()).isFalse();
        assertThat(report.checks().keySet()).containsExactly("dynamodb", "kms", "sqs");
        assertThat(report.checks().get("sqs").error()).contains("Connect to 127.0.0.1:9324 failed");
        assertThat(report.checks().get("dynamodb").up()).isFalse();
        assertThat(report.checks().get("dynamodb").error()).startsWith("no answer within");
        assertThat(report.checks().get("kms").up()).isTrue();
        assertThat(tookMs).as("one grace period, the checks asked at once").isLessThan(
                HealthCheck.TIMEOUT.toMillis() + 2_000);
    }
}
