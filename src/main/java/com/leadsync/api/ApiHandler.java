package com.leadsync.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The caller-facing API: authenticate, route, answer in the contract's JSON (errors included). */
@ApplicationScoped
public class ApiHandler {

    private static final Logger LOG = Logger.getLogger(ApiHandler.class);
    /**
     * Caller bodies are small JSON objects (a destination with its config is a few KB). 64 KB keeps every item
     * written from one far below DynamoDB's 400 KB item limit, whatever the per-field limits in {@link Json}.
     */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final Router<RouteHandler> router = new Router<>();
    private final ApiKeys keys;
    private final Json json;

    ApiHandler(Instance<Routes> groups, ApiKeys keys, Json json) {
        this.keys = keys;
        this.json = json;
        groups.forEach(g -> g.register(router));
    }

    /** Every caller-facing route, {@code "METHOD /template"}. */
    public List<String> routes() {
        return router.routes();
    }

    /** The routes that take no API key ({@link OpenRoute}s). */
    public List<String> openRoutes() {
        return router.routes(h -> h instanceof OpenRoute);
    }

    public HttpApiResponse handle(HttpApiEvent event) {
        try {
            Optional<Router.Match<RouteHandler>> match = router.match(event.method(), event.path());
            if (match.isEmpty()) {
                throw ApiError.notFound("no route " + event.method() + " " + event.path());
            }
            RouteHandler handler = match.get().handler();
            Caller caller = handler instanceof OpenRoute ? null : keys.authenticate(event);
            checkBodySize(event);
            return handler.handle(new Request(event, caller, match.get().params(), json));
        } catch (ApiError e) {
            return json.error(e);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "API %s %s failed", event.method(), event.path());
            return json.error(new ApiError(500, "internal", "the request could not be completed; try again"));
        }
    }

    private static void checkBodySize(HttpApiEvent event) {
        byte[] body;
        try {
            body = event.rawBody();
        } catch (IllegalArgumentException notBase64) {
            throw ApiError.badRequest("request body is marked base64 but is not");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw ApiError.tooLarge("request bodies are limited to " + MAX_BODY_BYTES + " bytes");
        }
    }
}
