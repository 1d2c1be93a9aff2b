package com.leadsync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Records every DynamoDB and SQS call the pipeline makes while recording is on: the request object itself (SDK v2
 * requests are immutable), its response or failure, the thread that made it and when (System.nanoTime). Attached to
 * the Quarkus SDK clients by the benchmark's profile. A call belongs to a recording if it started or ended during it; the replay goes through the same clients with recording off.
 */
public class CallRecorder implements ExecutionInterceptor {

    /** One finished call. {@code failure} is the exception's simple class name, null if it succeeded. */
    public record Call(long threadId, String threadName, String service, String operation, SdkRequest request,
            long startNanos, long endNanos, SdkResponse response, String failure) {
    }

    private record Started(long threadId, String threadName, long startNanos, boolean recorded) {
    }

    private static final ExecutionAttribute<Started> STARTED = new ExecutionAttribute<>("leadsync.bench.started");
    private static final ConcurrentLinkedQueue<Call> CALLS = new ConcurrentLinkedQueue<>();
    /** Calls under way other than receives (those long-poll forever): zero means the pipeline is idle. */
    private static final AtomicInteger BUSY = new AtomicInteger();
    private static volatile boolean recording;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Thread t = Thread.currentThread();
        if (!(context.request() instanceof ReceiveMessageRequest)) {
            BUSY.incrementAndGet();
        }
        attributes.putAttribute(STARTED, new Started(t.getId(), t.getName(), System.nanoTime(), recording));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        finish(context.request(), context.response(), null, attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        finish(context.request(), null, context.exception().getClass().getSimpleName(), attributes);
    }

    private static void finish(SdkRequest request, SdkResponse response, String failure,
            ExecutionAttributes attributes) {
        long end = System.nanoTime();
        Started s = attributes.getAttribute(STARTED);
        if (s == null) {
            return;
        }
        if (!(request instanceof ReceiveMessageRequest)) {
            BUSY.decrementAndGet();
        }
        // A receive long-polling when the recording started belongs to it if it returns during it.
        if (s.recorded() || recording) {
            CALLS.add(new Call(s.threadId(), s.threadName(), attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                    attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), request, s.startNanos(), end,
                    response, failure));
        }
    }

    /** Starts a new recording (calls already under way are not part of it). */
    public static void start() {
        CALLS.clear();
        recording = true;
    }

    /** Stops recording; the calls that started while it was on, in no particular order. */
    public static List<Call> stop() {
        recording = false;
        return new ArrayList<>(CALLS);
    }

    /** DynamoDB and SQS calls under way, long-polling receives not counted. */
    public static int busy() {
        return BUSY.get();
    }
}
