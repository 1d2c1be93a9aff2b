package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.event.EventTypes;
import com.leadsync.model.ProviderType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which events a webhook subscription receives: its provider's; lead.created only for event type "*" or "leadgen";
 * exactly the ones it lists in eventTypes.
 */
class SubscriptionTest {

    private static final String LEAD = EventTypes.LEAD_CREATED;

    private static Subscription subscription(ProviderType provider, String eventType) {
        return new Subscription("sub_1", "acc_1", provider, "https://hooks.example/leads", eventType, null,
                Instant.EPOCH);
    }

    @Test
    void matches_by_provider_and_event_type() {
        assertThat(subscription(ProviderType.META_LEAD_ADS, "leadgen").wants(LEAD, ProviderType.META_LEAD_ADS)).isTrue();
        assertThat(subscription(ProviderType.GOOGLE_ADS, "leadgen").wants(LEAD, ProviderType.META_LEAD_ADS)).isFalse();
        assertThat(subscription(ProviderType.META_LEAD_ADS, "*").wants(LEAD, ProviderType.META_LEAD_ADS)).isTrue();
        assertThat(subscription(ProviderType.META_LEAD_ADS, "ad_click").wants(LEAD, ProviderType.META_LEAD_ADS))
                .isFalse();
        assertThat(subscription(ProviderType.META_LEAD_ADS, "*").wants(EventTypes.DELIVERY_FAILED,
                ProviderType.META_LEAD_ADS)).as("without eventTypes: leads only").isFalse();
    }

    @Test
    void event_types_alone_decide_what_it_gets() {
        Subscription s = new Subscription("sub_1", "acc_1", ProviderType.LINKEDIN_ADS, "https://hooks.example/e", "*",
                null, Instant.EPOCH, List.of(EventTypes.DELIVERY_FAILED, EventTypes.IMPORT_COMPLETED));
        assertThat(s.wants(EventTypes.DELIVERY_FAILED, ProviderType.LINKEDIN_ADS)).isTrue();
        assertThat(s.wants(EventTypes.IMPORT_COMPLETED, ProviderType.LINKEDIN_ADS)).isTrue();
        assertThat(s.wants(LEAD, ProviderType.LINKEDIN_ADS)).as("not listed").isFalse();
        assertThat(s.wants(EventTypes.IMPORT_FAILED, ProviderType.LINKEDIN_ADS)).isFalse();
        assertThat(s.wants(EventTypes.DELIVERY_FAILED, ProviderType.META_LEAD_ADS)).as("another provider").isFalse();
        assertThat(s.target().config(Subscription.EVENT_TYPES)).isEqualTo("delivery.failed,import.completed");
    }

    @Test
    void its_delivery_target_carries_the_secret_but_does_not_print_it() {
        Subscription s = new Subscription("sub_1", "acc_1", ProviderType.META_LEAD_ADS, "https://hooks.example/l",
                "*", "whsec_c2VjcmV0", Instant.EPOCH);
        assertThat(s.target().config("callbackSecret")).isEqualTo("whsec_c2VjcmV0");
        assertThat(s.target().type()).isEqualTo(Subscription.TARGET_TYPE);
        assertThat(s.toString()).doesNotContain("whsec_");
        assertThat(s.target().toString()).doesNotContain("whsec_");
    }
}
