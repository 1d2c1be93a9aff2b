package com.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
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

    /** The config keys of a destination of {@code type} that are sealed at rest and never shown: its own secrets and
     * the {@link Destination#TOKEN_KEYS}. */
    public Set<String> secretKeys(String type) {
        Set<String> keys = new java.util.TreeSet<>(Destination.TOKEN_KEYS);
        find(type).ifPresent(d -> keys.addAll(d.secretKeys()));
        return keys;
    }

    /**
     * Why a target cannot be sent to, as sentences; empty when it can: its type's own checks and its field mapping's
     * ({@link FieldMapper#validate}), each once. Asked on write (the routes answer 422) and before every send (what
     * was stored can go stale when a build changes what it accepts).
     */
    public List<String> problems(DeliveryTarget target) {
        Optional<Destination> destination = find(target.type());
        if (destination.isEmpty()) {
            return List.of("no destination type '" + target.type() + "' in this build");
        }
        List<String> problems = new ArrayList<>(destination.get().validate(target));
        problems.addAll(FieldMapper.validate(target.fieldMapping()));
        List<String> rate = RateLimitOverride.problems(target);
        problems.addAll(rate);
        if (rate.isEmpty() && target.config(RateLimitOverride.KEY) != null) {
            Pace pace = RateLimitOverride.apply(target, destination.get().pace(target));
            if (pace.requests() > 0 && pace.requests() < 2 * pace.requestsPerSend()) {
                problems.add("config.rateLimit must allow at least " + 2 * pace.requestsPerSend()
                        + " requests per window: one delivery to " + target.type() + " makes up to "
                        + pace.requestsPerSend() + " calls");
            }
        }
        return problems;
    }

    public Set<String> types() {
        return byType.keySet();
    }
}
