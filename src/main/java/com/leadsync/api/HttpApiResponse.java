package com.leadsync.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API Gateway HTTP API (payload 2.0) response. Cookies to set go in {@code cookies} (each a {@code Set-Cookie}
 * value; API Gateway makes each one a header), left out of the JSON when there are none.
 */
@RegisterForReflection
public record HttpApiResponse(
        int statusCode,
        Map<String, String> headers,
        String body,
        @JsonProperty("isBase64Encoded") boolean isBase64Encoded,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> cookies) {

    public HttpApiResponse {
        cookies = cookies == null ? List.of() : List.copyOf(cookies);
    }

    /** A response that sets no cookie. */
    public HttpApiResponse(int statusCode, Map<String, String> headers, String body, boolean isBase64Encoded) {
        this(statusCode, headers, body, isBase64Encoded, List.of());
    }

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

    /** This response with one more header (or that header replaced). */
    public HttpApiResponse withHeader(String name, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new HttpApiResponse(statusCode, all, body, isBase64Encoded, cookies);
    }

    /** This response, also setting {@code setCookie} (a {@code Set-Cookie} header's value). */
    public HttpApiResponse withCookie(String setCookie) {
        List<String> all = new ArrayList<>(cookies);
        all.add(setCookie);
        return new HttpApiResponse(statusCode, headers, body, isBase64Encoded, all);
    }
}
