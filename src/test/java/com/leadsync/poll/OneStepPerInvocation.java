package com.leadsync.poll;

import com.leadsync.testing.PipelineProfile;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The pipeline profile with no time box: every poll invocation walks one page and every schedule invocation
 * scans one page of two items, so continuations run on every walk and scan.
 */
public class OneStepPerInvocation implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(new PipelineProfile().getConfigOverrides());
        config.put("leadsync.poll.time-box", "0s");
        config.put("leadsync.poll.scan-page", "2");
        return config;
    }
}
