package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.model.ProviderType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which leads a webhook subscription receives: its provider's, for event type "*" or "leadgen". */
class SubscriptionTest {

    private static Subscription subscription(ProviderType provider, String eventType) {
        return new Subscription("sub_1", "acc_1", provider, "https://hooks.example/leads", eventType, null,
                Instant.EPOCH);
    }

    @Test
    void matches_by_provider_and_event_type() {
        assertThat(subscription(ProviderType.META_LEAD_ADS, "leadgen").matches(ProviderType.META_LEAD_ADS)).isTrue();
        assertThat(subscription(ProviderType.GOOGLE_ADS, "leadgen").matches(ProviderType.META_LEAD_ADS)).isFalse();
        assertThat(subscription(ProviderType.META_LEAD_ADS, "*").matches(ProviderType.META_LEAD_ADS)).isTrue();
        assertThat(subscription(ProviderType.META_LEAD_ADS, "ad_click").matches(ProviderType.META_LEAD_ADS)).isFalse();
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
