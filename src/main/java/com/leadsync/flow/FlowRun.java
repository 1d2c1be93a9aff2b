package com.leadsync.flow;

import com.leadsync.flow.FlowResult.Outcome;
import com.leadsync.model.StoredLead;
import java.time.Instant;
import java.util.List;

/**
 * A flow's run on one lead, recorded once per (lead, flow): the version that ran, what it did, and the flow's copy
 * of the lead its deliveries send ({@code lead}, kept only when there are {@code actions}).
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record FlowRun(
        String flowId,
        long flowVersion,
        String leadId,
        String accountId,
        Outcome outcome,
        List<StepTaken> steps,
        List<FlowAction> actions,
        StoredLead lead,
        Instant ranAt) {

    public FlowRun {
        steps = List.copyOf(steps);
        actions = List.copyOf(actions);
    }
}
