package com.leadsync.store;

import com.leadsync.ops.HealthCheck;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB answers: an eventually consistent read of an account id that cannot exist (half a read unit). */
@ApplicationScoped
public class DynamoHealthCheck implements HealthCheck {

    private final DynamoDbClient dynamo;
    private final TableNames tables;

    DynamoHealthCheck(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public String name() {
        return "dynamodb";
    }

    @Override
    public void probe() {
        dynamo.getItem(b -> b.tableName(tables.of(Schema.ACCOUNTS)).key(Map.of("accountId", Attr.s("health-probe")))
                .projectionExpression("accountId")
                .overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT)));
    }
}
