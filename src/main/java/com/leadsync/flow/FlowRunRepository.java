package com.leadsync.flow;

import java.util.List;

/** Recorded runs (implemented in {@code store/}): one per (lead, flow), listed per flow newest first. */
public interface FlowRunRepository {

    record Page(List<FlowRun> items, String nextCursor) {
    }

    /** Records the run unless the lead's run of that flow is recorded already; returns the recorded one. */
    FlowRun putIfAbsent(FlowRun run);

    /** The lead's runs, of every flow. */
    List<FlowRun> forLead(String leadId);

    /** One flow's runs, newest first; {@code cursor} from the previous page (an invalid one: IllegalArgumentException). */
    Page listForFlow(String flowId, int limit, String cursor);
}
