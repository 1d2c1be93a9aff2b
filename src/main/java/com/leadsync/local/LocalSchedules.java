package com.leadsync.local;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Stands in for EventBridge Scheduler: runs each scheduled function of template.yaml at its rate. */
@ApplicationScoped
public class LocalSchedules {

    private static final Logger LOG = Logger.getLogger(LocalSchedules.class);

    private final LocalInfrastructure infrastructure;
    private final LocalFunctions functions;
    private final boolean enabled;
    private final Optional<Duration> periodOverride;
    private final Set<String> off;
    private ScheduledExecutorService timer;

    LocalSchedules(LocalInfrastructure infrastructure, LocalFunctions functions,
            @ConfigProperty(name = "leadsync.local.pumps") boolean enabled,
            @ConfigProperty(name = "leadsync.local.schedule-period") Optional<Duration> periodOverride,
            @ConfigProperty(name = "leadsync.local.schedules-off") Optional<Set<String>> off) {
        this.infrastructure = infrastructure;
        this.functions = functions;
        this.enabled = enabled;
        this.periodOverride = periodOverride;
        this.off = off.orElse(Set.of());
    }

    void onStart(@Observes @Priority(40) StartupEvent event) {
        if (!enabled) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "local-schedules");
            t.setDaemon(true);
            return t;
        });
        for (StackTemplate.FunctionSpec f : infrastructure.ensure().functions()) {
            if (off.contains(f.export())) {
                LOG.infof("local schedule: %s is off (leadsync.local.schedules-off)", f.export());
                continue;
            }
            for (StackTemplate.ScheduleTrigger s : f.schedules()) {
                Duration period = periodOverride.orElse(s.period());
                timer.scheduleAtFixedRate(() -> run(f.export()), period.toMillis(), period.toMillis(),
                        TimeUnit.MILLISECONDS);
                LOG.infof("local schedule: %s every %s (%s)", f.export(), period, s.expression());
            }
        }
    }

    private void run(String export) {
        try {
            functions.scheduled(export);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // Caught so that the schedule keeps running: an escaping throwable would cancel it for good.
            LOG.warnf("scheduled %s failed: %s", export, e.toString());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
