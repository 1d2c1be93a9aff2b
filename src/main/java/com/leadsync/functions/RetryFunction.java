package com.leadsync.functions;

import com.leadsync.delivery.RetrySweep;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;
import java.util.Map;

/** Lambda {@code retry}: run every minute by EventBridge Scheduler; re-queues deliveries that are due. */
public class RetryFunction {

    @Inject
    RetrySweep sweep;

    @RegisterForReflection
    public record RetryResult(int requeued) {
    }

    @Funq("retry")
    public RetryResult retry(Map<String, Object> scheduleEvent) {
        return new RetryResult(sweep.run());
    }
}
