package com.leadsync.queue;

import com.leadsync.ops.DeadLetterQueues;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The dead-letter queues of {@code template.yaml} ({@code leadsync.queues.<queue>-dlq}: URLs in AWS, names in local
 * mode), redriven with SQS's message move tasks: SQS moves the messages itself, keeping their bodies and attributes,
 * in AWS and in ElasticMQ alike.
 */
@ApplicationScoped
public class SqsDeadLetters implements DeadLetterQueues {

    private static final String RUNNING = "RUNNING";

    private final SqsClient sqs;
    private final QueuePublisher queues;
    private final Config config;

    SqsDeadLetters(SqsClient sqs, QueuePublisher queues, Config config) {
        this.sqs = sqs;
        this.queues = queues;
        this.config = config;
    }

    @Override
    public List<Depth> depths() {
        try {
            return readDepths();
        } catch (SdkClientException unreachable) {
            throw new Unavailable("SQS did not answer: " + unreachable.getMessage(), unreachable);
        }
    }

    private List<Depth> readDepths() {
        List<Depth> out = new ArrayList<>();
        for (String queue : QUEUES) {
            String dlqUrl = dlqUrl(queue);
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(
                    QueueAttributeName.QUEUE_ARN, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            out.add(new Depth(queue, name(dlqUrl), count(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                    count(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
                    latestTask(a.get(QueueAttributeName.QUEUE_ARN))));
        }
        return out;
    }

    @Override
    public Redrive redrive(String queue) {
        if (!QUEUES.contains(queue)) {
            throw new IllegalArgumentException("no pipeline queue '" + queue + "'");
        }
        try {
            return start(queue);
        } catch (SdkClientException unreachable) {
            throw new Unavailable("SQS did not answer, nothing was moved; try again: " + unreachable.getMessage(),
                    unreachable);
        }
    }

    private Redrive start(String queue) {
        String dlqUrl = dlqUrl(queue);
        Map<QueueAttributeName, String> dlq = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(
                QueueAttributeName.QUEUE_ARN, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes();
        String dlqArn = dlq.get(QueueAttributeName.QUEUE_ARN);
        MoveTask running = latestTask(dlqArn);
        if (running != null && RUNNING.equals(running.status())) {
            throw inProgress(dlqUrl, running);
        }
        long messages = count(dlq.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        if (messages == 0) {
            return new Redrive(queue, name(dlqUrl), 0, null);
        }
        String sourceArn = sqs.getQueueAttributes(b -> b.queueUrl(queues.urlOf(queue))
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        String handle;
        try {
            handle = sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn).destinationArn(sourceArn)).taskHandle();
        } catch (SqsException refused) {
            // Another redrive may have started one between the look and the start: SQS refuses a second.
            MoveTask now = latestTask(dlqArn);
            if (now != null && RUNNING.equals(now.status())) {
                throw inProgress(dlqUrl, now);
            }
            throw refused;
        }
        return new Redrive(queue, name(dlqUrl), messages, handle);
    }

    private static MoveInProgress inProgress(String dlqUrl, MoveTask running) {
        return new MoveInProgress("a redrive of " + name(dlqUrl) + " is running already (task "
                + running.taskHandle() + ", " + running.moved() + " of " + running.toMove() + " moved)");
    }

    private MoveTask latestTask(String dlqArn) {
        List<ListMessageMoveTasksResultEntry> tasks = sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn).maxResults(1))
                .results();
        if (tasks.isEmpty()) {
            return null;
        }
        ListMessageMoveTasksResultEntry t = tasks.get(0);
        return new MoveTask(t.taskHandle(), t.status(), orZero(t.approximateNumberOfMessagesMoved()),
                orZero(t.approximateNumberOfMessagesToMove()), t.failureReason());
    }

    private String dlqUrl(String queue) {
        return queues.url(config.getValue("leadsync.queues." + queue + "-dlq", String.class));
    }

    private static String name(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static long count(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
