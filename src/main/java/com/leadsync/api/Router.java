package com.leadsync.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Matches a method and path against route templates like {@code /leads/{leadId}}. */
public final class Router<H> {

    public record Match<H>(H handler, Map<String, String> params) {
    }

    private record Route<H>(String method, String[] segments, H handler) {
    }

    /** Our ids are short; a longer path parameter cannot name anything (and DynamoDB keys stop at 2 KB). */
    static final int MAX_PARAM_LENGTH = 256;

    private final List<Route<H>> routes = new ArrayList<>();

    public Router<H> add(String method, String template, H handler) {
        routes.add(new Route<>(method, split(template), handler));
        return this;
    }

    /** Every route as {@code "METHOD /template"}, in the order added (what the API document must describe). */
    public List<String> routes() {
        return routes(h -> true);
    }

    /** The routes whose handler is {@code which}. */
    public List<String> routes(java.util.function.Predicate<H> which) {
        return routes.stream().filter(r -> which.test(r.handler()))
                .map(r -> r.method() + " /" + String.join("/", r.segments())).toList();
    }

    /**
     * The handler for a request; empty when no template matches the path. {@link ApiError} 405 when the
     * path exists but not for that method.
     */
    public Optional<Match<H>> match(String method, String path) {
        String[] parts = split(path);
        boolean pathKnown = false;
        Match<H> best = null;
        int bestLiterals = -1;
        for (Route<H> r : routes) {
            Map<String, String> params = bind(r.segments(), parts);
            if (params == null) {
                continue;
            }
            pathKnown = true;
            int literals = (int) java.util.Arrays.stream(r.segments()).filter(s -> !s.startsWith("{")).count();
            if (r.method().equals(method) && literals > bestLiterals) {
                best = new Match<>(r.handler(), params);
                bestLiterals = literals;
            }
        }
        if (best == null && pathKnown) {
            throw ApiError.methodNotAllowed(method + " is not allowed on " + path);
        }
        return Optional.ofNullable(best);
    }

    private static Map<String, String> bind(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                String value;
                try {
                    value = java.net.URLDecoder.decode(parts[i], java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("path segment '" + parts[i] + "' is not valid URL encoding");
                }
                if (value.length() > MAX_PARAM_LENGTH) {
                    throw ApiError.notFound("no such resource");
                }
                params.put(t.substring(1, t.length() - 1), value);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
