package com.leadsync.local;

import com.leadsync.api.HttpApiEvent;
import com.leadsync.api.HttpApiResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for API Gateway (HTTP API, payload 2.0): every request on {@code quarkus.http.port} is matched
 * against the HttpApi routes of template.yaml and handed to that function as the event API Gateway would
 * build. Route choice follows API Gateway: the route with the most literal path segments wins, and a
 * greedy {@code {proxy+}} only catches what nothing more specific does. Cookies travel as payload 2.0 has them: the
 * request's {@code Cookie} headers become the event's {@code cookies} (one {@code name=value} each, not a header), and
 * each of the response's {@code cookies} becomes a {@code Set-Cookie} header.
 */
@ApplicationScoped
public class LocalGateway {

    /** API Gateway's HTTP API payload limit. */
    private static final long MAX_PAYLOAD = 10L * 1024 * 1024;

    private record Bound(String export, String method, String path, String[] segments, int literals) {
    }

    private final LocalInfrastructure infrastructure;
    private final LocalFunctions functions;

    LocalGateway(LocalInfrastructure infrastructure, LocalFunctions functions) {
        this.infrastructure = infrastructure;
        this.functions = functions;
    }

    void routes(@Observes Router router) {
        List<Bound> routes = new ArrayList<>();
        for (StackTemplate.FunctionSpec f : infrastructure.template().functions()) {
            for (StackTemplate.HttpRoute r : f.httpRoutes()) {
                String[] segments = split(r.path());
                int literals = (int) java.util.Arrays.stream(segments).filter(s -> !s.startsWith("{")).count();
                routes.add(new Bound(f.export(), r.method(), r.path(), segments, literals));
            }
        }
        routes.sort(Comparator.comparingInt(Bound::literals).reversed()
                .thenComparing(b -> b.path().contains("+}") ? 1 : 0));
        router.routeWithRegex("^/(?!q/|_local/).*").order(-99).handler(BodyHandler.create().setBodyLimit(MAX_PAYLOAD)
                .setHandleFileUploads(false));
        router.routeWithRegex("^/(?!q/|_local/).*").order(-98).blockingHandler(ctx -> dispatch(ctx, routes), false);
    }

    private void dispatch(RoutingContext ctx, List<Bound> routes) {
        String method = ctx.request().method().name().toUpperCase(Locale.ROOT);
        String path = ctx.request().path();
        String[] parts = split(path);
        for (Bound b : routes) {
            if (!b.method().equals("ANY") && !b.method().equals(method)) {
                continue;
            }
            Map<String, String> params = bind(b.segments(), parts);
            if (params != null) {
                respond(ctx, functions.http(b.export(), event(ctx, b, params)));
                return;
            }
        }
        ctx.response().setStatusCode(404).putHeader("content-type", "application/json")
                .end("{\"message\":\"Not Found\"}");
    }

    private static void respond(RoutingContext ctx, HttpApiResponse r) {
        var response = ctx.response().setStatusCode(r.statusCode());
        if (r.headers() != null) {
            r.headers().forEach(response::putHeader);
        }
        r.cookies().forEach(c -> response.headers().add("set-cookie", c));
        if (r.body() == null) {
            response.end();
        } else if (r.isBase64Encoded()) {
            response.end(Buffer.buffer(Base64.getDecoder().decode(r.body())));
        } else {
            response.end(r.body());
        }
    }

    private static HttpApiEvent event(RoutingContext ctx, Bound route, Map<String, String> params) {
        Map<String, String> headers = new HashMap<>();
        ctx.request().headers().names().stream().filter(n -> !n.equalsIgnoreCase("cookie"))
                .forEach(n -> headers.put(n.toLowerCase(Locale.ROOT),
                        String.join(",", ctx.request().headers().getAll(n))));
        List<String> cookies = HttpApiEvent.cookiePairs(ctx.request().headers().getAll("cookie"));
        Map<String, String> query = new HashMap<>();
        ctx.queryParams().names().forEach(n -> query.put(n, String.join(",", ctx.queryParams().getAll(n))));
        Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
        // Body too large for API Gateway never reaches a function there either: BodyHandler answers 413.
        String body = null;
        boolean base64 = false;
        if (raw != null && raw.length() > 0) {
            byte[] bytes = raw.getBytes();
            try {
                body = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                body = Base64.getEncoder().encodeToString(bytes);
                base64 = true;
            }
        }
        String method = ctx.request().method().name().toUpperCase(Locale.ROOT);
        String remote = ctx.request().remoteAddress() == null ? "127.0.0.1" : ctx.request().remoteAddress().hostAddress();
        return new HttpApiEvent("2.0", route.method() + " " + route.path(), ctx.request().path(),
                ctx.request().query() == null ? "" : ctx.request().query(), cookies.isEmpty() ? null : cookies,
                headers, query.isEmpty() ? null : query,
                params.isEmpty() ? null : params, body, base64,
                new HttpApiEvent.RequestContext(UUID.randomUUID().toString(),
                        new HttpApiEvent.Http(method, ctx.request().path(), remote), System.currentTimeMillis()));
    }

    /** Path parameters for a template, or null when it does not match; {@code {name+}} takes the rest. */
    static Map<String, String> bind(String[] template, String[] parts) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("+}")) {
                if (i >= parts.length) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 2), String.join("/", List.of(parts).subList(i, parts.length)));
                return params;
            }
            if (i >= parts.length) {
                return null;
            }
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return template.length == parts.length ? params : null;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
