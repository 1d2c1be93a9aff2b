package com.leadsync.bench;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks that walk a generated listing (poll and import): pumps as in local mode (4 pollers per SQS
 * trigger), the production time box and leases that fit it, SQS in a JVM of its own ({@link ForkedSqs}) so that
 * queued messages are not on the measured heap. One profile, so Quarkus starts once for both.
 */
public class ListingWalkProfile implements QuarkusTestProfile {
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ForkedSqs.Resource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "leadsync.local.pumps", "true",
                "leadsync.local.pollers-per-queue", "4",
                // lease + time box + a page < visibility timeout, as in the template
                "leadsync.local.visibility-timeout", "120",
                "leadsync.pipeline.lease", "60s",
                "leadsync.poll.lease", "60s",
                "leadsync.poll.time-box", "40s",
                // longest-page (50 s) < lease, and lease + the import function's 60 s < visibility timeout
                "leadsync.import.lease", "55s",
                "quarkus.log.category.\"com.leadsync\".level", "WARN");
    }
}
