package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-03-07T14:30:00Z"), ZoneOffset.UTC);

    @Test
    void deltaSeconds() {
        assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 5 ", NOW)).isEqualTo(Duration.ofSeconds(5));
        assertThat(RetryAfter.parse("0", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void httpDateInTheFuture() {
        assertThat(RetryAfter.parse("Sat, 07 Mar 2026 14:31:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void httpDateInThePastIsNoWaitNotANegativeOne() {
        assertThat(RetryAfter.parse("Sat, 07 Mar 2026 14:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807", "99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"})
    void hostileValuesAreCappedSoNoArithmeticOverflows(String header) {
        assertThat(RetryAfter.parse(header, NOW)).isEqualTo(RetryAfter.LONGEST);
        assertThat(NOW.instant().plus(RetryAfter.parse(header, NOW)).toEpochMilli()).isPositive();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  ", "-5", "1.5", "soon", "2026-03-07T14:31:30Z"})
    void unusableValuesGiveNull(String header) {
        assertThat(RetryAfter.parse(header, NOW)).isNull();
    }
}
