package com.leadsync.flow;

import com.leadsync.model.StoredLead;
import java.util.List;

/** What a flow makes of a lead: the outcome, the steps taken, the deliveries asked for and the flow's copy of it. */
public record FlowResult(Outcome outcome, List<StepTaken> steps, List<FlowAction> actions, StoredLead lead) {

    public enum Outcome {
        FILTERED, COMPLETED, FAILED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public FlowResult {
        steps = List.copyOf(steps);
        actions = List.copyOf(actions);
    }
}
