package com.leadsync.testing;

import static org.awaitility.Awaitility.await;

import com.leadsync.delivery.DeliveryRepository;
import io.quarkus.arc.Arc;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.awaitility.core.ThrowingRunnable;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * "Nothing more happens": a step repeats only when SQS hands a message out again, one visibility timeout after a
 * worker took it (the leases are shorter, so they are over by then), or when the retry sweep finds a delivery due.
 * An assertion held for that long plus a margin for the worker's own run shows a stray repeat; the window follows
 * the profile's timeout instead of a literal.
 *
 * <p>The window ends early once the pipeline is provably idle: no message visible, in flight or delayed on any work
 * queue, and no unfinished delivery due within the window, seen on {@link #IDLE_CHECKS} checks in a row. From
 * there nothing can run again without new input, so holding on would only wait. A crashed step keeps its message
 * in flight until the visibility timeout, so a crash test still waits for that redelivery and what it does.
 */
public final class Redelivery {

    private static final Duration MARGIN = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final int IDLE_CHECKS = 3;
    private static final List<QueueAttributeName> DEPTHS = List.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    private Redelivery() {
    }

    /** One visibility timeout of the running app's queues, plus the margin. */
    public static Duration window() {
        int visibility = ConfigProvider.getConfig().getValue("leadsync.local.visibility-timeout", Integer.class);
        return Duration.ofSeconds(visibility).plus(MARGIN);
    }

    /** The assertion holds (after first holding) for {@link #window()}, or until the pipeline is idle. */
    public static void staysTrue(ThrowingRunnable assertion) {
        Duration window = window();
        await().atMost(window.multipliedBy(2).plusSeconds(5)).untilAsserted(assertion);
        int[] idle = {0};
        try {
            await().atMost(window).pollDelay(POLL).pollInterval(POLL)
                    .failFast("the assertion stopped holding", () -> !holds(assertion))
                    .until(() -> {
                        idle[0] = idle() ? idle[0] + 1 : 0;
                        return idle[0] >= IDLE_CHECKS;
                    });
        } catch (ConditionTimeoutException e) {
            // The whole window passed with the assertion holding: what was asked.
        } catch (TerminalFailureException e) {
            rethrowing(assertion); // its own message
            throw e;
        }
        rethrowing(assertion);
    }

    private static boolean holds(ThrowingRunnable assertion) {
        try {
            assertion.run();
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private static void rethrowing(ThrowingRunnable assertion) {
        try {
            assertion.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /** Nothing on any work queue (dead-letter queues are not worked) and no unfinished delivery due soon. */
    private static boolean idle() {
        SqsClient sqs = Arc.container().instance(SqsClient.class).get();
        for (String url : sqs.listQueues().queueUrls()) {
            if (url.endsWith("-dlq")) {
                continue;
            }
            Map<QueueAttributeName, String> depths = sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(DEPTHS)).attributes();
            if (depths.values().stream().anyMatch(v -> !"0".equals(v))) {
                return false;
            }
        }
        DeliveryRepository deliveries = Arc.container().instance(DeliveryRepository.class).get();
        return DueIndex.all(deliveries, Instant.now().plus(window())).stream()
                .allMatch(DeliveryRepository.Due::finished);
    }
}
