package com.leadsync.local;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates, on the emulators, the tables and queues that template.yaml defines, the same keys, indexes,
 * dead-letter queues and redrive counts that SAM deploys. Existing ones (a restart with data) are kept.
 */
@ApplicationScoped
public class LocalInfrastructure {

    private static final Logger LOG = Logger.getLogger(LocalInfrastructure.class);

    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final String stackName;
    private final Optional<Integer> visibilityOverride;
    private final Map<String, String> queueUrls = new HashMap<>();
    private StackTemplate template;
    private StackTemplate parsed;

    LocalInfrastructure(DynamoDbClient dynamo, SqsClient sqs,
            @ConfigProperty(name = "leadsync.local.stack-name") String stackName,
            @ConfigProperty(name = "leadsync.local.visibility-timeout") Optional<Integer> visibilityOverride) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.stackName = stackName;
        this.visibilityOverride = visibilityOverride;
    }

    void create(@Observes @Priority(20) StartupEvent event) {
        ensure();
    }

    /** The template, parsed; no AWS call (usable before the emulators are up). */
    public synchronized StackTemplate template() {
        if (parsed == null) {
            parsed = StackTemplate.loadDefault();
        }
        return parsed;
    }

    /** Idempotent: creates whatever is missing. */
    public synchronized StackTemplate ensure() {
        if (template != null) {
            return template;
        }
        StackTemplate t = template();
        List<String> existing = dynamo.listTables().tableNames();
        for (StackTemplate.TableSpec table : t.tables(stackName)) {
            if (!existing.contains(table.tableName())) {
                createTable(table);
            }
        }
        for (StackTemplate.QueueSpec queue : t.queues(stackName)) {
            queueUrls.put(queue.logicalId(), createQueue(queue));
        }
        LOG.infof("local stack '%s': %d tables, %d queues from template.yaml", stackName, t.tables(stackName).size(),
                queueUrls.size());
        template = t;
        return t;
    }

    public String queueUrl(String logicalId) {
        ensure();
        return queueUrls.get(logicalId);
    }

    public String stackName() {
        return stackName;
    }

    private void createTable(StackTemplate.TableSpec t) {
        try {
            dynamo.createTable(b -> b.tableName(t.tableName()).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(t.attributeTypes().entrySet().stream()
                            .map(e -> AttributeDefinition.builder().attributeName(e.getKey()).attributeType(e.getValue())
                                    .build()).toList())
                    .keySchema(keys(t.keys()))
                    .globalSecondaryIndexes(t.globalIndexes().isEmpty() ? null : t.globalIndexes().stream()
                            .map(i -> GlobalSecondaryIndex.builder().indexName(i.indexName()).keySchema(keys(i.keys()))
                                    .projection(Projection.builder().projectionType(
                                            ProjectionType.fromValue(i.projectionType()))
                                            .nonKeyAttributes(i.nonKeyAttributes().isEmpty() ? null
                                                    : i.nonKeyAttributes()).build())
                                    .build()).toList()));
        } catch (ResourceInUseException alreadyThere) {
            // Created by a concurrent start; fine.
        }
    }

    private static List<KeySchemaElement> keys(List<StackTemplate.KeySpec> keys) {
        return keys.stream().map(k -> KeySchemaElement.builder().attributeName(k.attribute()).keyType(k.keyType())
                .build()).toList();
    }

    private String createQueue(StackTemplate.QueueSpec q) {
        Map<QueueAttributeName, String> attrs = new HashMap<>();
        attrs.put(QueueAttributeName.VISIBILITY_TIMEOUT,
                Integer.toString(visibilityOverride.orElse(q.visibilityTimeoutSeconds())));
        if (q.messageRetentionSeconds() != null) {
            attrs.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, q.messageRetentionSeconds().toString());
        }
        if (q.deadLetterLogicalId() != null) {
            String dlqUrl = queueUrls.get(q.deadLetterLogicalId());
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            attrs.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn
                    + "\",\"maxReceiveCount\":\"" + q.maxReceiveCount() + "\"}");
        }
        try {
            return sqs.createQueue(b -> b.queueName(q.queueName()).attributes(attrs)).queueUrl();
        } catch (software.amazon.awssdk.services.sqs.model.QueueNameExistsException e) {
            // Same name with other attributes (a changed template): keep the queue and its messages, update it.
            String url = sqs.getQueueUrl(b -> b.queueName(q.queueName())).queueUrl();
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attrs));
            return url;
        }
    }
}
