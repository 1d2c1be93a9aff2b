package com.leadsync.local;

import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** For tests: the template's tables and queues created again under another stack name, beside the running one. */
public final class LocalStacks {

    private LocalStacks() {
    }

    public static LocalInfrastructure create(DynamoDbClient dynamo, SqsClient sqs, String stackName,
            Optional<Integer> visibilityTimeout) {
        LocalInfrastructure stack = new LocalInfrastructure(dynamo, sqs, stackName, visibilityTimeout);
        stack.ensure();
        return stack;
    }
}
