package com.leadsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * A recorded trace turned into what a replay must respect. Each pipeline thread that made calls becomes a chain,
 * replayed in its own order by one replay thread. Across chains a call waits for
 * <ul>
 * <li>every earlier call of the same lead (leadId in a key, an item or a message body) and, for the other items,
 * every earlier write to the same item (or, for a write, any earlier call on it) - "earlier" meaning it had ended
 * before this one started, so what ran concurrently in the pipeline stays free to run concurrently;</li>
 * <li>for a receive: the sends of the messages it got, and the previous receive on its queue that got messages
 * (in the order they returned), so that asking for as many messages as it got, it gets that many.</li>
 * </ul>
 * Receives that got nothing are long polls waiting for work, not work, and are left out (counted).
 */
final class ReplayPlan {

    /** {@code deleteSources}: for a delete, per entry, the receive step and index of the message it deletes. */
    record Step(int index, CallRecorder.Call call, int chain, Set<Integer> deps, int received,
            List<int[]> deleteSources) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<Step> steps;
    final List<List<Step>> chains;
    final List<String> chainThreads;
    final Map<String, Long> byOperation;
    final int emptyReceives;
    final Set<String> leads;
    final long lastEnd;

    private ReplayPlan(List<Step> steps, List<List<Step>> chains, List<String> chainThreads,
            Map<String, Long> byOperation, int emptyReceives, Set<String> leads) {
        this.steps = steps;
        this.chains = chains;
        this.chainThreads = chainThreads;
        this.byOperation = byOperation;
        this.emptyReceives = emptyReceives;
        this.leads = leads;
        this.lastEnd = steps.stream().mapToLong(s -> s.call().endNanos()).max().orElse(0);
    }

