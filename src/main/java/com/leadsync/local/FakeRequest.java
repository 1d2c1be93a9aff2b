package com.leadsync.local;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an offline fake reads of a request: the URL as sent (the raw query, because some platforms care how a value
 * was encoded), the headers by lower-case name and the body. The fakes answer from this alone, so a test can hand
 * them a request without an HTTP server.
 */
record FakeRequest(String url, Map<String, String> headers, byte[] body) {

    FakeRequest {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((name, value) -> lower.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b));
        headers = Map.copyOf(lower);
        body = body == null ? new byte[0] : body;
    }

    static FakeRequest of(RoutingContext ctx) {
        Map<String, String> headers = new HashMap<>();
        ctx.request().headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(),
                (a, b) -> a + "," + b));
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        return new FakeRequest(ctx.request().absoluteURI(), headers, body == null ? null : body.getBytes());
    }

    /** A request without a body; {@code headers} are name, value pairs. */
    static FakeRequest to(String url, String... headers) {
        return posting(url, null, headers);
    }

    /** A request with {@code body} (UTF-8); {@code headers} are name, value pairs. */
    static FakeRequest posting(String url, String body, String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return new FakeRequest(url, map, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The query as sent, without the {@code ?}; empty when there is none. */
    String rawQuery() {
        int q = url.indexOf('?');
        int hash = url.indexOf('#');
        return q < 0 ? "" : url.substring(q + 1, hash > q ? hash : url.length());
    }

    /** Every decoded value of query parameter {@code name}, in order. */
    List<String> params(String name) {
        return values(rawQuery(), name);
    }

    /** The first value of {@code name} in a form-encoded ({@code application/x-www-form-urlencoded}) body, or null. */
    String form(String name) {
        List<String> values = values(bodyText(), name);
        return values.isEmpty() ? null : values.get(0);
    }

    private static List<String> values(String encoded, String name) {
        List<String> values = new ArrayList<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!pair.isEmpty() && key.equals(name)) {
                values.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    /** A malformed escape is kept as sent: the fake then refuses the value the way its platform would. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** The first decoded value of query parameter {@code name}, or null. */
    String param(String name) {
        List<String> values = params(name);
        return values.isEmpty() ? null : values.get(0);
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null. */
    String bearerToken() {
        String auth = header("authorization");
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The URL with every {@code name} parameter replaced by one {@code name=value} (value URL-encoded). */
    String withParam(String name, String value) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        List<String> kept = new ArrayList<>();
        for (String pair : rawQuery().split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!pair.isEmpty() && !key.equals(name)) {
                kept.add(pair);
            }
        }
        kept.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        return base + "?" + String.join("&", kept);
    }
}
