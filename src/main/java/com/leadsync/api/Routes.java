package com.leadsync.api;

/** A group of API routes; each group registers its own templates. */
public interface Routes {
    void register(Router<RouteHandler> router);
}
