package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpOutcomesTest {

    private static Function<String, String> headers(Map<String, String> values) {
        return name -> values.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    @ParameterizedTest(name = "{0} (Retry-After ''{1}'') -> {2}")
    @CsvSource(nullValues = "-", value = {
            "200, -,  SUCCESS,   -",
            "201, -,  SUCCESS,   -",
            "204, -,  SUCCESS,   -",
            "301, -,  PERMANENT, -",
            "400, -,  PERMANENT, -",
            "401, -,  PERMANENT, -",
            "404, -,  PERMANENT, -",
            "409, -,  PERMANENT, -",
            "410, -,  PERMANENT, -",
            "423, 2,  RETRYABLE, 2",
            "429, -,  RATE_LIMITED, -",
            "429, 30, RATE_LIMITED, 30",
            "477, 60, RETRYABLE, 60",
            "500, -,  RETRYABLE, -",
            "503, 7,  RETRYABLE, 7",
            "599, -,  RETRYABLE, -",
    })
    void classifiesByStatus(int status, String retryAfter, String expected, Long expectedWaitSeconds) throws Exception {
        Function<String, String> header = headers(retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter));
        String body = "{\"error\":\"nope\"}";
        if (expected.equals("SUCCESS")) {
            DeliveryReceipt receipt = HttpOutcomes.receiptOrThrow(status, header, body);
            assertThat(receipt.httpStatus()).isEqualTo(status);
            return;
        }
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> HttpOutcomes.receiptOrThrow(status, header, body));
        assertThat(e.kind()).hasToString(expected);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.getMessage()).contains("HTTP " + status).contains("{\"error\":\"nope\"}");
        assertThat(e.retryAfter()).isEqualTo(expectedWaitSeconds == null ? null : Duration.ofSeconds(expectedWaitSeconds));
    }

    @Test
    void permanentFailuresIgnoreRetryAfter() {
        DeliveryException e = HttpOutcomes.failure(400, headers(Map.of("Retry-After", "10")), "bad");
        assertThat(e.retryable()).isFalse();
        assertThat(e.retryAfter()).isNull();
    }

    @Test
    void redirectsAreFailuresThatSayWhereTheyPointed() {
        assertThatThrownBy(() -> HttpOutcomes.receiptOrThrow(302, headers(Map.of("Location", "https://elsewhere.example/x")), ""))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("302").contains("not followed").contains("https://elsewhere.example/x");
                });
    }

    @Test
    void bodySnippetIsCappedAndOnOneLine() {
        String body = "line one\n\tline two " + "x".repeat(1000);
        DeliveryException e = HttpOutcomes.failure(400, headers(Map.of()), HttpOutcomes.describe(400, headers(Map.of()), body));
        assertThat(HttpOutcomes.snippet(body)).hasSize(HttpOutcomes.SNIPPET_CHARS).startsWith("line one line two x");
        assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThanOrEqualTo(HttpOutcomes.SNIPPET_CHARS + 20);
    }

    @Test
    void transportFailuresAreRetryable() {
        for (IOException cause : new IOException[] {new HttpTimeoutException("request timed out"),
                new ConnectException(), new UnknownHostException("nowhere.invalid"), new IOException("reset")}) {
            DeliveryException e = HttpOutcomes.transportFailure(cause, Duration.ofSeconds(15));
            assertThat(e.retryable()).as(cause.toString()).isTrue();
            assertThat(e.httpStatus()).isNull();
            assertThat(e.getCause()).isSameAs(cause);
        }
        assertThat(HttpOutcomes.transportFailure(new HttpTimeoutException("x"), Duration.ofSeconds(15)).getMessage())
                .contains("15000 ms");
    }
}
