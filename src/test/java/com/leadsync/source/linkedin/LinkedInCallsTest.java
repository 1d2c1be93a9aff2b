package com.leadsync.source.linkedin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** providers.md §3.6 on LinkedIn's error bodies {@code {status, serviceErrorCode, code, message}}. */
class LinkedInCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "401|UNAUTHORIZED|{\"status\":401,\"serviceErrorCode\":65600,\"code\":\"INVALID_ACCESS_TOKEN\",\"message\":\"Invalid access token\"}",
        "401|UNAUTHORIZED|{\"status\":401,\"serviceErrorCode\":65601,\"code\":\"REVOKED_ACCESS_TOKEN\",\"message\":\"The token used in the request has been revoked by the user\"}",
        "403|FORBIDDEN|{\"status\":403,\"serviceErrorCode\":100,\"code\":\"ACCESS_DENIED\",\"message\":\"Not enough permissions to access: leadFormResponses.FINDER-owner.20260101\"}",
        "404|NOT_FOUND|{\"status\":404,\"serviceErrorCode\":0,\"code\":\"RESOURCE_NOT_FOUND\",\"message\":\"Not Found\"}",
        "429|THROTTLED|{\"status\":429,\"serviceErrorCode\":101,\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"Resource level throttle APPLICATION DAY limit for calls to this resource is reached.\"}",
        "426|INVALID|{\"status\":426,\"code\":\"NONEXISTENT_VERSION\",\"message\":\"Requested version 20230101 is not active\"}",
        "400|INVALID|{\"status\":400,\"serviceErrorCode\":100,\"code\":\"ILLEGAL_ARGUMENT\",\"message\":\"Invalid param. Please check for unencoded URN\"}",
        "400|INVALID|{\"message\":\"Invalid query parameters passed to request\",\"status\":400}",
        "500|TRANSIENT|{\"status\":500,\"message\":\"Internal Server Error\"}",
        "502|TRANSIENT|{}",
        "503|TRANSIENT|{\"status\":503,\"serviceErrorCode\":0,\"message\":\"Service Unavailable\"}",
        "504|TRANSIENT|{}",
        "422|INVALID|{\"status\":422,\"message\":\"Unprocessable\"}",
    })
    void each_documented_status_has_its_kind_and_the_message_says_what_linkedin_said(int status, Kind kind,
            String body) throws IOException {
        JsonNode error = JSON.readTree(body);

        ProviderCallException e = LinkedInCalls.failure(status, error, "list leads", null);

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.isTransient()).isEqualTo(kind == Kind.TRANSIENT || kind == Kind.THROTTLED);
        assertThat(e.getMessage()).startsWith("LinkedIn API " + status + " during list leads")
                .contains(error.path("message").asText(""))
                .contains(error.path("code").asText(""));
        assertThat(e.retryAfter()).isEmpty();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource({"401", "403", "500"})
    void an_error_body_that_is_not_linkedins_still_classifies_by_status(int status) {
        ProviderCallException e = LinkedInCalls.failure(status, JSON.createObjectNode(), "fetch lead x", null);

        assertThat(e.kind()).isEqualTo(LinkedInCalls.kind(status));
        assertThat(e.getMessage()).isEqualTo("LinkedIn API " + status + " during fetch lead x");
    }
}
