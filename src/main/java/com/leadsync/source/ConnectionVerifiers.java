package com.leadsync.source;

import com.leadsync.lead.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** All {@link ConnectionVerifier} implementations present in the build, by provider. */
@ApplicationScoped
public class ConnectionVerifiers {

    private final Map<ProviderType, ConnectionVerifier> byType = new EnumMap<>(ProviderType.class);

    ConnectionVerifiers(Instance<ConnectionVerifier> verifiers) {
        verifiers.forEach(v -> byType.put(v.type(), v));
    }

    public Optional<ConnectionVerifier> find(ProviderType type) {
        return Optional.ofNullable(byType.get(type));
    }
}
