package com.leadsync.flow;

import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The reads flows make for every new lead, cached per function instance: an account's flows for
 * {@code quarkus.cache.caffeine."account-flows".expire-after-write} (so an edit takes effect within that time), and
 * flow versions for as long as the cache keeps them (a version never changes).
 */
@ApplicationScoped
public class AccountFlows {

    private final FlowRepository flows;

    AccountFlows(FlowRepository flows) {
        this.flows = flows;
    }

    @CacheResult(cacheName = "account-flows")
    public List<Flow> of(String accountId) {
        return flows.listByAccount(accountId);
    }

    @CacheResult(cacheName = "flow-versions")
    public Optional<Flow> version(String flowId, long version) {
        return flows.version(flowId, version);
    }
}