    /** @param keyAttributes table name → its key attribute names (to tell which item a PutItem writes) */
    static ReplayPlan of(List<CallRecorder.Call> trace, Map<String, List<String>> keyAttributes) {
        List<CallRecorder.Call> calls = new ArrayList<>();
        int empty = 0;
        for (CallRecorder.Call c : trace.stream().sorted(Comparator.comparingLong(CallRecorder.Call::startNanos))
                .toList()) {
            if (c.request() instanceof ReceiveMessageRequest
                    && (c.failure() != null || !((ReceiveMessageResponse) c.response()).hasMessages()
                    || ((ReceiveMessageResponse) c.response()).messages().isEmpty())) {
                empty++;
            } else {
                calls.add(c);
            }
        }

        Map<String, String> leadOfMessage = new HashMap<>();
        Map<String, Integer> sentBy = new HashMap<>();
        Map<String, int[]> receiptSource = new HashMap<>();
        Set<String> leads = new LinkedHashSet<>();
        for (int i = 0; i < calls.size(); i++) {
            CallRecorder.Call c = calls.get(i);
            if (c.request() instanceof SendMessageBatchRequest send && c.response() instanceof SendMessageBatchResponse r) {
                Map<String, String> bodyById = new HashMap<>();
                for (SendMessageBatchRequestEntry e : send.entries()) {
                    bodyById.put(e.id(), e.messageBody());
                }
                for (SendMessageBatchResultEntry ok : r.successful()) {
                    sentBy.put(ok.messageId(), i);
                    String lead = leadOf(bodyById.get(ok.id()));
                    if (lead != null) {
                        leadOfMessage.put(ok.messageId(), lead);
                        leads.add(lead);
                    }
                }
            } else if (c.request() instanceof ReceiveMessageRequest) {
                List<Message> got = ((ReceiveMessageResponse) c.response()).messages();
                for (int m = 0; m < got.size(); m++) {
                    receiptSource.put(got.get(m).receiptHandle(), new int[] {i, m});
                }
            } else {
                String lead = itemLead(c);
                if (lead != null) {
                    leads.add(lead);
                }
            }
        }

        Map<Long, Integer> chainOfThread = new LinkedHashMap<>();
        List<String> chainThreads = new ArrayList<>();
        Map<String, Long> byOperation = new TreeMap<>();
        List<Set<Integer>> deps = new ArrayList<>();
        List<Integer> received = new ArrayList<>();
        List<List<int[]>> deleteSources = new ArrayList<>();
        Map<String, List<Integer>> onResource = new HashMap<>();
        Map<String, List<Integer>> writesOnResource = new HashMap<>();
        Map<Integer, Integer> lastInChain = new HashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            CallRecorder.Call c = calls.get(i);
            byOperation.merge(c.service() + ":" + c.operation(), 1L, Long::sum);
            int chain = chainOfThread.computeIfAbsent(c.threadId(), t -> {
                chainThreads.add(c.threadName());
                return chainThreads.size() - 1;
            });
            Set<Integer> d = new LinkedHashSet<>();
            Integer previous = lastInChain.put(chain, i);
            if (previous != null) {
                d.add(previous);
            }
            List<String> resources = new ArrayList<>();
            boolean write = true;
            int got = 0;
            List<int[]> sources = List.of();
            if (c.request() instanceof SendMessageBatchRequest) {
                for (SendMessageBatchResultEntry ok : ((SendMessageBatchResponse) c.response()).successful()) {
                    addLead(resources, leadOfMessage.get(ok.messageId()));
                }
            } else if (c.request() instanceof ReceiveMessageRequest) {
                List<Message> messages = ((ReceiveMessageResponse) c.response()).messages();
                got = messages.size();
                for (Message m : messages) {
                    Integer sender = sentBy.get(m.messageId());
                    if (sender == null) {
                        throw new IllegalStateException("a receive got message " + m.messageId()
                                + " that no recorded send sent: the recording did not start on idle queues");
                    }
                    d.add(sender);
                    addLead(resources, leadOfMessage.get(m.messageId()));
                }
            } else if (c.request() instanceof DeleteMessageBatchRequest delete) {
                sources = new ArrayList<>();
                for (DeleteMessageBatchRequestEntry e : delete.entries()) {
                    int[] source = receiptSource.get(e.receiptHandle());
                    if (source == null) {
                        throw new IllegalStateException("a delete names a receipt no recorded receive returned");
                    }
                    sources.add(source);
                    Message m = ((ReceiveMessageResponse) calls.get(source[0]).response()).messages().get(source[1]);
                    addLead(resources, leadOfMessage.get(m.messageId()));
                }
            } else {
                String lead = itemLead(c);
                if (lead == null && c.request() instanceof QueryRequest q && q.hasExpressionAttributeValues()) {
                    lead = q.expressionAttributeValues().values().stream().map(AttributeValue::s)
                            .filter(leads::contains).findFirst().orElse(null);
                }
                addLead(resources, lead);
                String item = itemResource(c, keyAttributes);
                if (item != null && lead == null) {
                    resources.add(item);
                }
                write = !(c.request() instanceof GetItemRequest || c.request() instanceof QueryRequest);
            }
            for (String r : resources) {
                boolean leadResource = r.startsWith("lead:");
                List<Integer> earlier = write || leadResource ? onResource.getOrDefault(r, List.of())
                        : writesOnResource.getOrDefault(r, List.of());
                for (int p : earlier) {
                    if (calls.get(p).endNanos() < c.startNanos()) {
                        d.add(p);
                    }
                }
                onResource.computeIfAbsent(r, k -> new ArrayList<>()).add(i);
                if (write) {
                    writesOnResource.computeIfAbsent(r, k -> new ArrayList<>()).add(i);
                }
            }
            deps.add(d);
            received.add(got);
            deleteSources.add(sources);
        }

