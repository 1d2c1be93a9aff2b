package com.leadsync.source.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code X-Business-Use-Case-Usage} as Graph sends it (providers.md §1.6), and what is made of a malformed one. */
class MetaUsageHeadersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String wait(String value) {
        return "{\"1\":[{\"estimated_time_to_regain_access\":" + value + "}]}";
    }

    @Test
    void the_wait_is_the_estimated_time_to_regain_access_in_minutes() {
        String header = "{\"106842931234567\":[{\"type\":\"ads_management\",\"call_count\":100,"
                + "\"total_cputime\":25,\"total_time\":25,\"estimated_time_to_regain_access\":7,"
                + "\"ads_api_access_tier\":\"standard_access\"}]}";

        assertThat(MetaUsageHeaders.regainAccess(JSON, header)).hasValue(Duration.ofMinutes(7));
    }

    @Test
    void the_longest_wait_of_any_entry_of_any_business_id_wins() {
        // Which type lead calls count against is [U]: every entry counts.
        String header = "{\"106842931234567\":["
                + "{\"type\":\"pages\",\"call_count\":12,\"estimated_time_to_regain_access\":0},"
                + "{\"type\":\"ads_management\",\"call_count\":100,\"estimated_time_to_regain_access\":12}],"
                + "\"987654321098765\":[{\"type\":\"ads_insights\",\"call_count\":98,"
                + "\"estimated_time_to_regain_access\":3}]}";

        assertThat(MetaUsageHeaders.regainAccess(JSON, header)).hasValue(Duration.ofMinutes(12));
    }

    @Test
    void a_fraction_of_a_minute_is_rounded_up_to_the_second_and_a_wait_over_a_day_is_read_as_a_day() {
        assertThat(MetaUsageHeaders.regainAccess(JSON, wait("0.505"))).hasValue(Duration.ofSeconds(31));
        assertThat(MetaUsageHeaders.regainAccess(JSON, wait("99999999999"))).hasValue(Duration.ofDays(1));
        assertThat(MetaUsageHeaders.regainAccess(JSON, wait("1e400"))).as("not a finite number").isEmpty();
    }

    @Test
    void malformed_entries_are_skipped_and_the_well_formed_ones_still_count() {
        String header = "{\"1\":[{\"estimated_time_to_regain_access\":\"soon\"},"
                + "{\"estimated_time_to_regain_access\":-5},{\"estimated_time_to_regain_access\":null},"
                + "\"not an entry\",{\"type\":\"pages\"}],"
                + "\"2\":{\"estimated_time_to_regain_access\":60},\"3\":42,"
                + "\"4\":[{\"estimated_time_to_regain_access\":4}]}";

        assertThat(MetaUsageHeaders.regainAccess(JSON, header)).hasValue(Duration.ofMinutes(4));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "not json", "{\"1\":[{\"estimated_time_to_regain_access\":7",
            "[{\"estimated_time_to_regain_access\":7}]", "7", "{}", "{\"1\":[]}",
            "{\"1\":[{\"type\":\"ads_management\",\"call_count\":100,\"estimated_time_to_regain_access\":0}]}"})
    void a_missing_malformed_or_zero_header_asks_for_no_particular_wait(String header) {
        assertThat(MetaUsageHeaders.regainAccess(JSON, header)).isEmpty();
    }
}
