package com.leadsync.source.tiktok;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.model.ProviderCallException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** providers.md §4.6's codes (inside HTTP 200, as TikTok sends them) and the statuses seen without a code. */
class TikTokErrorsTest {

    @ParameterizedTest(name = "HTTP {0}, code {1} -> {2}")
    @CsvSource({
        "200, 40100, THROTTLED", "200, 40133, THROTTLED", "200, 40132, THROTTLED", "200, 61000, THROTTLED",
        "200, 40102, UNAUTHORIZED", "200, 40105, UNAUTHORIZED", "200, 40104, UNAUTHORIZED",
        "200, 40001, FORBIDDEN", "200, 40130, FORBIDDEN",
        "200, 40002, INVALID",
        "200, 50000, TRANSIENT", "200, 50002, TRANSIENT", "200, 40200, TRANSIENT", "200, 40201, TRANSIENT",
        "200, 51234, TRANSIENT",
        "200, 40007, INVALID",
        "200, -1, TRANSIENT",
        "502, -1, TRANSIENT", "503, 50000, TRANSIENT", "500, -1, TRANSIENT",
        "429, -1, THROTTLED", "429, 40100, THROTTLED",
        "401, -1, UNAUTHORIZED", "403, -1, FORBIDDEN", "404, -1, NOT_FOUND", "400, -1, INVALID",
        "400, 40105, UNAUTHORIZED"})
    void each_answer_is_classified_by_what_the_caller_should_do(int status, int code, Kind kind) {
        assertThat(TikTokErrors.kind(status, code)).isEqualTo(kind);
    }
}
