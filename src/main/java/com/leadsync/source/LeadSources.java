package com.leadsync.source;

import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every source capability present in the build, by provider: a platform implements only those it has
 * (Google and TikTok push whole leads, so they have no fetcher).
 */
@ApplicationScoped
public class LeadSources {

    private final Map<ProviderType, WebhookReceiver> receivers;
    private final Map<ProviderType, LeadFetcher> fetchers;
    private final Map<ProviderType, LeadMapper> mappers;
    private final Map<ProviderType, LeadLister> listers;
    private final Map<ProviderType, ConnectionVerifier> verifiers;
    private final Map<ProviderType, LeadFingerprinter> fingerprinters;

    LeadSources(Instance<WebhookReceiver> receivers, Instance<LeadFetcher> fetchers, Instance<LeadMapper> mappers,
            Instance<LeadLister> listers, Instance<ConnectionVerifier> verifiers,
            Instance<LeadFingerprinter> fingerprinters) {
        this.receivers = byType(receivers, WebhookReceiver::type);
        this.fetchers = byType(fetchers, LeadFetcher::type);
        this.mappers = byType(mappers, LeadMapper::type);
        this.listers = byType(listers, LeadLister::type);
        this.verifiers = byType(verifiers, ConnectionVerifier::type);
        this.fingerprinters = byType(fingerprinters, LeadFingerprinter::type);
    }

    public Optional<WebhookReceiver> receiver(ProviderType type) {
        return Optional.ofNullable(receivers.get(type));
    }

    public Optional<LeadFetcher> fetcher(ProviderType type) {
        return Optional.ofNullable(fetchers.get(type));
    }

    public Optional<LeadMapper> mapper(ProviderType type) {
        return Optional.ofNullable(mappers.get(type));
    }

    public Optional<LeadLister> lister(ProviderType type) {
        return Optional.ofNullable(listers.get(type));
    }

    public Optional<ConnectionVerifier> verifier(ProviderType type) {
        return Optional.ofNullable(verifiers.get(type));
    }

    public Optional<LeadFingerprinter> fingerprinter(ProviderType type) {
        return Optional.ofNullable(fingerprinters.get(type));
    }

    private static <T> Map<ProviderType, T> byType(Instance<T> all, Function<T, ProviderType> type) {
        Map<ProviderType, T> out = new EnumMap<>(ProviderType.class);
        for (T capability : all) {
            T previous = out.put(type.apply(capability), capability);
            if (previous != null) {
                throw new IllegalStateException("two " + capability.getClass().getInterfaces()[0].getSimpleName()
                        + " for " + type.apply(capability) + ": " + previous.getClass() + ", " + capability.getClass());
            }
        }
        return out;
    }
}
