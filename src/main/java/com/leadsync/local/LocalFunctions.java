package com.leadsync.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.leadsync.api.HttpApiEvent;
import com.leadsync.api.HttpApiResponse;
import com.leadsync.functions.ApiFunction;
import com.leadsync.functions.ConnectionCheckFunction;
import com.leadsync.functions.DeliverFunction;
import com.leadsync.functions.ImportFunction;
import com.leadsync.functions.NormalizeFunction;
import com.leadsync.functions.PollFunction;
import com.leadsync.functions.PollScheduleFunction;
import com.leadsync.functions.RetryFunction;
import com.leadsync.functions.WebhookFunction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
    private final ConnectionCheckFunction connectionCheck;

    LocalFunctions(WebhookFunction webhook, ApiFunction api, NormalizeFunction normalize, DeliverFunction deliver,
            RetryFunction retry, PollFunction poll, PollScheduleFunction pollSchedule, ImportFunction importer,
            ConnectionCheckFunction connectionCheck) {
        this.webhook = webhook;
        this.api = api;
        this.normalize = normalize;
        this.deliver = deliver;
        this.retry = retry;
        this.poll = poll;
        this.pollSchedule = pollSchedule;
        this.importer = importer;
        this.connectionCheck = connectionCheck;
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
            case "deliver" -> deliver.deliver(message).await().indefinitely();
            case "poll" -> poll.poll(message);
            case "import" -> importer.importPage(message);
            default -> throw new IllegalArgumentException("function '" + export + "' takes no SQS events");
        }
    }

    /**
     * One invocation with several records, as Lambda's event source mapping makes it: what each record came to, in
     * order (null: succeeded, else the exception that makes it a batch item failure). The deliver function gets them
     * all the way Funqy hands them over — every record's Uni first, then all subscribed together — so local mode
     * delivers in the same batches; the others take one record after another.
     */
    public List<Throwable> sqsBatch(String export, List<SQSEvent.SQSMessage> records) {
        List<Throwable> failures = new ArrayList<>(Collections.nCopies(records.size(), null));
        if (export.equals("deliver")) {
            List<Uni<Void>> unis = new ArrayList<>(records.stream().map(deliver::deliver).toList());
            for (int i = 0; i < unis.size(); i++) {
                int index = i;
                unis.set(i, unis.get(i).onFailure().invoke(e -> failures.set(index, e)).onFailure().recoverWithNull());
            }
            Uni.combine().all().unis(unis).discardItems().await().indefinitely();
            return failures;
        }
        for (int i = 0; i < records.size(); i++) {
            try {
                sqs(export, records.get(i));
            } catch (Exception | Error e) {
                if (e instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
                failures.set(i, e);
            }
        }
        return failures;
    }

    public Object scheduled(String export) {
        Map<String, Object> event = Map.of("source", "leadsync.local.schedule");
        return switch (export) {
            case "retry" -> retry.retry(event);
            case "poll-schedule" -> pollSchedule.pollSchedule(event);
            case "connection-check" -> connectionCheck.connectionCheck(event);
            default -> throw new IllegalArgumentException("function '" + export + "' takes no schedule events");
        };
    }
}
