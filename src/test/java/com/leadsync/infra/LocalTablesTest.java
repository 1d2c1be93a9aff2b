package com.leadsync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.local.LocalInfrastructure;
import com.leadsync.store.Schema;
import com.leadsync.store.TableNames;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The tables local mode created from template.yaml (on the real emulator) are the ones the store code
 * expects: same names as configured, same keys, same indexes.
 */
@QuarkusTest
class LocalTablesTest {

    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames names;
    @Inject
    LocalInfrastructure infrastructure;

    @Test
    void created_tables_match_what_the_store_code_uses() {
        infrastructure.ensure();
        for (Schema.TableSchema t : Schema.all()) {
            TableDescription d = dynamo.describeTable(b -> b.tableName(names.of(t))).table();
            assertThat(keys(d.keySchema())).as(t.logicalId()).isEqualTo(keys(t.key()));
            Map<String, Map<KeyType, String>> indexes = d.globalSecondaryIndexes() == null ? Map.of()
                    : d.globalSecondaryIndexes().stream().collect(Collectors.toMap(i -> i.indexName(),
                            i -> keys(i.keySchema())));
            assertThat(indexes).as(t.logicalId() + " indexes")
                    .isEqualTo(t.indexes().stream().collect(Collectors.toMap(Schema.Index::name, i -> keys(i.key()))));
        }
    }

    private static Map<KeyType, String> keys(List<KeySchemaElement> schema) {
        return schema.stream().collect(Collectors.toMap(KeySchemaElement::keyType, KeySchemaElement::attributeName));
    }

    private static Map<KeyType, String> keys(Schema.Key key) {
        return key.sort() == null ? Map.of(KeyType.HASH, key.partition())
                : Map.of(KeyType.HASH, key.partition(), KeyType.RANGE, key.sort());
    }
}
