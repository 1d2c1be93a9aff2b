package com.leadsync.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

/**
 * Replays a {@link ReplayPlan} against copies of the tables and queues: the recorded request objects, retargeted
 * ({@code toBuilder()}) at the copies, one replay thread per pipeline thread, each call started as soon as its
 * chain and its dependencies allow, with no pipeline logic in between. Receives ask for as many messages as they
 * got; deletes delete what the replay's own receives returned.
 */
final class Replay {

    /** What a replay did; the mismatch counts say where it did not do what the pipeline did. */
    record Result(long nanos, long busyNanos, Map<String, Long> byOperation, long messagesReceived,
            long messagesDeleted, List<String> outcomeMismatches, Map<String, Long> readsThatDiffered,
            long receivesShort, long receivesOfOtherMessages) {
    }

    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final Map<String, String> tables;
    private final Map<String, String> queues;

    /** @param tables original → copy table name; @param queues original → copy queue URL */
    Replay(DynamoDbClient dynamo, SqsClient sqs, Map<String, String> tables, Map<String, String> queues) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.tables = tables;
        this.queues = queues;
    }

    Result run(ReplayPlan plan) throws InterruptedException {
        int n = plan.steps.size();
        CountDownLatch[] done = new CountDownLatch[n];
        for (int i = 0; i < n; i++) {
            done[i] = new CountDownLatch(1);
        }
        AtomicReferenceArray<List<Message>> received = new AtomicReferenceArray<>(n);
        Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();
        List<String> mismatches = Collections.synchronizedList(new ArrayList<>());
        AtomicLong busy = new AtomicLong();
        LongAdder messagesReceived = new LongAdder();
        LongAdder messagesDeleted = new LongAdder();
        Map<String, LongAdder> readsDiffered = new ConcurrentHashMap<>();
        LongAdder otherMessages = new LongAdder();
        LongAdder receivesShort = new LongAdder();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (List<ReplayPlan.Step> chain : plan.chains) {
            threads.add(new Thread(() -> {
                try {
                    go.await();
                    for (ReplayPlan.Step step : chain) {
                        try {
                            for (int d : step.deps()) {
                                done[d].await();
                            }
                            long t0 = System.nanoTime();
                            Outcome o = execute(step, received);
                            busy.addAndGet(System.nanoTime() - t0);
                            byOperation.computeIfAbsent(step.call().service() + ":" + step.call().operation(),
                                    k -> new LongAdder()).increment();
                            if (!Objects.equals(o.failure(), step.call().failure())) {
                                mismatches.add(step.call().operation() + " " + (step.call().failure() == null ? "ok"
                                        : step.call().failure()) + " -> " + (o.failure() == null ? "ok" : o.failure()));
                            }
                            if (o.response() instanceof ReceiveMessageResponse r) {
                                messagesReceived.add(r.messages().size());
                                if (r.messages().size() < step.received()) {
                                    receivesShort.increment();
                                }
                                if (!bodies(r).equals(bodies((ReceiveMessageResponse) step.call().response()))) {
                                    otherMessages.increment();
                                }
                            } else if (o.response() instanceof DeleteMessageBatchResponse r) {
                                messagesDeleted.add(r.successful().size());
                            } else if (o.failure() == null) {
                                String difference = difference(step.call().response(), o.response());
                                if (difference != null) {
                                    readsDiffered.computeIfAbsent(step.call().operation() + " "
                                            + ReplayPlan.tableOf(step.call().request()) + " " + difference,
                                            k -> new LongAdder()).increment();
                                }
                            }
                        } finally {
                            done[step.index()].countDown();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-replay"));
        }
        threads.forEach(Thread::start);
        long start = System.nanoTime();
        go.countDown();
        for (CountDownLatch d : done) {
            if (!d.await(5, TimeUnit.MINUTES)) {
                threads.forEach(Thread::interrupt);
                throw new IllegalStateException("replay stuck: a call waited five minutes for its dependencies");
            }
        }
        long nanos = System.nanoTime() - start;
        for (Thread t : threads) {
            t.join();
        }
        return new Result(nanos, busy.get(), sums(byOperation), messagesReceived.sum(), messagesDeleted.sum(),
                List.copyOf(mismatches), sums(readsDiffered), receivesShort.sum(), otherMessages.sum());
    }

    private record Outcome(SdkResponse response, String failure) {
    }

    private Outcome execute(ReplayPlan.Step step, AtomicReferenceArray<List<Message>> received) {
        try {
            return new Outcome(call(step, received), null);
        } catch (RuntimeException e) {
            return new Outcome(null, e.getClass().getSimpleName());
        }
    }

    private SdkResponse call(ReplayPlan.Step step, AtomicReferenceArray<List<Message>> received) {
        SdkRequest r = step.call().request();
        if (r instanceof GetItemRequest g) {
            return dynamo.getItem(g.toBuilder().tableName(table(g.tableName())).build());
        }
        if (r instanceof PutItemRequest p) {
            return dynamo.putItem(p.toBuilder().tableName(table(p.tableName())).build());
        }
        if (r instanceof UpdateItemRequest u) {
            return dynamo.updateItem(u.toBuilder().tableName(table(u.tableName())).build());
        }
        if (r instanceof DeleteItemRequest d) {
            return dynamo.deleteItem(d.toBuilder().tableName(table(d.tableName())).build());
        }
        if (r instanceof QueryRequest q) {
            return dynamo.query(q.toBuilder().tableName(table(q.tableName())).build());
        }
        if (r instanceof SendMessageBatchRequest s) {
            return sqs.sendMessageBatch(s.toBuilder().queueUrl(queue(s.queueUrl())).build());
        }
        if (r instanceof ReceiveMessageRequest m) {
            ReceiveMessageResponse got = sqs.receiveMessage(m.toBuilder().queueUrl(queue(m.queueUrl()))
                    .maxNumberOfMessages(step.received()).build());
            received.set(step.index(), got.messages());
            return got;
        }
        if (r instanceof DeleteMessageBatchRequest d) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int e = 0; e < d.entries().size(); e++) {
                int[] source = step.deleteSources().get(e);
                List<Message> messages = received.get(source[0]);
                if (messages != null && source[1] < messages.size()) {
                    entries.add(d.entries().get(e).toBuilder().receiptHandle(messages.get(source[1]).receiptHandle())
                            .build());
                }
            }
            if (entries.isEmpty()) {
                throw new IllegalStateException("nothing to delete: its receive got fewer messages");
            }
            return sqs.deleteMessageBatch(d.toBuilder().queueUrl(queue(d.queueUrl())).entries(entries).build());
        }
        throw new IllegalStateException("the replay does not know " + r.getClass().getSimpleName());
    }

    /** How a read found other data than in the pipeline (attributes of the item, items of a query); null if not. */
    private static String difference(SdkResponse recorded, SdkResponse replayed) {
        if (recorded instanceof GetItemResponse a && replayed instanceof GetItemResponse b) {
            Set<String> was = a.hasItem() ? a.item().keySet() : Set.of();
            Set<String> is = b.hasItem() ? b.item().keySet() : Set.of();
            if (!was.equals(is)) {
                Set<String> missing = new TreeSet<>(was);
                missing.removeAll(is);
                Set<String> extra = new TreeSet<>(is);
                extra.removeAll(was);
                return "item without " + missing + " with " + extra;
            }
            return null;
        }
        if (recorded instanceof QueryResponse a && replayed instanceof QueryResponse b
                && !Objects.equals(a.count(), b.count())) {
            return a.count() + " items -> " + b.count();
        }
        return null;
    }

    private static List<String> bodies(ReceiveMessageResponse r) {
        return r.messages().stream().map(Message::body).sorted().toList();
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private String table(String original) {
        String copy = tables.get(original);
        if (copy == null) {
            throw new IllegalStateException("no copy of table " + original);
        }
        return copy;
    }

    private String queue(String original) {
        String copy = queues.get(original);
        if (copy == null) {
            throw new IllegalStateException("no copy of queue " + original);
        }
        return copy;
    }
}
