package com.leadsync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.leadsync.testing.Emulators;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** A recorded trace replayed on copies: the same calls, the same outcomes, the messages it sent received. */
class ReplayTest {

    private static final StaticCredentialsProvider LOCAL =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    private static final DynamoDbClient DYNAMO = DynamoDbClient.builder()
            .endpointOverride(URI.create(Emulators.dynamoEndpoint())).region(Region.US_EAST_1).credentialsProvider(LOCAL)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(c -> c.addExecutionInterceptor(new CallRecorder())).build();
    private static final SqsClient SQS = SqsClient.builder()
            .endpointOverride(URI.create(Emulators.sqsEndpoint())).region(Region.US_EAST_1).credentialsProvider(LOCAL)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(c -> c.addExecutionInterceptor(new CallRecorder())).build();

    @AfterAll
    static void close() {
        DYNAMO.close();
        SQS.close();
    }

    @Test
    void a_replay_makes_the_recorded_calls_on_the_copies_with_the_outcomes_they_had() throws Exception {
        String table = table("replay-test-" + UUID.randomUUID());
        String tableCopy = table(table + "-copy");
        String queue = SQS.createQueue(b -> b.queueName(table)).queueUrl();
        String queueCopy = SQS.createQueue(b -> b.queueName(tableCopy)).queueUrl();

        CallRecorder.start();
        claim(table, "L1");
        assertThatThrownBy(() -> claim(table, "L1")).isInstanceOf(ConditionalCheckFailedException.class);
        assertThatThrownBy(() -> DYNAMO.updateItem(b -> b.tableName(table).key(key("L2"))
                .updateExpression("SET n = :one").conditionExpression("attribute_exists(leadId)")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        SQS.sendMessageBatch(b -> b.queueUrl(queue).entries(entry("0", "L1"), entry("1", "L2")));
        List<Message> got = SQS.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
        assertThat(got).hasSize(2);
        SQS.deleteMessageBatch(b -> b.queueUrl(queue).entries(got.stream().map(m -> DeleteMessageBatchRequestEntry
                .builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
        ReplayPlan plan = ReplayPlan.of(CallRecorder.stop(), Map.of(table, List.of("leadId")));

        Replay.Result r = new Replay(DYNAMO, SQS, Map.of(table, tableCopy), Map.of(queue, queueCopy)).run(plan);

        assertThat(plan.failures()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "PutItem ConditionalCheckFailedException", 1L, "UpdateItem ConditionalCheckFailedException", 1L));
        assertThat(r.outcomeMismatches()).isEmpty();
        assertThat(r.byOperation()).isEqualTo(plan.byOperation).containsEntry("Sqs:ReceiveMessage", 1L);
        assertThat(r.messagesReceived()).isEqualTo(2);
        assertThat(r.messagesDeleted()).isEqualTo(2);
        assertThat(DYNAMO.getItem(b -> b.tableName(tableCopy).key(key("L1"))).item())
                .isEqualTo(DYNAMO.getItem(b -> b.tableName(table).key(key("L1"))).item());
        assertThat(SQS.getQueueAttributes(b -> b.queueUrl(queueCopy).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes())
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");
    }

    private static String table(String name) {
        DYNAMO.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("leadId").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("leadId").keyType(KeyType.HASH)));
        return name;
    }

    private static void claim(String table, String lead) {
        DYNAMO.putItem(b -> b.tableName(table).item(Map.of("leadId", AttributeValue.fromS(lead),
                "status", AttributeValue.fromS("RECEIVED"))).conditionExpression("attribute_not_exists(leadId)"));
    }

    private static Map<String, AttributeValue> key(String lead) {
        return Map.of("leadId", AttributeValue.fromS(lead));
    }

    private static SendMessageBatchRequestEntry entry(String id, String lead) {
        return SendMessageBatchRequestEntry.builder().id(id).messageBody("{\"leadId\":\"" + lead + "\"}").build();
    }
}
