package com.leadsync.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.leadsync.delivery.DeliveryEngine;
import com.leadsync.ingest.LeadIngestion;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Stands in for Lambda's SQS event source mappings: for each SQS trigger in template.yaml, pollers receive
 * batches (up to the trigger's BatchSize within its MaximumBatchingWindowInSeconds) and invoke the function once
 * with them. Like Lambda with ReportBatchItemFailures, only the
 * records that succeeded are deleted; failed ones reappear after the visibility timeout and, past the
 * queue's maxReceiveCount, the emulator moves them to the dead-letter queue.
 */
@ApplicationScoped
public class QueuePumps {

    private static final Logger LOG = Logger.getLogger(QueuePumps.class);

    private final SqsClient sqs;
    private final LocalInfrastructure infrastructure;
    private final LocalFunctions functions;
    private final boolean enabled;
    private final int pollersPerQueue;
    private final Optional<Duration> windowOverride;
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService pollers;

    QueuePumps(SqsClient sqs, LocalInfrastructure infrastructure, LocalFunctions functions,
            @ConfigProperty(name = "leadsync.local.pumps") boolean enabled,
            @ConfigProperty(name = "leadsync.local.pollers-per-queue", defaultValue = "4") int pollersPerQueue,
            @ConfigProperty(name = "leadsync.local.batching-window") Optional<Duration> windowOverride) {
        this.sqs = sqs;
        this.infrastructure = infrastructure;
        this.functions = functions;
        this.enabled = enabled;
        this.pollersPerQueue = pollersPerQueue;
        this.windowOverride = windowOverride;
    }

    void onStart(@Observes @Priority(30) StartupEvent event) {
        if (enabled) {
            start();
        }
    }

    public synchronized void start() {
        if (running.getAndSet(true)) {
            return;
        }
        StackTemplate template = infrastructure.ensure();
        List<Runnable> loops = new ArrayList<>();
        for (StackTemplate.FunctionSpec f : template.functions()) {
            for (StackTemplate.SqsTrigger trigger : f.sqsTriggers()) {
                String url = infrastructure.queueUrl(trigger.queueLogicalId());
                int batch = Math.max(1, trigger.batchSize());
                // Tests shorten the window (as they do the schedules' periods): each queue hop of a lead would
                // otherwise wait the template's whole window for a batch that never fills.
                Duration window = windowOverride.orElse(Duration.ofSeconds(trigger.maximumBatchingWindowSeconds()));
                Duration timeout = Duration.ofSeconds(f.timeoutSeconds());
                for (int i = 0; i < pollersPerQueue; i++) {
                    loops.add(() -> poll(f.export(), url, batch, window, timeout));
                }
            }
        }
        pollers = Executors.newFixedThreadPool(loops.size(), r -> {
            Thread t = new Thread(r, "local-sqs-pump");
            t.setDaemon(true);
            return t;
        });
        loops.forEach(pollers::submit);
        LOG.infof("local queue pumps: %d pollers feeding SQS-triggered functions", loops.size());
    }

    public synchronized void stop() {
        if (!running.getAndSet(false)) {
            return;
        }
        pollers.shutdown();
        try {
            // In-flight work finishes (a delivery's quick tries can take a while); what does not is redelivered.
            if (!pollers.awaitTermination(30, TimeUnit.SECONDS)) {
                pollers.shutdownNow();
            }
        } catch (InterruptedException e) {
            pollers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /**
     * Like Lambda's SQS pollers: gathers up to the trigger's batch size (ReceiveMessage takes 10 at a time) within its
     * batching window, invokes the function once with them, and deletes what succeeded.
     */
    private void poll(String export, String queueUrl, int batchSize, Duration window, Duration functionTimeout) {
        while (running.get()) {
            try {
                List<Message> received = gather(queueUrl, batchSize, window);
                if (received.isEmpty()) {
                    continue;
                }
                List<DeleteMessageBatchRequestEntry> done = invokeBatch(export, queueUrl, received, functionTimeout);
                for (int from = 0; from < done.size(); from += 10) {
                    List<DeleteMessageBatchRequestEntry> page = done.subList(from, Math.min(done.size(), from + 10));
                    sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(page));
                }
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                if (running.get()) {
                    LOG.warnf("local pump for %s: %s", export, e.toString());
                    LockSupportSleep.pause(Duration.ofMillis(500));
                }
            }
        }
    }

    /** Up to {@code batchSize} messages: what arrives within {@code window} of the first, 10 per receive. */
    private List<Message> gather(String queueUrl, int batchSize, Duration window) {
        List<Message> batch = new ArrayList<>(receive(queueUrl, Math.min(10, batchSize), 1));
        long until = System.nanoTime() + window.toNanos();
        while (!batch.isEmpty() && batch.size() < batchSize && System.nanoTime() < until && running.get()) {
            List<Message> more = receive(queueUrl, Math.min(10, batchSize - batch.size()), 0);
            if (more.isEmpty()) {
                LockSupportSleep.pause(Duration.ofMillis(50));
            }
            batch.addAll(more);
        }
        return batch;
    }

    private List<Message> receive(String queueUrl, int max, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                        MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
    }

    /** One invocation: the records that succeeded, unless the invocation outlasted the function's timeout. */
    private List<DeleteMessageBatchRequestEntry> invokeBatch(String export, String queueUrl, List<Message> batch,
            Duration functionTimeout) {
        long started = System.nanoTime();
        List<SQSEvent.SQSMessage> records = batch.stream().map(m -> record(queueUrl, m)).toList();
        List<Throwable> failures = functions.sqsBatch(export, records);
        List<DeleteMessageBatchRequestEntry> succeeded = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Message m = batch.get(i);
            if (failures.get(i) == null) {
                succeeded.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(succeeded.size() % 10))
                        .receiptHandle(m.receiptHandle()).build());
            } else {
                logFailure(export, m, failures.get(i));
            }
        }
        if (Duration.ofNanos(System.nanoTime() - started).compareTo(functionTimeout) > 0) {
            // Lambda would have killed this invocation: nothing is deleted, the whole batch comes back.
            LOG.warnf("%s: a batch of %d took longer than the function timeout (%s); as on Lambda, none of it is "
                    + "deleted", export, batch.size(), functionTimeout);
            return List.of();
        }
        return succeeded;
    }

    private static SQSEvent.SQSMessage record(String queueUrl, Message m) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(m.messageId());
        record.setReceiptHandle(m.receiptHandle());
        record.setBody(m.body());
        record.setMd5OfBody(m.md5OfBody());
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queueUrl);
        Map<String, String> attributes = new HashMap<>();
        m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
        record.setAttributes(attributes);
        return record;
    }

    /** A failed record stays on the queue and comes back after the visibility timeout, as on Lambda. */
    private static void logFailure(String export, Message m, Throwable e) {
        if (e instanceof LeadIngestion.InFlightElsewhere || e instanceof DeliveryEngine.InFlightElsewhere) {
            // Expected with duplicates: another worker holds the lease; this one comes back later.
            LOG.debugf("%s: message %s deferred: %s", export, m.messageId(), e.getMessage());
            return;
        }
        LOG.warnf("%s failed for message %s (receive #%s), it will be retried: %s", export, m.messageId(),
                m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?"), e.toString());
    }
}
