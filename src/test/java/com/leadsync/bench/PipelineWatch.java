package com.leadsync.bench;

import static org.awaitility.Awaitility.await;

import com.leadsync.store.Schema;
import com.leadsync.store.TableNames;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What the pipeline did for one account, read from the emulators (its leads by status, its deliveries by outcome),
 * and whether its queues are idle, watched with an SQS client of its own (not one of the application's).
 */
final class PipelineWatch implements AutoCloseable {

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final SqsClient monitor;

    PipelineWatch(DynamoDbClient dynamo, TableNames tables, URI sqsEndpoint) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.monitor = SqsClient.builder().endpointOverride(sqsEndpoint).region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    /** Nothing queued, in flight or delayed on any of these queues. */
    void awaitIdle(List<String> queueUrls) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> queueUrls.stream().mapToLong(this::queued).sum() == 0);
    }

    /** Messages on a queue: visible, in flight and delayed. */
    private long queued(String url) {
        Map<QueueAttributeName, String> a = monitor.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToLong(Long::parseLong).sum();
    }

    /** The account's leads counted by status (one Query of the leads table's byAccount index). */
    Map<String, Long> leadsByStatus(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(tables.of(Schema.LEADS)).indexName("byAccount")
                        .keyConditionExpression("accountId = :a").projectionExpression("#st")
                        .expressionAttributeNames(Map.of("#st", "status"))
                        .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(accountId))))
                .items().stream().collect(Collectors.groupingBy(i -> i.get("status").s(), Collectors.counting()));
    }

    /** The account's deliveries counted by "status/attempts" (a Scan of the deliveries table). */
    Map<String, Long> deliveriesByOutcome(String accountId) {
        return dynamo.scanPaginator(b -> b.tableName(tables.of(Schema.DELIVERIES))
                        .filterExpression("accountId = :a").projectionExpression("#st, attempts")
                        .expressionAttributeNames(Map.of("#st", "status"))
                        .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(accountId))))
                .items().stream().collect(Collectors.groupingBy(i -> i.get("status").s() + "/" + i.get("attempts").n(),
                        Collectors.counting()));
    }

    @Override
    public void close() {
        monitor.close();
    }
}
