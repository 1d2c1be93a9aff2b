package com.leadsync.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.leadsync.api.HttpApiEvent;
import com.leadsync.api.HttpApiResponse;
import com.leadsync.functions.ApiFunction;
import com.leadsync.functions.DeliverFunction;
import com.leadsync.functions.ImportFunction;
import com.leadsync.functions.NormalizeFunction;
import com.leadsync.functions.PollFunction;
import com.leadsync.functions.PollScheduleFunction;
import com.leadsync.functions.RetryFunction;
import com.leadsync.functions.WebhookFunction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The Lambda functions by their export names, as local mode calls them: the same @Funq methods
 * Lambda would invoke, given the same event types.
 */
@ApplicationScoped
public class LocalFunctions {

    private final WebhookFunction webhook;
    private final ApiFunction api;
    private final NormalizeFunction normalize;
    private final DeliverFunction deliver;
    private final RetryFunction retry;
    private final PollFunction poll;
    private final PollScheduleFunction pollSchedule;
    private final ImportFunction importer;

    LocalFunctions(WebhookFunction webhook, ApiFunction api, NormalizeFunction normalize, DeliverFunction deliver,
            RetryFunction retry, PollFunction poll, PollScheduleFunction pollSchedule, ImportFunction importer) {
        this.webhook = webhook;
        this.api = api;
        this.normalize = normalize;
        this.deliver = deliver;
        this.retry = retry;
        this.poll = poll;
        this.pollSchedule = pollSchedule;
        this.importer = importer;
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
            case "poll" -> poll.poll(message);
            case "import" -> importer.importPage(message);
            default -> throw new IllegalArgumentException("function '" + export + "' takes no SQS events");
        }
    }

    public Object scheduled(String export) {
        Map<String, Object> event = Map.of("source", "leadsync.local.schedule");
        return switch (export) {
            case "retry" -> retry.retry(event);
            case "poll-schedule" -> pollSchedule.pollSchedule(event);
            default -> throw new IllegalArgumentException("function '" + export + "' takes no schedule events");
        };
    }
}
