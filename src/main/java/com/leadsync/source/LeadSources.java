package com.leadsync.source;

import com.leadsync.lead.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** All {@link LeadSource} implementations present in the build, by provider. */
@ApplicationScoped
public class LeadSources {

    private final Map<ProviderType, LeadSource> byType = new EnumMap<>(ProviderType.class);

    LeadSources(Instance<LeadSource> sources) {
        sources.forEach(s -> byType.put(s.type(), s));
    }

    public Optional<LeadSource> find(ProviderType type) {
        return Optional.ofNullable(byType.get(type));
    }
}
