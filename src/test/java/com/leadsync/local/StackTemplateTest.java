package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.leadsync.local.StackTemplate.FunctionSpec;
import com.leadsync.local.StackTemplate.HttpRoute;
import com.leadsync.local.StackTemplate.IndexSpec;
import com.leadsync.local.StackTemplate.KeySpec;
import com.leadsync.local.StackTemplate.QueueSpec;
import com.leadsync.local.StackTemplate.ScheduleTrigger;
import com.leadsync.local.StackTemplate.SqsTrigger;
import com.leadsync.local.StackTemplate.TableSpec;
import com.leadsync.store.Schema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StackTemplateTest {

    private static StackTemplate template;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("template.yaml"))) {
            template = StackTemplate.load(in);
        }
    }

    private static StackTemplate parse(String yaml) {
        return StackTemplate.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, Object> yaml(String yaml) {
        return CfnYaml.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------------------------------ tables

    @Test
    void tablesAreNamedForTheStackWithSchemaKeys() {
        List<TableSpec> tables = template.tables("leadsync");
        assertThat(tables).extracting(TableSpec::tableName).containsExactly("leadsync-accounts",
                "leadsync-api-keys", "leadsync-connections", "leadsync-leads", "leadsync-deliveries",
                "leadsync-destinations", "leadsync-subscriptions", "leadsync-unrouted-leads", "leadsync-payloads",
                "leadsync-imports", "leadsync-crm-links",
                "leadsync-rate-limits", "leadsync-oauth-states", "leadsync-events", "leadsync-flows", "leadsync-flow-runs");
        assertThat(tables).extracting(TableSpec::logicalId)
                .containsExactlyElementsOf(Schema.all().stream().map(Schema.TableSchema::logicalId).toList());
        assertThat(template.tables("other")).extracting(TableSpec::tableName).contains("other-leads");

        Map<String, TableSpec> byId = tables.stream()
                .collect(Collectors.toMap(TableSpec::logicalId, Function.identity()));
        assertThat(byId.get("PayloadTable").keys()).containsExactly(new KeySpec("payloadKey", "HASH"),
                new KeySpec("part", "RANGE"));
        TableSpec deliveries = byId.get("DeliveriesTable");
        assertThat(deliveries.keys()).containsExactly(new KeySpec("leadId", "HASH"), new KeySpec("targetId", "RANGE"));
        assertThat(deliveries.attributeTypes()).containsExactly(Map.entry("leadId", "S"), Map.entry("targetId", "S"),
                Map.entry("retryShard", "S"), Map.entry("dueAt", "N"));
        assertThat(deliveries.globalIndexes()).containsExactly(new IndexSpec("dueRetries",
                List.of(new KeySpec("retryShard", "HASH"), new KeySpec("dueAt", "RANGE")), "INCLUDE",
                List.of("generation", "status", "traceId")));

        assertThat(byId.get("ConnectionsTable").globalIndexes()).extracting(IndexSpec::indexName)
                .containsExactly("byAccount", "byId");
        assertThat(byId.get("LeadsTable").globalIndexes()).containsExactly(new IndexSpec("byAccount",
                List.of(new KeySpec("accountShard", "HASH"), new KeySpec("listKey", "RANGE")), "INCLUDE",
                List.of("providerType")),
                new IndexSpec("byAccountProvider",
                        List.of(new KeySpec("providerShard", "HASH"), new KeySpec("listKey", "RANGE")),
                        "KEYS_ONLY"));
        assertThat(byId.get("AccountsTable").globalIndexes()).isEmpty();
        // Every key attribute is a string except the retry due time, a payload's part number and a flow's version.
        tables.forEach(t -> t.attributeTypes().forEach((attribute, type) -> assertThat(type)
                .as("%s.%s", t.logicalId(), attribute)
                .isEqualTo(List.of("dueAt", "part", "version").contains(attribute) ? "N" : "S")));
    }

    // ------------------------------------------------------------------------------------------ queues

    @Test
    void queuesComeAfterTheirDeadLetterQueues() {
        List<QueueSpec> queues = template.queues("leadsync");
        assertThat(queues).hasSize(8);
        List<String> order = queues.stream().map(QueueSpec::logicalId).toList();
        assertThat(order.indexOf("IngestDLQ")).isLessThan(order.indexOf("IngestQueue"));
        assertThat(order.indexOf("DeliverDLQ")).isLessThan(order.indexOf("DeliverQueue"));
        assertThat(order.indexOf("PollDeadLetterQueue")).isLessThan(order.indexOf("PollQueue"));
        assertThat(order.indexOf("ImportDeadLetterQueue")).isLessThan(order.indexOf("ImportQueue"));

        Map<String, QueueSpec> byId = queues.stream()
                .collect(Collectors.toMap(QueueSpec::logicalId, Function.identity()));
        assertThat(byId.get("IngestQueue"))
                .isEqualTo(new QueueSpec("IngestQueue", "leadsync-ingest", 720, 345600, "IngestDLQ", 5));
        assertThat(byId.get("DeliverQueue"))
                .isEqualTo(new QueueSpec("DeliverQueue", "leadsync-deliver", 1440, 345600, "DeliverDLQ", 5));
        assertThat(byId.get("IngestDLQ"))
                .isEqualTo(new QueueSpec("IngestDLQ", "leadsync-ingest-dlq", 30, 1209600, null, null));
        assertThat(byId.get("DeliverDLQ").queueName()).isEqualTo("leadsync-deliver-dlq");
        assertThat(byId.get("PollQueue"))
                .isEqualTo(new QueueSpec("PollQueue", "leadsync-poll", 1080, 345600, "PollDeadLetterQueue", 5));
        assertThat(byId.get("PollDeadLetterQueue").queueName()).isEqualTo("leadsync-poll-dlq");
    }

    @Test
    void deadLetterQueueDeclaredLaterIsStillCreatedFirst() {
        StackTemplate t = parse("""
                Resources:
                  Work:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !Join ['-', [!Ref 'AWS::StackName', work]]
                      VisibilityTimeout: '120'
                      RedrivePolicy:
                        deadLetterTargetArn: !GetAtt [Dead, Arn]
                        maxReceiveCount: '7'
                  Plain:
                    Type: AWS::SQS::Queue
                  Dead:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !Sub
                        - '${AWS::StackName}-${Suffix}'
                        - Suffix: dead
                """);
        assertThat(t.queues("s")).containsExactly(
                new QueueSpec("Dead", "s-dead", 30, null, null, null),
                new QueueSpec("Work", "s-work", 120, null, "Dead", 7),
                new QueueSpec("Plain", "s-Plain", 30, null, null, null));
    }

    @Test
    void unresolvableNamesAndRedrivesFail() {
        assertThatThrownBy(() -> parse("""
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !Sub '${Other}-q'
                """).queues("s")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("${Other}");
        assertThatThrownBy(() -> parse("""
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                    Properties:
                      RedrivePolicy:
                        deadLetterTargetArn: !GetAtt Missing.Arn
                        maxReceiveCount: 5
                """).queues("s")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Missing");
    }

    // ------------------------------------------------------------------------------------------ functions

    @Test
    void functionsCarryExportsRoutesAndTriggers() {
        List<FunctionSpec> functions = template.functions();
        assertThat(functions).extracting(FunctionSpec::export)
                .containsExactlyInAnyOrder("webhook", "normalize", "deliver", "retry", "api", "poll-schedule", "poll",
                        "import", "connection-check");
        Map<String, FunctionSpec> byId = functions.stream()
                .collect(Collectors.toMap(FunctionSpec::logicalId, Function.identity()));

        assertThat(byId.get("WebhookFunction")).isEqualTo(new FunctionSpec("WebhookFunction", "webhook", 10, 512,
                List.of(new HttpRoute("ANY", "/webhook/{providerType}")), List.of(), List.of()));
        assertThat(byId.get("NormalizeFunction")).isEqualTo(new FunctionSpec("NormalizeFunction", "normalize", 120, 512,
                List.of(), List.of(new SqsTrigger("IngestQueue", 5, true, 1)), List.of()));
        assertThat(byId.get("DeliverFunction")).isEqualTo(new FunctionSpec("DeliverFunction", "deliver", 240, 512,
                List.of(), List.of(new SqsTrigger("DeliverQueue", 100, true, 2)), List.of()));
        assertThat(byId.get("RetryFunction")).isEqualTo(new FunctionSpec("RetryFunction", "retry", 60, 512,
                List.of(), List.of(), List.of(new ScheduleTrigger("rate(1 minute)"))));
        assertThat(byId.get("RetryFunction").schedules().get(0).period()).isEqualTo(Duration.ofMinutes(1));
        // The poll schedule is the template parameter PollSchedule, read locally as its default.
        assertThat(byId.get("PollScheduleFunction")).isEqualTo(new FunctionSpec("PollScheduleFunction",
                "poll-schedule", 60, 512, List.of(), List.of(), List.of(new ScheduleTrigger("rate(5 minutes)"))));
        assertThat(byId.get("ConnectionCheckFunction")).isEqualTo(new FunctionSpec("ConnectionCheckFunction",
                "connection-check", 60, 512, List.of(), List.of(), List.of(new ScheduleTrigger("rate(1 day)"))));
        assertThat(byId.get("ConnectionCheckFunction").schedules().get(0).period()).isEqualTo(Duration.ofDays(1));
        assertThat(byId.get("PollFunction")).isEqualTo(new FunctionSpec("PollFunction", "poll", 180, 512,
                List.of(), List.of(new SqsTrigger("PollQueue", 1, true, 0)), List.of()));
        assertThat(byId.get("ImportFunction")).isEqualTo(new FunctionSpec("ImportFunction", "import", 60, 512,
                List.of(), List.of(new SqsTrigger("ImportQueue", 1, true, 0)), List.of()));
        assertThat(byId.get("ApiFunction")).isEqualTo(new FunctionSpec("ApiFunction", "api", 30, 512,
                List.of(new HttpRoute("ANY", "/{proxy+}")), List.of(), List.of()));
    }

    @Test
    void functionDefaultsComeFromGlobals() {
        StackTemplate t = parse("""
                Globals:
                  Function:
                    Timeout: 25
                    MemorySize: 1024
                    Environment:
                      Variables:
                        QUARKUS_FUNQY_EXPORT: shared
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Get:
                          Type: HttpApi
                          Properties:
                            Method: get
                            Path: /things
                        Queue:
                          Type: SQS
                          Properties:
                            Queue: !GetAtt Q.Arn
                        Off:
                          Type: ScheduleV2
                          Properties:
                            ScheduleExpression: rate(5 minutes)
                            State: DISABLED
                        Other:
                          Type: S3
                          Properties:
                            Bucket: !Ref B
                  G:
                    Type: AWS::Serverless::Function
                    Properties:
                      Timeout: 5
                      MemorySize: 256
                      Environment:
                        Variables:
                          QUARKUS_FUNQY_EXPORT: own
                """);
        assertThat(t.functions()).containsExactly(
                new FunctionSpec("F", "shared", 25, 1024, List.of(new HttpRoute("GET", "/things")),
                        List.of(new SqsTrigger("Q", 10, false, 0)), List.of()),
                new FunctionSpec("G", "own", 5, 256, List.of(), List.of(), List.of()));
        assertThat(parse("Resources: {F: {Type: 'AWS::Serverless::Function'}}").functions())
                .containsExactly(new FunctionSpec("F", null, 3, 128, List.of(), List.of(), List.of()));
    }

    @Test
    void aScheduleFromAParameterIsItsDefaultAndAParameterWithoutOneFails() {
        StackTemplate t = parse("""
                Parameters:
                  Every:
                    Type: String
                    Default: rate(2 minutes)
                  Required:
                    Type: String
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Tick:
                          Type: ScheduleV2
                          Properties:
                            ScheduleExpression: !Ref Every
                """);
        assertThat(t.functions().get(0).schedules()).containsExactly(new ScheduleTrigger("rate(2 minutes)"));
        assertThatThrownBy(() -> parse("""
                Parameters:
                  Required:
                    Type: String
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Tick:
                          Type: Schedule
                          Properties:
                            ScheduleExpression: !Ref Required
                """).functions()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("F.Tick.ScheduleExpression").hasMessageContaining("Required");
    }

    @Test
    void schedulePeriods() {
        assertThat(new ScheduleTrigger("rate(1 minute)").period()).isEqualTo(Duration.ofMinutes(1));
        assertThat(new ScheduleTrigger("rate(15 minutes)").period()).isEqualTo(Duration.ofMinutes(15));
        assertThat(new ScheduleTrigger("rate(1 hour)").period()).isEqualTo(Duration.ofHours(1));
        assertThat(new ScheduleTrigger("rate(2 days)").period()).isEqualTo(Duration.ofDays(2));
        assertThat(new ScheduleTrigger("rate(30 seconds)").period()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> new ScheduleTrigger("cron(0/5 * * * ? *)").period())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new ScheduleTrigger("rate(0 minutes)").period())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScheduleTrigger("every minute").period())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loadDefaultFindsTheTemplate() {
        StackTemplate loaded = StackTemplate.loadDefault();
        assertThat(loaded.functions()).hasSize(9);
        assertThat(loaded.tables("leadsync")).hasSize(Schema.all().size());
        assertThat(loaded.raw()).containsKeys("Resources", "Globals", "Parameters", "Outputs");
    }

    // ------------------------------------------------------------------------------------------ CfnYaml

    @Test
    void shortFormTagsBecomeLongForm() {
        Map<String, Object> t = yaml("""
                A: !Ref Thing
                B: !GetAtt Db.Endpoint.Address
                C: !GetAtt [Q, Arn]
                D: !Sub '${AWS::StackName}-x'
                E: !Sub ['${A}-${B}', {A: !Ref X, B: y}]
                F: !Join [',', [a, !Ref Y]]
                G: !Select [0, !GetAZs '']
                H: !If [IsProd, !Split ['|', 'a|b'], !Ref 'AWS::NoValue']
                I: !And [!Equals [a, b], !Not [!Condition C1], !Or [!Condition C2, !Condition C3]]
                J: !FindInMap [M, K1, K2]
                K: !Base64 text
                L: !Cidr [10.0.0.0/16, 4, 8]
                M: !ImportValue {"Fn::Sub": "${Env}-vpc"}
                N: 5
                Off: no
                2010-09-09: 1
                """);
        assertThat(t.get("A")).isEqualTo(Map.of("Ref", "Thing"));
        assertThat(t.get("B")).isEqualTo(Map.of("Fn::GetAtt", List.of("Db", "Endpoint.Address")));
        assertThat(t.get("C")).isEqualTo(Map.of("Fn::GetAtt", List.of("Q", "Arn")));
        assertThat(t.get("D")).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-x"));
        assertThat(t.get("E")).isEqualTo(Map.of("Fn::Sub", List.of("${A}-${B}",
                Map.of("A", Map.of("Ref", "X"), "B", "y"))));
        assertThat(t.get("F")).isEqualTo(Map.of("Fn::Join", List.of(",", List.of("a", Map.of("Ref", "Y")))));
        assertThat(t.get("G")).isEqualTo(Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))));
        assertThat(t.get("H")).isEqualTo(Map.of("Fn::If", List.of("IsProd",
                Map.of("Fn::Split", List.of("|", "a|b")), Map.of("Ref", "AWS::NoValue"))));
        assertThat(t.get("I")).isEqualTo(Map.of("Fn::And", List.of(
                Map.of("Fn::Equals", List.of("a", "b")),
                Map.of("Fn::Not", List.of(Map.of("Condition", "C1"))),
                Map.of("Fn::Or", List.of(Map.of("Condition", "C2"), Map.of("Condition", "C3"))))));
        assertThat(t.get("J")).isEqualTo(Map.of("Fn::FindInMap", List.of("M", "K1", "K2")));
        assertThat(t.get("K")).isEqualTo(Map.of("Fn::Base64", "text"));
        assertThat(t.get("L")).isEqualTo(Map.of("Fn::Cidr", List.of("10.0.0.0/16", 4, 8)));
        assertThat(t.get("M")).isEqualTo(Map.of("Fn::ImportValue", Map.of("Fn::Sub", "${Env}-vpc")));
        assertThat(t.get("N")).isEqualTo(5);
        // Keys stay text (values still follow YAML 1.1).
        assertThat(t).containsEntry("Off", false).containsEntry("2010-09-09", 1);
    }

    @Test
    void unknownTagsDuplicateKeysAndNonMappingsFail() {
        assertThatThrownBy(() -> yaml("A: !Bogus x")).hasMessageContaining("!Bogus");
        assertThatThrownBy(() -> yaml("A: 1\nA: 2")).hasMessageContaining("A");
        assertThatThrownBy(() -> yaml("- a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> yaml("A: !GetAtt NoDot")).hasMessageContaining("NoDot");
    }
}
