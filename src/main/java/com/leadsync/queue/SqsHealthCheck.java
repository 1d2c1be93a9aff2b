package com.leadsync.queue;

import com.leadsync.ops.HealthCheck;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** SQS answers: the ingest queue's attributes (what every webhook needs to be accepted). */
@ApplicationScoped
public class SqsHealthCheck implements HealthCheck {

    private final SqsClient sqs;
    private final QueuePublisher queues;

    SqsHealthCheck(SqsClient sqs, QueuePublisher queues) {
        this.sqs = sqs;
        this.queues = queues;
    }

    @Override
    public String name() {
        return "sqs";
    }

    @Override
    public void probe() {
        sqs.getQueueAttributes(b -> b.queueUrl(queues.ingestUrl()).attributeNames(QueueAttributeName.QUEUE_ARN)
                .overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT)));
    }
}
