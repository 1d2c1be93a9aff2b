package com.leadsync.api;

/**
 * A route that no API key guards, because its request authenticates itself (an OAuth callback: the browser comes
 * back from the platform without our key, and the signed, single-use state stands for it). Its {@link Request} has
 * no caller.
 */
public record OpenRoute(RouteHandler handler) implements RouteHandler {

    @Override
    public HttpApiResponse handle(Request request) {
        return handler.handle(request);
    }
}
