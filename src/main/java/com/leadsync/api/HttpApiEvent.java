package com.leadsync.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API Gateway HTTP API (payload 2.0) event: the fields we use, as our own record so that JSON
 * binding is explicit (the SDK's Lombok class loses {@code isBase64Encoded}) and native-image friendly. Request
 * cookies come in {@code cookies} ({@code name=value} each), not in {@code headers}.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record HttpApiEvent(
        String version,
        String routeKey,
        String rawPath,
        String rawQueryString,
        List<String> cookies,
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

    /** The value of the first request cookie called {@code name}, or null. */
    public String cookie(String name) {
        for (String pair : cookiePairs(cookies == null ? List.of() : cookies)) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }

    /**
     * {@code Cookie} header values split into one trimmed {@code name=value} each, as API Gateway fills
     * {@code cookies}; an entry that already is one stays as it is.
     */
    public static List<String> cookiePairs(List<String> cookieHeaders) {
        List<String> out = new ArrayList<>();
        for (String header : cookieHeaders) {
            for (String pair : header == null ? new String[0] : header.split(";")) {
                if (!pair.isBlank()) {
                    out.add(pair.trim());
                }
            }
        }
        return out;
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
