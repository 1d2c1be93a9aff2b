package com.leadsync.functions;

import com.leadsync.api.ApiHandler;
import com.leadsync.api.HttpApiEvent;
import com.leadsync.api.HttpApiResponse;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/** Lambda {@code api}: the caller-facing HTTP API (API Gateway HTTP API). */
public class ApiFunction {

    @Inject
    ApiHandler handler;

    @Funq("api")
    public HttpApiResponse api(HttpApiEvent event) {
        return handler.handle(event);
    }
}
