package com.leadsync.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.leadsync.api.HttpApiEvent;
import com.leadsync.api.HttpApiResponse;
import com.leadsync.functions.ApiFunction;
import com.leadsync.functions.DeliverFunction;
import com.leadsync.functions.NormalizeFunction;
import com.leadsync.functions.RetryFunction;
import com.leadsync.functions.WebhookFunction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The five Lambda functions by their export names, as local mode calls them: the same @Funq methods
 * Lambda would invoke, given the same event types.
 */
@ApplicationScoped
public class LocalFunctions {

    private final WebhookFunction webhook;
    private final ApiFunction api;
    private final NormalizeFunction normalize;
    private final DeliverFunction deliver;
    private final RetryFunction retry;

    LocalFunctions(WebhookFunction webhook, ApiFunction api, NormalizeFunction normalize, DeliverFunction deliver,
            RetryFunction retry) {
        this.webhook = webhook;
        this.api = api;
        this.normalize = normalize;
        this.deliver = deliver;
        this.retry = retry;
    }

    public HttpApiResponse http(String export, HttpApiEvent event) {
        return switch (export) {
            case "webhook" -> webhook.webhook(event);
            case "api" -> api.api(event);
            default -> throw new IllegalArgumentException("function '" + export + "' takes no HTTP events");
        };
    }

    public void sqs(String export, SQSEvent.SQSMessage message) throws Exception {
        switch (export) {
            case "normalize" -> normalize.normalize(message);
            case "deliver" -> deliver.deliver(message);
            default -> throw new IllegalArgumentException("function '" + export + "' takes no SQS events");
        }
    }

    public Object scheduled(String export) {
        if (!"retry".equals(export)) {
            throw new IllegalArgumentException("function '" + export + "' takes no schedule events");
        }
        return retry.retry(Map.of("source", "leadsync.local.schedule"));
    }
}
