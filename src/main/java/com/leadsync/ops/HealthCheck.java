package com.leadsync.ops;

import java.time.Duration;

/** One dependency the service cannot work without, asked whether it answers (for {@code GET /health}). */
public interface HealthCheck {

    /** Retries included, well under the 5 s health-check timeout load balancers and uptime checks commonly use. */
    Duration TIMEOUT = Duration.ofSeconds(2);

    /** What it checks, as the health report names it ({@code dynamodb}, {@code sqs}). */
    String name();

    /**
     * One cheap call that needs the dependency to answer, within {@link #TIMEOUT}.
     *
     * @throws RuntimeException saying what failed when it does not answer
     */
    void probe();
}
