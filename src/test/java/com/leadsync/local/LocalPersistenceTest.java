package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.testing.Emulators;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Local mode keeps tables, items and queued messages in its data dir across a restart of the emulators. */
class LocalPersistenceTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    @Test
    void tables_items_and_queued_messages_survive_a_restart(@TempDir Path dataDir) throws Exception {
        Path tools = Path.of(System.getProperty("leadsync.tools.dir", "target/tools"));
        int dynamoPort = Emulators.freePort();
        int sqsPort = Emulators.freePort();

        try (DynaliteEmulator dynamo = DynaliteEmulator.start(tools, dynamoPort, dataDir.resolve("dynamodb"));
                ElasticMqEmulator sqs = ElasticMqEmulator.start(sqsPort, dataDir.resolve("sqs"));
                DynamoDbClient db = dynamo(dynamo.endpoint());
                SqsClient queue = sqs(sqs.endpoint())) {
            db.createTable(b -> b.tableName("kept").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
            // dynalite makes a new table ACTIVE asynchronously, even with --createTableMs 0: on a busy machine
            // a write right after CreateTable finds no table.
            await().atMost(Duration.ofSeconds(10)).until(() -> db.describeTable(b -> b.tableName("kept")).table()
                    .tableStatus() == TableStatus.ACTIVE);
            db.putItem(b -> b.tableName("kept").item(Map.of("id", AttributeValue.fromS("lead-1"))));
            String url = queue.createQueue(b -> b.queueName("kept-queue")).queueUrl();
            queue.sendMessage(b -> b.queueUrl(url).messageBody("{\"leadId\":\"lead-1\"}"));
        }
        assertThat(Files.list(dataDir.resolve("dynamodb")).count()).isPositive();

        try (DynaliteEmulator dynamo = DynaliteEmulator.start(tools, dynamoPort, dataDir.resolve("dynamodb"));
                ElasticMqEmulator sqs = ElasticMqEmulator.start(sqsPort, dataDir.resolve("sqs"));
                DynamoDbClient db = dynamo(dynamo.endpoint());
                SqsClient queue = sqs(sqs.endpoint())) {
            assertThat(db.getItem(b -> b.tableName("kept").key(Map.of("id", AttributeValue.fromS("lead-1"))))
                    .item()).containsEntry("id", AttributeValue.fromS("lead-1"));
            String url = queue.getQueueUrl(b -> b.queueName("kept-queue")).queueUrl();
            assertThat(queue.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages())
                    .extracting(m -> m.body()).containsExactly("{\"leadId\":\"lead-1\"}");
        }
    }

    private static DynamoDbClient dynamo(String endpoint) {
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static SqsClient sqs(String endpoint) {
        return SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
