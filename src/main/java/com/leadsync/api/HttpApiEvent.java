package com.leadsync.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API Gateway HTTP API (payload 2.0) event: the fields we use, as our own record so that JSON
 * binding is explicit (the SDK's Lombok class loses {@code isBase64Encoded}) and native-image friendly.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record HttpApiEvent(
        String version,
        String routeKey,
        String rawPath,
        String rawQueryString,
        Map<String, String> headers,
        Map<String, String> queryStringParameters,
        Map<String, String> pathParameters,
        String body,
        @JsonProperty("isBase64Encoded") boolean isBase64Encoded,
        RequestContext requestContext) {

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RequestContext(String requestId, Http http, Long timeEpoch, String domainName) {

        public RequestContext(String requestId, Http http, Long timeEpoch) {
            this(requestId, http, timeEpoch, null);
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Http(String method, String path, String sourceIp) {
    }

    public String method() {
        return requestContext == null || requestContext.http() == null || requestContext.http().method() == null
                ? "GET" : requestContext.http().method().toUpperCase(Locale.ROOT);
    }

    public String path() {
        return rawPath == null ? "/" : rawPath;
    }

    /** Headers with lower-case names (HTTP API already lower-cases them; local callers may not). */
    public Map<String, String> lowerHeaders() {
        Map<String, String> out = new TreeMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        }
        return out;
    }

    public String header(String name) {
        return lowerHeaders().get(name.toLowerCase(Locale.ROOT));
    }

    public Map<String, String> query() {
        return queryStringParameters == null ? Map.of() : queryStringParameters;
    }

    /** The body as the client sent it, byte for byte (signatures are computed over these bytes). */
    public byte[] rawBody() {
        if (body == null) {
            return new byte[0];
        }
        return isBase64Encoded ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }
}
