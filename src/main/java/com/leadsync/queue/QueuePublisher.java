package com.leadsync.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.delivery.DeliverMessage;
import com.leadsync.delivery.DeliveryQueue;
import com.leadsync.ingest.IngestMessage;
import com.leadsync.imports.ImportMessage;
import com.leadsync.imports.ImportQueue;
import com.leadsync.ingest.IngestQueue;
import com.leadsync.ingest.OversizedPayloads;
import com.leadsync.poll.PollMessage;
import com.leadsync.poll.PollQueue;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
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
 * that acknowledges afterwards (the webhook's 200) never acknowledges work that is not durable. Every ingest
 * message goes through {@link OversizedPayloads#forQueue} first, so a payload too big for SQS travels by reference
 * whichever path queued it.
 */
@ApplicationScoped
public class QueuePublisher implements IngestQueue, DeliveryQueue, PollQueue, ImportQueue {

    private final SqsClient sqs;
    private final OversizedPayloads payloads;
    private final ObjectMapper json;
    private final String ingestQueue;
    private final String deliverQueue;
    private final String pollQueue;
    private final String importQueue;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    QueuePublisher(SqsClient sqs, OversizedPayloads payloads, ObjectMapper json,
            @ConfigProperty(name = "leadsync.queues.ingest") String ingestQueue,
            @ConfigProperty(name = "leadsync.queues.deliver") String deliverQueue,
            @ConfigProperty(name = "leadsync.queues.poll") String pollQueue,
            @ConfigProperty(name = "leadsync.queues.import") String importQueue) {
        this.sqs = sqs;
        this.payloads = payloads;
        this.json = json;
        this.ingestQueue = ingestQueue;
        this.deliverQueue = deliverQueue;
        this.pollQueue = pollQueue;
        this.importQueue = importQueue;
    }

    @Override
    public void publishIngest(List<IngestMessage> messages) {
        send(ingestQueue, messages.stream().map(payloads::forQueue).toList());
    }

    /** One ingest message, delivered after {@code delay} (at most {@link IngestQueue#MAX_DELAY}): a lead to fetch later. */
    @Override
    public void publishIngest(IngestMessage message, Duration delay) {
        send(ingestQueue, List.of(payloads.forQueue(message)), delaySeconds(delay));
    }

    @Override
    public void publishDeliver(List<DeliverMessage> messages) {
        sendBodies(deliverQueue, messages.stream().map(m -> deliverBody(json, m)).toList(), 0);
    }

    /** SQS bills every started 64 KiB of a message as a request: a lead bigger than that is read back instead. */
    static final int MAX_CARRIED_BYTES = 64 * 1024;

    static String deliverBody(ObjectMapper json, DeliverMessage m) {
        String body = body(json, m);
        return m.lead() != null && body.getBytes(StandardCharsets.UTF_8).length > MAX_CARRIED_BYTES
                ? body(json, m.withoutLead()) : body;
    }

    @Override
    public void publishPoll(List<PollMessage> messages) {
        send(pollQueue, messages, 0);
    }

    @Override
    public void publishPoll(PollMessage message, Duration delay) {
        send(pollQueue, List.of(message), delaySeconds(delay));
    }

    @Override
    public void publishImport(ImportMessage message, Duration delay) {
        send(importQueue, List.of(message), delaySeconds(delay));
    }

    private static int delaySeconds(Duration delay) {
        long seconds = delay.toSeconds();
        if (seconds < 0 || delay.compareTo(IngestQueue.MAX_DELAY) > 0) {
            throw new IllegalArgumentException("an SQS delay is 0 to " + IngestQueue.MAX_DELAY + ", got " + delay);
        }
        return (int) seconds;
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

    /** The URL of a pipeline queue by its short name ({@code ingest}, {@code deliver}, {@code poll}, {@code import}). */
    public String urlOf(String queue) {
        return url(switch (queue) {
            case "ingest" -> ingestQueue;
            case "deliver" -> deliverQueue;
            case "poll" -> pollQueue;
            case "import" -> importQueue;
            default -> throw new IllegalArgumentException("no pipeline queue '" + queue + "'");
        });
    }

    public String deliverUrl() {
        return url(deliverQueue);
    }

    /** SQS's limit for one message and for a whole batch (256 KiB), less a margin for the envelope. */
    static final int MAX_BATCH_BYTES = 256 * 1024 - 2048;

    private void send(String queue, List<?> messages) {
        send(queue, messages, 0);
    }

    private void send(String queue, List<?> messages, int delaySeconds) {
        sendBodies(queue, messages.stream().map(this::body).toList(), delaySeconds);
    }

    private void sendBodies(String queue, List<String> bodies, int delaySeconds) {
        String url = url(queue);
        for (List<String> batch : batches(bodies)) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(batch.get(i))
                        .delaySeconds(delaySeconds).build());
            }
            SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
            if (r.hasFailed() && !r.failed().isEmpty()) {
                throw new IllegalStateException("SQS refused " + r.failed().size() + " message(s) for " + queue + ": "
                        + r.failed().get(0).message());
            }
        }
    }

    /**
     * Batches of at most 10 messages and {@link #MAX_BATCH_BYTES} in all (leads carry their payloads, those too big
     * by reference).
     *
     * @throws IllegalArgumentException before anything is sent, when one message alone is over the limit
     */
    static List<List<String>> batches(List<String> bodies) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int bytes = 0;
        for (String body : bodies) {
            int size = body.getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_BATCH_BYTES) {
                throw new IllegalArgumentException("a queue message of " + size + " bytes exceeds SQS's limit of "
                        + MAX_BATCH_BYTES + " bytes (a lead payload that big already travels by reference, so the"
                        + " rest of the message is too big); nothing was sent");
            }
            if (current.size() == 10 || bytes + size > MAX_BATCH_BYTES) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(body);
            bytes += size;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private String body(Object message) {
        return body(json, message);
    }

    private static String body(ObjectMapper json, Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + message.getClass().getSimpleName(), e);
        }
    }
}
