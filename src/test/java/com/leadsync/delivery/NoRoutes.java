package com.leadsync.delivery;

import com.leadsync.model.StoredLead;
import java.util.List;
import java.util.Optional;

/** An account without flows, for the engine's unit tests: nothing routes a lead beyond its destinations. */
final class NoRoutes implements RoutedTargets {

    @Override
    public boolean owns(String key) {
        return false;
    }

    @Override
    public List<Route> route(StoredLead lead) {
        return List.of();
    }

    @Override
    public List<Route> routed(StoredLead lead) {
        return List.of();
    }

    @Override
    public Optional<DeliveryTarget> find(String key) {
        return Optional.empty();
    }

    @Override
    public Optional<Described> describe(String key) {
        return Optional.empty();
    }

    @Override
    public Optional<StoredLead> leadFor(String leadId, String key) {
        return Optional.empty();
    }
}
