package com.leadsync.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Asks every {@link HealthCheck} at once and says whether all answered. */
@ApplicationScoped
public class Health {

    private static final Logger LOG = Logger.getLogger(Health.class);
    private static final Duration GRACE = HealthCheck.TIMEOUT.plusMillis(500);

    /** How one check went: {@code error} null when it answered. */
    public record Outcome(boolean up, long latencyMs, String error) {
    }

    /** Every check's outcome by name; {@code up} when all are. */
    public record Report(boolean up, Map<String, Outcome> checks) {
    }

    private final List<HealthCheck> checks = new ArrayList<>();

    @Inject
    Health(Instance<HealthCheck> checks) {
        this(checks.stream().toList());
    }

    public Health(List<HealthCheck> checks) {
        this.checks.addAll(checks);
        this.checks.sort(Comparator.comparing(HealthCheck::name));
    }

    public Report check() {
        Map<String, CompletableFuture<Outcome>> running = new LinkedHashMap<>();
        for (HealthCheck c : checks) {
            // A check that ignores its timeout still gets an answer in time: down.
            running.put(c.name(), CompletableFuture.supplyAsync(() -> run(c)).completeOnTimeout(
                    new Outcome(false, GRACE.toMillis(), "no answer within " + GRACE.toMillis() + " ms"),
                    GRACE.toMillis(), TimeUnit.MILLISECONDS));
        }
        Map<String, Outcome> out = new LinkedHashMap<>();
        running.forEach((name, f) -> out.put(name, f.join()));
        return new Report(out.values().stream().allMatch(Outcome::up), out);
    }

    private static Outcome run(HealthCheck c) {
        long start = System.nanoTime();
        try {
            c.probe();
            return new Outcome(true, elapsedMs(start), null);
        } catch (RuntimeException e) {
            LOG.warnf("health check %s failed: %s", c.name(), e.toString());
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(false, elapsedMs(start), message.length() > 300 ? message.substring(0, 300) : message);
        }
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
