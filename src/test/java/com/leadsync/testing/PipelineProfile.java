package com.leadsync.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Local mode as `quarkus:dev` runs it (queue pumps and schedules on), with short timings so that
 * redeliveries, leases and scheduled retries happen within a test. The pumps' batching window is short too: the
 * template's (1 s ingest, 2 s deliver) would add its whole length to every queue hop of a lead, since a test's few
 * messages never fill a batch.
 */
public class PipelineProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "leadsync.local.pumps", "true",
                "leadsync.local.schedule-period", "1s",
                "leadsync.local.batching-window", "100ms",
                "leadsync.local.visibility-timeout", "4",
                "leadsync.pipeline.lease", "3s",
                "leadsync.delivery.backoff", "1s,1s,1s");
    }
}
