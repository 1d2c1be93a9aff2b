package com.leadsync.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Puts pipeline messages on their queues. Returns only once SQS has accepted every message, so a caller
 * that acknowledges afterwards (the webhook's 200) never acknowledges work that is not durable.
 */
@ApplicationScoped
public class QueuePublisher {

    /** SQS's longest message delay. */
    public static final int MAX_DELAY_SECONDS = 900;

    private final SqsClient sqs;
    private final ObjectMapper json;
    private final String ingestQueue;
    private final String deliverQueue;
    private final String pollQueue;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    QueuePublisher(SqsClient sqs, ObjectMapper json,
            @ConfigProperty(name = "leadsync.queues.ingest") String ingestQueue,
            @ConfigProperty(name = "leadsync.queues.deliver") String deliverQueue,
            @ConfigProperty(name = "leadsync.queues.poll") String pollQueue) {
        this.sqs = sqs;
        this.json = json;
        this.ingestQueue = ingestQueue;
        this.deliverQueue = deliverQueue;
        this.pollQueue = pollQueue;
    }

    public void publishIngest(List<IngestMessage> messages) {
        send(ingestQueue, messages);
    }

    public void publishDeliver(List<DeliverMessage> messages) {
        send(deliverQueue, messages);
    }

    public void publishPoll(List<PollMessage> messages) {
        send(pollQueue, messages, 0);
    }

    /** One poll message, delivered after {@code delay} (SQS allows at most 15 minutes). */
    public void publishPoll(PollMessage message, Duration delay) {
        long seconds = delay.toSeconds();
        if (seconds < 0 || seconds > MAX_DELAY_SECONDS) {
            throw new IllegalArgumentException("an SQS delay is 0 to " + MAX_DELAY_SECONDS + " s, got " + delay);
        }
        send(pollQueue, List.of(message), (int) seconds);
    }

    /** A queue URL from config: in AWS the template passes URLs, local mode passes names. */
    public String url(String queue) {
        if (queue.startsWith("http://") || queue.startsWith("https://")) {
            return queue;
        }
        return urls.computeIfAbsent(queue, name -> sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
    }

    public String ingestUrl() {
        return url(ingestQueue);
    }

    public String deliverUrl() {
        return url(deliverQueue);
    }

    private void send(String queue, List<?> messages) {
        send(queue, messages, 0);
    }

    private void send(String queue, List<?> messages, int delaySeconds) {
        String url = url(queue);
        for (int from = 0; from < messages.size(); from += 10) {
            List<?> chunk = messages.subList(from, Math.min(messages.size(), from + 10));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body(chunk.get(i)))
                        .delaySeconds(delaySeconds).build());
            }
            SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
            if (r.hasFailed() && !r.failed().isEmpty()) {
                throw new IllegalStateException("SQS refused " + r.failed().size() + " message(s) for " + queue + ": "
                        + r.failed().get(0).message());
            }
        }
    }

    private String body(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + message.getClass().getSimpleName(), e);
        }
    }
}
