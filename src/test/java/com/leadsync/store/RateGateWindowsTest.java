package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How RateGateStore cuts a CRM's window: never more than its limit in any rolling window, a whole send per cut. */
class RateGateWindowsTest {

    @Test
    void a_window_is_cut_in_ten_unless_a_send_would_not_fit_a_tenth() {
        assertThat(RateGateStore.subWindows(100, 1)).isEqualTo(10); // HubSpot: 9 per second
        assertThat(RateGateStore.subWindows(20, 5)).isEqualTo(3);   // Pipedrive: one delivery per 667 ms
        assertThat(RateGateStore.subWindows(5, 5)).isEqualTo(1);
        assertThat(RateGateStore.subWindows(1, 1)).isEqualTo(1);
    }

    @Test
    void no_rolling_window_sees_more_than_the_limit_and_each_cut_holds_a_send_when_the_limit_allows_two() {
        for (int requests = 1; requests <= 500; requests++) {
            for (int permits = 1; permits <= 10; permits++) {
                int k = RateGateStore.subWindows(requests, permits);
                int budget = Math.max(1, requests / (k + 1));
                if (requests >= 2) {
                    assertThat(budget * (k + 1)).as("%d/%d", requests, permits).isLessThanOrEqualTo(requests);
                }
                if (requests >= 2 * permits) {
                    assertThat(budget).as("%d/%d", requests, permits).isGreaterThanOrEqualTo(permits);
                }
            }
        }
    }
}
