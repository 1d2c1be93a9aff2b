package com.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** All {@link Destination} implementations in the build, by type. */
@ApplicationScoped
public class Destinations {

    private final Map<String, Destination> byType = new TreeMap<>();

    Destinations(Instance<Destination> all) {
        all.forEach(d -> byType.put(d.type(), d));
    }

    public Optional<Destination> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    public Set<String> types() {
        return byType.keySet();
    }
}