        // Receives that got messages, per queue, in the order they returned.
        Map<String, List<Integer>> receivesByQueue = new HashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).request() instanceof ReceiveMessageRequest r) {
                receivesByQueue.computeIfAbsent(r.queueUrl(), k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> receives : receivesByQueue.values()) {
            receives.sort(Comparator.comparingLong(i -> calls.get(i).endNanos()));
            for (int k = 1; k < receives.size(); k++) {
                deps.get(receives.get(k)).add(receives.get(k - 1));
            }
        }

        List<Step> steps = new ArrayList<>();
        List<List<Step>> chains = new ArrayList<>();
        for (int k = 0; k < chainThreads.size(); k++) {
            chains.add(new ArrayList<>());
        }
        for (int i = 0; i < calls.size(); i++) {
            deps.get(i).remove(i);
            Step s = new Step(i, calls.get(i), chainOfThread.get(calls.get(i).threadId()), Set.copyOf(deps.get(i)),
                    received.get(i), deleteSources.get(i));
            steps.add(s);
            chains.get(s.chain()).add(s);
        }
        requireAcyclic(steps);
        return new ReplayPlan(List.copyOf(steps), chains, List.copyOf(chainThreads), byOperation, empty, leads);
    }

    /**
     * Sum of the calls' durations from {@code since} on: divided by a span, the mean number of calls in flight.
     * A receive's duration includes its long poll's wait for the first message.
     */
    long busyNanosSince(long since) {
        return steps.stream().mapToLong(s -> s.call().endNanos() - Math.max(since, s.call().startNanos())).sum();
    }

    /** Calls that failed in the pipeline (a condition that did not hold, ...), by operation and exception. */
    Map<String, Long> failures() {
        Map<String, Long> out = new TreeMap<>();
        for (Step s : steps) {
            if (s.call().failure() != null) {
                out.merge(s.call().operation() + " " + s.call().failure(), 1L, Long::sum);
            }
        }
        return out;
    }

    long calls(String servicePrefix) {
        return byOperation.entrySet().stream().filter(e -> e.getKey().startsWith(servicePrefix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Chain threads by name with the trailing number dropped: "local-sqs-pump" 8, "executor-thread-" 9 ... */
    Map<String, Long> threadKinds() {
        Map<String, Long> kinds = new TreeMap<>();
        for (String name : chainThreads) {
            kinds.merge(name.replaceAll("[0-9]+$", ""), 1L, Long::sum);
        }
        return kinds;
    }

    private static void addLead(List<String> resources, String lead) {
        if (lead != null && !resources.contains("lead:" + lead)) {
            resources.add("lead:" + lead);
        }
    }

    private static String leadOf(String body) {
        try {
            JsonNode lead = JSON.readTree(body).get("leadId");
            return lead == null || !lead.isTextual() ? null : lead.asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String itemLead(CallRecorder.Call c) {
        Map<String, AttributeValue> key = key(c.request());
        AttributeValue lead = key == null ? null : key.get("leadId");
        return lead == null ? null : lead.s();
    }

    /** The key (or, for PutItem, the item) a single-item call names; null for other calls. */
    private static Map<String, AttributeValue> key(Object request) {
        if (request instanceof GetItemRequest r) {
            return r.key();
        }
        if (request instanceof PutItemRequest r) {
            return r.item();
        }
        if (request instanceof UpdateItemRequest r) {
            return r.key();
        }
        if (request instanceof DeleteItemRequest r) {
            return r.key();
        }
        return null;
    }

    private static String itemResource(CallRecorder.Call c, Map<String, List<String>> keyAttributes) {
        Map<String, AttributeValue> key = key(c.request());
        if (key == null) {
            return null;
        }
        String table = tableOf(c.request());
        Map<String, AttributeValue> only = new TreeMap<>();
        for (String attribute : keyAttributes.getOrDefault(table, List.of())) {
            only.put(attribute, key.get(attribute));
        }
        return "item:" + table + only;
    }

    static String tableOf(Object request) {
        if (request instanceof GetItemRequest r) {
            return r.tableName();
        }
        if (request instanceof PutItemRequest r) {
            return r.tableName();
        }
        if (request instanceof UpdateItemRequest r) {
            return r.tableName();
        }
        if (request instanceof DeleteItemRequest r) {
            return r.tableName();
        }
        if (request instanceof QueryRequest r) {
            return r.tableName();
        }
        return null;
    }

    private static void requireAcyclic(List<Step> steps) {
        Map<Integer, List<Integer>> dependents = new HashMap<>();
        int[] missing = new int[steps.size()];
        for (Step s : steps) {
            missing[s.index()] = s.deps().size();
            for (int d : s.deps()) {
                dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(s.index());
            }
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (Step s : steps) {
            if (missing[s.index()] == 0) {
                ready.add(s.index());
            }
        }
        Set<Integer> done = new HashSet<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            done.add(i);
            for (int next : dependents.getOrDefault(i, List.of())) {
                if (--missing[next] == 0) {
                    ready.add(next);
                }
            }
        }
        if (done.size() != steps.size()) {
            throw new IllegalStateException((steps.size() - done.size()) + " recorded calls wait on each other in a "
                    + "cycle: the trace cannot be replayed in the order it ran");
        }
    }
}
