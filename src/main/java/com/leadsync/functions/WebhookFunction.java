package com.leadsync.functions;

import com.leadsync.api.HttpApiEvent;
import com.leadsync.api.HttpApiResponse;
import com.leadsync.api.WebhookHandler;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/** Lambda {@code webhook}: ad platforms' webhook calls (API Gateway HTTP API). */
public class WebhookFunction {

    @Inject
    WebhookHandler handler;

    @Funq("webhook")
    public HttpApiResponse webhook(HttpApiEvent event) {
        return handler.handle(event);
    }
}
