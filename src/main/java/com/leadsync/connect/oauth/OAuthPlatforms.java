package com.leadsync.connect.oauth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Set;

/** Every {@link OAuthPlatform} of this build, by type. */
@ApplicationScoped
public class OAuthPlatforms {

    private final Map<String, OAuthPlatform> byType = new TreeMap<>();

    OAuthPlatforms(Instance<OAuthPlatform> platforms) {
        platforms.forEach(p -> {
            if (byType.put(p.type(), p) != null) {
                throw new IllegalStateException("two OAuth platforms for type " + p.type());
            }
        });
    }

    public Optional<OAuthPlatform> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    public Set<String> types() {
        return new TreeSet<>(byType.keySet());
    }
}
