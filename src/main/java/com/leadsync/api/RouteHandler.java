package com.leadsync.api;

/** One API route's logic. */
@FunctionalInterface
public interface RouteHandler {
    HttpApiResponse handle(Request request);
}
