package com.leadsync.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;

/** The API Gateway HTTP API (payload 2.0) response. */
@RegisterForReflection
public record HttpApiResponse(
        int statusCode,
        Map<String, String> headers,
        String body,
        @JsonProperty("isBase64Encoded") boolean isBase64Encoded) {

    public static HttpApiResponse json(int status, String body) {
        return new HttpApiResponse(status, Map.of("content-type", "application/json"), body, false);
    }

    public static HttpApiResponse text(int status, String body) {
        return body(status, "text/plain", body);
    }

    /** A body of that media type, in UTF-8. */
    public static HttpApiResponse body(int status, String mediaType, String body) {
        return new HttpApiResponse(status, Map.of("content-type", mediaType + "; charset=utf-8"), body, false);
    }
}
