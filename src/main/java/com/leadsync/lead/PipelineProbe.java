package com.leadsync.lead;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Named points between pipeline steps. Does nothing in production; tests replace it to crash the
 * pipeline right after a step and prove the work is retried, not lost or repeated.
 */
@ApplicationScoped
public class PipelineProbe {

    public void reached(String step, String key) {
        // Intentionally empty: a seam for fault-injection tests.
    }
}
