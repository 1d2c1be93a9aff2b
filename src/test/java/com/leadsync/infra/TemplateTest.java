package com.leadsync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.leadsync.store.Schema;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.configuration.DurationConverter;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks template.yaml (what SAM deploys and local mode runs) against the rules in {@link TemplateChecks}, then feeds
 * the checker broken copies of it to show each rule bites.
 */
class TemplateTest {

    static final Path TEMPLATE = Path.of("template.yaml");
    static final Path CLASSES = Path.of("target", "classes");
    static final Path APPLICATION_PROPERTIES = Path.of("src", "main", "resources", "application.properties");

    private static TemplateChecks checks(Map<String, Object> template) {
        return new TemplateChecks(template);
    }

    /** A fresh, mutable parse of the real template. */
    private static Map<String, Object> template() {
        return TemplateChecks.parse(TEMPLATE);
    }

    private static TemplateChecks.FunqScan appFunqs() {
        return TemplateChecks.scanFunqs(CLASSES, TemplateChecks.FUNCTIONS_PACKAGE, TemplateTest.class.getClassLoader());
    }

    private static TemplateChecks.FunqScan funqs(String... names) {
        Map<String, String> functions = new LinkedHashMap<>();
        for (String name : names) {
            functions.put(name, "Fake#" + name);
        }
        return new TemplateChecks.FunqScan("fake", functions, List.of());
    }

    private static final TemplateChecks.FunqScan DEPLOYED_FUNQS = funqs("webhook", "normalize", "deliver", "retry",
            "api", "poll-schedule", "poll", "import", "connection-check");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> root, String... path) {
        Map<String, Object> node = root;
        for (String key : path) {
            node = (Map<String, Object>) node.get(key);
            assertThat(node).as("template path %s", String.join(".", path)).isNotNull();
        }
        return node;
    }

    /** The mapping at a path of mapping keys (String) and list indexes (Integer). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> node(Map<String, Object> root, Object... path) {
        Object node = root;
        for (Object step : path) {
            node = step instanceof Integer i ? ((List<Object>) node).get(i) : ((Map<String, Object>) node).get(step);
            assertThat(node).as("template path %s", List.of(path)).isNotNull();
        }
        return (Map<String, Object>) node;
    }

    private static Map<String, Object> props(Map<String, Object> template, String resource) {
        return at(template, "Resources", resource, "Properties");
    }

    private static Map<String, Object> output(Map<String, Object> template, String name, Object value) {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("Value", value);
        at(template, "Outputs").put(name, output);
        return template;
    }

    // ------------------------------------------------------------------------------------------ the real template

    /**
     * Each platform's settings reach exactly the functions whose code reads them (a missing one fails only in AWS:
     * an empty secret refuses every webhook, a missing developer token makes every Google call fail).
     */
    @Test
    void each_function_gets_the_platform_settings_its_code_reads_and_no_other_secret() {
        Map<String, List<String>> needs = Map.of(
                "WebhookFunction", List.of("LEADSYNC_META_APP_SECRET", "LEADSYNC_META_VERIFY_TOKEN",
                        "LEADSYNC_LINKEDIN_CLIENT_SECRET", "LEADSYNC_TIKTOK_APP_SECRET"),
                "NormalizeFunction", List.of("LEADSYNC_LINKEDIN_CLIENT_ID", "LEADSYNC_LINKEDIN_CLIENT_SECRET"),
                "PollFunction", List.of("LEADSYNC_GOOGLE_DEVELOPER_TOKEN", "LEADSYNC_GOOGLE_CLIENT_ID",
                        "LEADSYNC_GOOGLE_CLIENT_SECRET", "LEADSYNC_LINKEDIN_CLIENT_ID", "LEADSYNC_LINKEDIN_CLIENT_SECRET"),
                "ImportFunction", List.of("LEADSYNC_GOOGLE_DEVELOPER_TOKEN", "LEADSYNC_GOOGLE_CLIENT_ID",
                        "LEADSYNC_GOOGLE_CLIENT_SECRET", "LEADSYNC_LINKEDIN_CLIENT_ID", "LEADSYNC_LINKEDIN_CLIENT_SECRET"),
                "DeliverFunction", List.of("LEADSYNC_HUBSPOT_CLIENT_ID", "LEADSYNC_HUBSPOT_CLIENT_SECRET",
                        "LEADSYNC_SALESFORCE_CLIENT_ID", "LEADSYNC_SALESFORCE_CLIENT_SECRET", "LEADSYNC_ZOHO_CLIENT_ID",
                        "LEADSYNC_ZOHO_CLIENT_SECRET", "LEADSYNC_PIPEDRIVE_CLIENT_ID", "LEADSYNC_PIPEDRIVE_CLIENT_SECRET"),
                "ApiFunction", List.of("LEADSYNC_ADMIN_API_KEY", "LEADSYNC_CURSOR_SECRET",
                        "LEADSYNC_GOOGLE_DEVELOPER_TOKEN", "LEADSYNC_GOOGLE_CLIENT_ID", "LEADSYNC_GOOGLE_CLIENT_SECRET",
                        "LEADSYNC_LINKEDIN_CLIENT_ID", "LEADSYNC_LINKEDIN_CLIENT_SECRET", "LEADSYNC_HUBSPOT_CLIENT_ID",
                        "LEADSYNC_HUBSPOT_CLIENT_SECRET", "LEADSYNC_SALESFORCE_CLIENT_ID", "LEADSYNC_SALESFORCE_CLIENT_SECRET", "LEADSYNC_ZOHO_CLIENT_ID",
                        "LEADSYNC_ZOHO_CLIENT_SECRET", "LEADSYNC_PIPEDRIVE_CLIENT_ID", "LEADSYNC_PIPEDRIVE_CLIENT_SECRET",
                        // OAuth connect exchanges codes with the ad platforms' apps
                        "LEADSYNC_META_APP_ID", "LEADSYNC_META_APP_SECRET", "LEADSYNC_TIKTOK_APP_ID",
                        "LEADSYNC_TIKTOK_APP_SECRET"));
        Map<String, Object> template = template();
        assertThat(at(template, "Globals", "Function", "Environment", "Variables"))
                .containsKeys("LEADSYNC_GOOGLE_ADS_VERSION", "LEADSYNC_LINKEDIN_VERSION", "LEADSYNC_META_GRAPH_VERSION");
        for (String function : List.of("WebhookFunction", "NormalizeFunction", "DeliverFunction", "RetryFunction",
                "PollScheduleFunction", "PollFunction", "ImportFunction", "ApiFunction")) {
            Map<String, Object> variables = at(template, "Resources", function, "Properties", "Environment",
                    "Variables");
            List<String> expected = needs.getOrDefault(function, List.of());
            expected.forEach(key -> assertThat(variables).as(function).containsKey(key));
            assertThat(variables.keySet().stream().filter(k -> TemplateChecks.SECRETS.containsValue(k)))
                    .as("secrets of %s", function).allMatch(expected::contains);
        }
    }

    @Test
    void templateHasNoProblems() {
        assertThat(checks(template()).all(appFunqs(), Schema.all())).isEmpty();
    }

    /** Everything but the @Funq cross-check, which needs the compiled functions. */
    @Test
    void templateHasNoProblemsApartFromExports() {
        assertThat(checks(template()).allButExports(Schema.all())).isEmpty();
    }

    @Test
    void exportsAreTheDeployedFunctionNames() {
        assertThat(checks(template()).exports(DEPLOYED_FUNQS)).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ polling

    @Test
    void thePollerRunsOnItsScheduleWithinTheQueueTimingsAndOnlyTheGrantsItNeeds() {
        Map<String, Object> t = template();
        assertThat(at(t, "Parameters", "PollSchedule")).containsEntry("Default", "rate(5 minutes)");
        Map<String, Object> schedule = props(t, "PollScheduleFunction");
        assertThat(node(schedule, "Events", "Schedule")).containsEntry("Type", "ScheduleV2");
        assertThat(node(schedule, "Events", "Schedule", "Properties"))
                .containsEntry("ScheduleExpression", Map.of("Ref", "PollSchedule"));
        assertThat(schedule.get("Policies")).isEqualTo(List.of(
                Map.of("DynamoDBReadPolicy", Map.of("TableName", Map.of("Ref", "ConnectionsTable"))),
                Map.of("SQSSendMessagePolicy", Map.of("QueueName",
                        Map.of("Fn::GetAtt", List.of("PollQueue", "QueueName"))))));

        Map<String, Object> poll = props(t, "PollFunction");
        assertThat(node(poll, "Events", "Poll", "Properties")).containsEntry("BatchSize", 1)
                .containsEntry("Queue", Map.of("Fn::GetAtt", List.of("PollQueue", "Arn")));
        // Least privilege: the DynamoDB calls of the poll path and nothing else (no PutItem, DeleteItem, indexes).
        assertThat(poll.get("Policies")).isEqualTo(thenTellsEvents(List.of(
                sealsSecrets(List.of("kms:Decrypt", "kms:GenerateDataKey")),
                allow(List.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Scan"), "ConnectionsTable"),
                allow(List.of("dynamodb:Query", "dynamodb:BatchWriteItem"), "UnroutedTable"),
                allow(List.of("dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"), "PayloadTable"),
                Map.of("SQSSendMessagePolicy", Map.of("QueueName",
                        Map.of("Fn::GetAtt", List.of("IngestQueue", "QueueName")))),
                Map.of("SQSSendMessagePolicy", Map.of("QueueName",
                        Map.of("Fn::GetAtt", List.of("PollQueue", "QueueName")))))));
        assertThat(at(t, "Globals", "Function", "Environment", "Variables"))
                .containsEntry("LEADSYNC_QUEUES_POLL", Map.of("Ref", "PollQueue"));
        assertThat(at(t, "Resources", "PollQueue", "Properties", "RedrivePolicy"))
                .containsEntry("deadLetterTargetArn", Map.of("Fn::GetAtt", List.of("PollDeadLetterQueue", "Arn")));
    }

    @Test
    void everyFunctionThatCanTellAnEventMayStoreItAndTheDailyCheckRunsOnceADay() {
        Map<String, Object> t = template();
        for (String fn : List.of("NormalizeFunction", "DeliverFunction", "PollFunction", "ImportFunction",
                "ConnectionCheckFunction")) {
            @SuppressWarnings("unchecked")
            List<Object> policies = (List<Object>) props(t, fn).get("Policies");
            assertThat(policies).as(fn)
                    .contains(allow(List.of("dynamodb:PutItem", "dynamodb:GetItem"), "EventsTable"));
        }
        for (String fn : List.of("WebhookFunction", "RetryFunction", "PollScheduleFunction", "ApiFunction")) {
            assertThat(String.valueOf(props(t, fn).get("Policies"))).as(fn).doesNotContain("EventsTable");
        }
        Map<String, Object> check = props(t, "ConnectionCheckFunction");
        assertThat(node(check, "Events", "Schedule", "Properties")).containsEntry("ScheduleExpression",
                "rate(1 day)");
        @SuppressWarnings("unchecked")
        List<Object> checkPolicies = (List<Object>) check.get("Policies");
        assertThat(checkPolicies).containsAll(TELLS_EVENTS)
                .contains(Map.of("DynamoDBReadPolicy", Map.of("TableName", Map.of("Ref", "ConnectionsTable"))));
    }

    @Test
    void theImporterWorksOnePagePerMessageWithinTheQueueTimingsAndOnlyTheGrantsItNeeds() throws IOException {
        Map<String, Object> t = template();
        Map<String, Object> importer = props(t, "ImportFunction");
        assertThat(node(importer, "Events", "Import", "Properties")).containsEntry("BatchSize", 1)
                .containsEntry("Queue", Map.of("Fn::GetAtt", List.of("ImportQueue", "Arn")));
        assertThat(importer.get("Policies")).isEqualTo(thenTellsEvents(List.of(
                sealsSecrets(List.of("kms:Decrypt", "kms:GenerateDataKey")),
                allow(List.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"), "ImportsTable"),
                allow(List.of("dynamodb:PutItem", "dynamodb:BatchGetItem"), "LeadsTable"),
                allow(List.of("dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"), "PayloadTable"),
                Map.of("Statement", List.of(
                        Map.of("Effect", "Allow", "Action", List.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                                "Resource", Map.of("Fn::GetAtt", List.of("ConnectionsTable", "Arn"))),
                        Map.of("Effect", "Allow", "Action", "dynamodb:Query",
                                "Resource", Map.of("Fn::Sub", "${ConnectionsTable.Arn}/index/byId")))),
                Map.of("SQSSendMessagePolicy", Map.of("QueueName",
                        Map.of("Fn::GetAtt", List.of("IngestQueue", "QueueName")))),
                Map.of("SQSSendMessagePolicy", Map.of("QueueName",
                        Map.of("Fn::GetAtt", List.of("ImportQueue", "QueueName")))))));
        assertThat(at(t, "Globals", "Function", "Environment", "Variables"))
                .containsEntry("LEADSYNC_QUEUES_IMPORT", Map.of("Ref", "ImportQueue"))
                .containsEntry("LEADSYNC_TABLES_IMPORTS", Map.of("Ref", "ImportsTable"));

        // The issue's bounds (timeout <= 60 s, visibility <= 6 min), and the sums of application.properties.
        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            config.load(in);
        }
        Duration timeout = Duration.ofSeconds((Integer) importer.get("Timeout"));
        Duration visibility = Duration.ofSeconds((Integer) props(t, "ImportQueue").get("VisibilityTimeout"));
        Duration lease = duration(config, "leadsync.import.lease");
        assertThat(timeout).isLessThanOrEqualTo(Duration.ofSeconds(60))
                .isEqualTo(duration(config, "leadsync.import.function-timeout"));
        assertThat(visibility).isLessThanOrEqualTo(Duration.ofMinutes(6));
        Duration longestPage = duration(config, "leadsync.import.longest-page");
        assertThat(longestPage).isLessThan(timeout);
        // A page: the longest list call (with the function's own Google timeout), then its AWS calls.
        Map<String, Object> variables = node(importer, "Environment", "Variables");
        Duration longestCall = Duration.ZERO;
        for (String client : List.of("meta-graph", "google-ads", "linkedin", "tiktok")) {
            Object override = variables.get("QUARKUS_REST_CLIENT_" + client.replace('-', '_').toUpperCase(Locale.ROOT)
                    + "_READ_TIMEOUT");
            Duration read = override != null ? Duration.ofMillis(Long.parseLong(override.toString()))
                    : millis(config, "quarkus.rest-client." + client + ".read-timeout");
            longestCall = max(longestCall, millis(config, "quarkus.rest-client." + client + ".connect-timeout")
                    .plus(read));
        }
        assertThat(longestPage.minus(longestCall)).as("left of the longest page for its AWS calls")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(lease).as("the lease outlasts a page's invocation").isGreaterThan(timeout);
        assertThat(lease.plus(timeout)).as("a crashed page's lease is over before its message comes back")
                .isLessThan(visibility);
    }

    /**
     * The sums in application.properties' polling comment: no page starts unless it ends before the function is
     * stopped, and the lease of a crashed poll is over before SQS hands its message out again.
     */
    @Test
    void aPollInvocationEndsWithinItsFunctionTimeoutAndACrashedOnesLeaseEndsBeforeItsMessageComesBack()
            throws IOException {
        Map<String, Object> t = template();
        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            config.load(in);
        }
        Duration timeout = Duration.ofSeconds((Integer) props(t, "PollFunction").get("Timeout"));
        Duration visibility = Duration.ofSeconds((Integer) props(t, "PollQueue").get("VisibilityTimeout"));
        Duration timeBox = duration(config, "leadsync.poll.time-box");
        Duration longestPage = duration(config, "leadsync.poll.longest-page");
        Duration lease = duration(config, "leadsync.poll.lease");

        assertThat(duration(config, "leadsync.poll.function-timeout")).as("the worker's idea of the timeout")
                .isEqualTo(timeout);
        assertThat(timeBox.plus(longestPage)).as("time box + longest page").isLessThanOrEqualTo(timeout);
        // A page: the longest REST call (connect + read), a refresh waited out and made, then its AWS calls.
        Duration longestCall = Duration.ZERO;
        for (String client : List.of("meta-graph", "google-ads", "linkedin", "tiktok")) {
            longestCall = max(longestCall, millis(config, "quarkus.rest-client." + client + ".connect-timeout")
                    .plus(millis(config, "quarkus.rest-client." + client + ".read-timeout")));
        }
        Duration refreshCall = Duration.ZERO;
        for (String client : List.of("google-oauth", "linkedin-oauth")) {
            refreshCall = max(refreshCall, millis(config, "quarkus.rest-client." + client + ".connect-timeout")
                    .plus(millis(config, "quarkus.rest-client." + client + ".read-timeout")));
        }
        Duration refresh = duration(config, "leadsync.credentials.refresh-lease")
                .plus(duration(config, "leadsync.credentials.lease-poll")).plus(refreshCall);
        assertThat(longestPage.minus(longestCall).minus(refresh)).as("left of the longest page for its AWS calls")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(lease).as("poll lease").isGreaterThan(timeout);
        assertThat(lease.plus(timeout)).as("lease + timeout").isLessThan(visibility);
        assertThat(visibility).isGreaterThanOrEqualTo(timeout.multipliedBy(TemplateChecks.VISIBILITY_TIMEOUT_FACTOR));
    }

    // ------------------------------------------------------------------------------------------ payloads

    /**
     * The deliver function batches up to HubSpot's 100 leads for the documented window, starts no chunk it could not
     * finish within its timeout, and keeps its rate limits in RateLimitsTable (TTL).
     */
    @Test
    void deliveriesAreBatchedWithinTheDocumentedWindowAndFinishWithinTheTimeout() throws IOException {
        Map<String, Object> t = template();
        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            config.load(in);
        }
        Map<String, Object> deliver = props(t, "DeliverFunction");
        Map<String, Object> trigger = node(deliver, "Events", "Deliver", "Properties");
        assertThat(trigger).containsEntry("BatchSize", 100);
        assertThat(Duration.ofSeconds((Integer) trigger.get("MaximumBatchingWindowInSeconds")))
                .isEqualTo(duration(config, "leadsync.delivery.batch-window"));
        Duration timeout = Duration.ofSeconds((Integer) deliver.get("Timeout"));
        assertThat(duration(config, "leadsync.delivery.invocation-budget")).isLessThan(timeout)
                .isGreaterThan(duration(config, "leadsync.delivery.send-reserve"));
        // A chunk's quick tries: 3 sends of at most connect + read timeout each, the waits between them.
        Duration send = millis(config, "quarkus.rest-client.hubspot.connect-timeout")
                .plus(millis(config, "quarkus.rest-client.hubspot.read-timeout"));
        assertThat(duration(config, "leadsync.delivery.send-reserve")).isGreaterThan(send.multipliedBy(3)
                .plus(duration(config, "leadsync.delivery.quick-max-delay").multipliedBy(2)));
        assertThat(duration(config, "leadsync.pipeline.lease")).as("a chunk's leases outlast its sends")
                .isGreaterThan(duration(config, "leadsync.delivery.send-reserve"));
        assertThat(node(props(t, "RateLimitsTable"), "TimeToLiveSpecification"))
                .containsEntry("AttributeName", "expiresAt").containsEntry("Enabled", true);
        assertThat(at(t, "Globals", "Function", "Environment", "Variables"))
                .containsEntry("LEADSYNC_TABLES_RATE_LIMITS", Map.of("Ref", "RateLimitsTable"));
    }

    /**
     * Least privilege on the payload table: every function that queues ingest messages may keep a payload aside
     * (PutItem) and renews the ones it passes on (Query, UpdateItem) — normalize also reads them back and keeps big
     * leads with the same actions —, the deliver function only reads big leads (Query); nobody deletes (the TTL does)
     * or scans, and the schedules' functions never touch it.
     */
    @Test
    void only_the_functions_that_keep_renew_or_read_payloads_reach_the_payload_table_with_exactly_those_actions() {
        Map<String, Object> t = template();
        List<String> keepRenewRead = List.of("dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem");
        Map<String, Object> expected = Map.of(
                "WebhookFunction", allow(keepRenewRead, "PayloadTable"),
                "NormalizeFunction", allow(keepRenewRead, "PayloadTable"),
                "PollFunction", allow(keepRenewRead, "PayloadTable"),
                "ImportFunction", allow(keepRenewRead, "PayloadTable"),
                "DeliverFunction", Map.of("Statement", List.of(Map.of("Effect", "Allow", "Action", "dynamodb:Query",
                        "Resource", Map.of("Fn::GetAtt", List.of("PayloadTable", "Arn"))))),
                "ApiFunction", allow(keepRenewRead, "PayloadTable"));
        for (String function : List.of("WebhookFunction", "NormalizeFunction", "DeliverFunction", "RetryFunction",
                "PollScheduleFunction", "PollFunction", "ImportFunction", "ApiFunction")) {
            @SuppressWarnings("unchecked")
            List<Object> policies = (List<Object>) props(t, function).get("Policies");
            List<Object> onPayloads = policies.stream().filter(p -> p.toString().contains("PayloadTable")).toList();
            assertThat(onPayloads).as(function).isEqualTo(expected.containsKey(function)
                    ? List.of(expected.get(function)) : List.of());
        }
        assertThat(at(t, "Globals", "Function", "Environment", "Variables"))
                .containsEntry("LEADSYNC_TABLES_PAYLOADS", Map.of("Ref", "PayloadTable"));
        assertThat(props(t, "PayloadTable").get("TimeToLiveSpecification"))
                .isEqualTo(Map.of("AttributeName", "expiresAt", "Enabled", true));
    }

    /**
     * A kept payload expires {@code leadsync.payloads.retention} after the last message or notice took its reference,
     * so that must outlast each holder: a message in the ingest queue and then its DLQ, and a waiting notice.
     */
    @Test
    void a_kept_payload_outlives_the_longest_a_queued_message_or_a_waiting_notice_holds_it() throws IOException {
        Map<String, Object> t = template();
        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            config.load(in);
        }
        Duration retention = duration(config, "leadsync.payloads.retention");
        Duration queued = Duration.ofSeconds((Integer) props(t, "IngestQueue").get("MessageRetentionPeriod"))
                .plus(Duration.ofSeconds((Integer) props(t, "IngestDLQ").get("MessageRetentionPeriod")));
        assertThat(queued).isEqualTo(Duration.ofDays(18));
        assertThat(retention).isGreaterThan(queued)
                .isGreaterThan(duration(config, "leadsync.unrouted.retention"));
    }

    /** An inline policy statement allowing {@code actions} on the table {@code table}. */
    /** The grant on SecretsKey of a function that reads (Decrypt) or also writes (GenerateDataKey) secrets. */
    private static Map<String, Object> sealsSecrets(Object actions) {
        return Map.of("Statement", List.of(Map.of("Effect", "Allow", "Action", actions,
                "Resource", Map.of("Fn::GetAtt", List.of("SecretsKey", "Arn")),
                "Condition", Map.of("StringEquals", Map.of("kms:EncryptionContext:purpose", "leadsync-secrets")))));
    }

    /** The grants of a function that may tell an event: store it, and queue one delivery per subscription. */
    private static final List<Object> TELLS_EVENTS = List.of(
            allow(List.of("dynamodb:PutItem", "dynamodb:GetItem"), "EventsTable"),
            Map.of("DynamoDBReadPolicy", Map.of("TableName", Map.of("Ref", "SubscriptionsTable"))),
            allow(List.of("dynamodb:UpdateItem", "dynamodb:GetItem"), "DeliveriesTable"),
            Map.of("SQSSendMessagePolicy", Map.of("QueueName",
                    Map.of("Fn::GetAtt", List.of("DeliverQueue", "QueueName")))));

    private static List<Object> thenTellsEvents(List<Object> own) {
        List<Object> all = new ArrayList<>(own);
        all.addAll(TELLS_EVENTS);
        return all;
    }

    private static Map<String, Object> allow(List<String> actions, String table) {
        return Map.of("Statement", List.of(Map.of("Effect", "Allow", "Action", actions,
                "Resource", Map.of("Fn::GetAtt", List.of(table, "Arn")))));
    }

    private static Duration duration(Properties config, String key) {
        assertThat(config.getProperty(key)).as(key).isNotBlank();
        return DurationConverter.parseDuration(config.getProperty(key));
    }

    private static Duration millis(Properties config, String key) {
        assertThat(config.getProperty(key)).as(key).isNotBlank();
        return Duration.ofMillis(Long.parseLong(config.getProperty(key)));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    // ------------------------------------------------------------------------------------------ [refs]

    @Test
    void danglingRefIsReported() {
        Map<String, Object> t = output(template(), "Broken", Map.of("Ref", "Nope"));
        assertThat(checks(t).references()).singleElement().asString().contains("[refs]", "Outputs.Broken", "Nope");
    }

    @Test
    void misspelledPseudoParameterIsReported() {
        Map<String, Object> t = output(template(), "Broken", Map.of("Ref", "AWS::Stackname"));
        assertThat(checks(t).references()).singleElement().asString().contains("AWS::Stackname");
    }

    @Test
    void getAttOnUnknownResourceOrParameterIsReported() {
        Map<String, Object> t = output(template(), "Ghost", Map.of("Fn::GetAtt", List.of("Ghost", "Arn")));
        output(t, "OnParameter", Map.of("Fn::GetAtt", List.of("AdminApiKey", "Arn")));
        output(t, "WrongAttribute", Map.of("Fn::GetAtt", List.of("IngestQueue", "Url")));
        assertThat(checks(t).references()).hasSize(3).anySatisfy(p -> assertThat(p).contains("Ghost"))
                .anySatisfy(p -> assertThat(p).contains("AdminApiKey"))
                .anySatisfy(p -> assertThat(p).contains("IngestQueue.Url"));
    }

    @Test
    void samGeneratedNamesAreNotReferences() {
        Map<String, Object> t = output(template(), "Implicit",
                Map.of("Fn::Sub", "https://${ServerlessHttpApi}.execute-api.${AWS::Region}.amazonaws.com"));
        output(t, "Role", Map.of("Fn::GetAtt", List.of("WebhookFunctionRole", "Arn")));
        output(t, "SubAtt", Map.of("Fn::Sub", "${NoSuchQueue.Arn}"));
        assertThat(checks(t).references()).hasSize(3).anySatisfy(p -> assertThat(p).contains("ServerlessHttpApi"))
                .anySatisfy(p -> assertThat(p).contains("WebhookFunctionRole"))
                .anySatisfy(p -> assertThat(p).contains("NoSuchQueue"));
    }

    @Test
    void subLocalVariablesEscapesAndAttributesAreNotDangling() {
        Map<String, Object> t = output(template(), "Fine", Map.of("Fn::Sub",
                List.of("${Local}-${!Literal}-${IngestQueue.QueueName}-${AWS::StackName}", Map.of("Local", "x"))));
        assertThat(checks(t).references()).isEmpty();
    }

    @Test
    void refInsideGlobalsIsChecked() {
        Map<String, Object> t = template();
        at(t, "Globals", "Function", "Environment", "Variables").put("EXTRA", Map.of("Ref", "MissingTable"));
        assertThat(checks(t).references()).singleElement().asString().contains("Globals", "MissingTable");
    }

    // ------------------------------------------------------------------------------------------ [handler]

    @Test
    void wrongHandlerOrRuntimeIsReported() {
        Map<String, Object> t = template();
        props(t, "ApiFunction").put("Handler", "com.example.Handler::handleRequest");
        at(t, "Globals", "Function").put("Runtime", "java21");
        // ApiFunction's handler, and the runtime of all nine functions.
        assertThat(checks(t).handlers()).hasSize(10)
                .anySatisfy(p -> assertThat(p).contains("ApiFunction", "Handler"))
                .anySatisfy(p -> assertThat(p).contains("WebhookFunction", "Runtime", "java21"));
    }

    // ------------------------------------------------------------------------------------------ [export]

    @Test
    void exportOfAnUnknownFunctionIsReported() {
        Map<String, Object> t = template();
        at(t, "Resources", "RetryFunction", "Properties", "Environment", "Variables").put("QUARKUS_FUNQY_EXPORT",
                "retry-sweep");
        assertThat(checks(t).exports(DEPLOYED_FUNQS)).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("RetryFunction", "retry-sweep"))
                .anySatisfy(p -> assertThat(p).contains("@Funq retry", "no function"));
    }

    @Test
    void funqWithoutFunctionIsReported() {
        List<String> problems = checks(template()).exports(funqs("webhook", "normalize", "deliver", "retry", "api",
                "poll-schedule", "poll", "import", "connection-check", "reconcile"));
        assertThat(problems).singleElement().asString().contains("reconcile", "no function");
    }

    @Test
    void missingExportIsReported() {
        Map<String, Object> t = template();
        at(t, "Resources", "ApiFunction", "Properties", "Environment", "Variables").remove("QUARKUS_FUNQY_EXPORT");
        assertThat(checks(t).exports(DEPLOYED_FUNQS)).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("ApiFunction", "QUARKUS_FUNQY_EXPORT"));
    }

    @Test
    void noFunqFoundIsAClearProblem() {
        List<String> problems = checks(template()).exports(
                new TemplateChecks.FunqScan("package nowhere", Map.of(), List.of()));
        assertThat(problems).singleElement().asString().contains("no @io.quarkus.funqy.Funq methods found",
                "package nowhere");
    }

    /** Compiles a small class with @Funq methods into a temporary directory and scans it like target/classes. */
    @Test
    void scanFindsFunqNamesByValueOrMethodName(@TempDir Path dir) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assumeTrue(javac != null, "needs a JDK");
        Path source = dir.resolve("src/com/example/fakefunctions/Fake.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package com.example.fakefunctions;
                import io.quarkus.funqy.Funq;
                public class Fake {
                    @Funq("alpha") public String first(String in) { return in; }
                    @Funq public String beta(String in) { return in; }
                    public String notAFunction(String in) { return in; }
                    public static class Nested {
                        @Funq("gamma") public void third() { }
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        CodeSource funqJar = Funq.class.getProtectionDomain().getCodeSource();
        String classpath = funqJar != null ? Path.of(funqJar.getLocation().toURI()).toString()
                : System.getProperty("java.class.path");
        int rc = javac.run(null, null, null, "-classpath", classpath + File.pathSeparator, "-d",
                classes.toString(), source.toString());
        assertThat(rc).as("javac exit code").isZero();

        try (URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
                TemplateTest.class.getClassLoader())) {
            TemplateChecks.FunqScan scan = TemplateChecks.scanFunqs(classes, "com.example.fakefunctions", loader);
            assertThat(scan.problems()).isEmpty();
            assertThat(scan.functions()).containsOnlyKeys("alpha", "beta", "gamma")
                    .containsEntry("alpha", "com.example.fakefunctions.Fake#first");

            // The real template exports none of these: every function and every fake @Funq is reported.
            List<String> problems = checks(template()).exports(scan);
            assertThat(problems).hasSize(12).anySatisfy(p -> assertThat(p).contains("WebhookFunction", "webhook"))
                    .anySatisfy(p -> assertThat(p).contains("@Funq beta", "no function"));
        }
        assertThat(TemplateChecks.scanFunqs(classes, "com.example.none", getClass().getClassLoader()).functions())
                .isEmpty();
    }

    // ------------------------------------------------------------------------------------------ [queue]

    @Test
    void queueWithoutRedriveIsReported() {
        Map<String, Object> t = template();
        props(t, "DeliverQueue").remove("RedrivePolicy");
        // DeliverDLQ is then nobody's DLQ either, so it needs a redrive of its own.
        assertThat(checks(t).queues()).hasSize(2).allSatisfy(p -> assertThat(p).contains("no RedrivePolicy"))
                .anySatisfy(p -> assertThat(p).contains("DeliverQueue"))
                .anySatisfy(p -> assertThat(p).contains("DeliverDLQ"));
    }

    @Test
    void lowMaxReceiveCountIsReported() {
        Map<String, Object> t = template();
        at(t, "Resources", "IngestQueue", "Properties", "RedrivePolicy").put("maxReceiveCount", 3);
        assertThat(checks(t).queues()).singleElement().asString().contains("IngestQueue", "maxReceiveCount");
    }

    @Test
    void redriveToAnUnknownQueueIsReported() {
        Map<String, Object> t = template();
        at(t, "Resources", "IngestQueue", "Properties", "RedrivePolicy").put("deadLetterTargetArn",
                "arn:aws:sqs:us-east-1:123456789012:elsewhere");
        assertThat(checks(t).queues()).anySatisfy(p -> assertThat(p).contains("IngestQueue", "deadLetterTargetArn"));
    }

    @Test
    void dlqRetentionNotLongerThanItsQueueIsReported() {
        Map<String, Object> t = template();
        props(t, "IngestDLQ").put("MessageRetentionPeriod", 345600);
        assertThat(checks(t).queues()).singleElement().asString().contains("IngestQueue", "IngestDLQ");
    }

    // ------------------------------------------------------------------------------------------ [sqs-event]

    @Test
    void sqsEventWithoutReportBatchItemFailuresIsReported() {
        Map<String, Object> t = template();
        at(t, "Resources", "NormalizeFunction", "Properties", "Events", "Ingest", "Properties")
                .remove("FunctionResponseTypes");
        assertThat(checks(t).sqsEvents()).singleElement().asString()
                .contains("NormalizeFunction.Events.Ingest", "ReportBatchItemFailures");
    }

    @Test
    void visibilityTimeoutBelowSixTimesTheFunctionTimeoutIsReported() {
        Map<String, Object> t = template();
        props(t, "IngestQueue").put("VisibilityTimeout", 300);
        props(t, "DeliverFunction").put("Timeout", 300);
        assertThat(checks(t).sqsEvents()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("IngestQueue.VisibilityTimeout 300", "120 s"))
                .anySatisfy(p -> assertThat(p).contains("DeliverQueue.VisibilityTimeout 1440", "300 s"));
    }

    @Test
    void visibilityTimeoutUsesTheGlobalTimeoutWhenTheFunctionHasNone() {
        Map<String, Object> t = template();
        props(t, "NormalizeFunction").remove("Timeout");
        at(t, "Globals", "Function").put("Timeout", 150);
        assertThat(checks(t).sqsEvents()).singleElement().asString().contains("IngestQueue", "150 s");
    }

    // ------------------------------------------------------------------------------------------ [table]

    @Test
    void provisionedTableOrMissingPitrIsReported() {
        Map<String, Object> t = template();
        props(t, "LeadsTable").put("BillingMode", "PROVISIONED");
        props(t, "AccountsTable").remove("PointInTimeRecoverySpecification");
        assertThat(checks(t).tables()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("LeadsTable", "PAY_PER_REQUEST"))
                .anySatisfy(p -> assertThat(p).contains("AccountsTable", "PointInTimeRecoveryEnabled"));
    }

    @Test
    void unusedOrMissingAttributeDefinitionIsReported() {
        Map<String, Object> t = template();
        @SuppressWarnings("unchecked")
        List<Object> definitions = (List<Object>) props(t, "AccountsTable").get("AttributeDefinitions");
        definitions.add(Map.of("AttributeName", "email", "AttributeType", "S"));
        @SuppressWarnings("unchecked")
        List<Object> leads = (List<Object>) props(t, "LeadsTable").get("AttributeDefinitions");
        leads.removeIf(d -> "listKey".equals(((Map<?, ?>) d).get("AttributeName")));
        assertThat(checks(t).tables()).hasSize(2).anySatisfy(p -> assertThat(p).contains("AccountsTable", "email"))
                .anySatisfy(p -> assertThat(p).contains("LeadsTable", "listKey"));
    }

    // ------------------------------------------------------------------------------------------ [schema]

    @Test
    void tableMissingFromTheTemplateIsReported() {
        Map<String, Object> t = template();
        at(t, "Resources").remove("UnroutedTable");
        assertThat(checks(t).schema(Schema.all())).singleElement().asString().contains("UnroutedTable");
    }

    @Test
    void tableMissingFromSchemaIsReported() {
        Map<String, Object> t = template();
        at(t, "Resources").put("ExtraTable", at(template(), "Resources", "AccountsTable"));
        assertThat(checks(t).schema(Schema.all())).singleElement().asString()
                .contains("ExtraTable", "not in Schema");
    }

    @Test
    void differentKeysOrIndexesAreReported() {
        Map<String, Object> t = template();
        node(t, "Resources", "DeliveriesTable", "Properties", "KeySchema", 1).put("AttributeName", "destinationId");
        node(t, "Resources", "LeadsTable", "Properties", "GlobalSecondaryIndexes", 0)
                .put("IndexName", "byAccountNewest");
        node(t, "Resources", "ConnectionsTable", "Properties", "GlobalSecondaryIndexes", 1, "KeySchema", 0)
                .put("AttributeName", "id");
        assertThat(checks(t).schema(Schema.all())).hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("DeliveriesTable", "(leadId, destinationId)"))
                .anySatisfy(p -> assertThat(p).contains("LeadsTable", "byAccountNewest"))
                .anySatisfy(p -> assertThat(p).contains("ConnectionsTable", "byId", "(id)"));
    }

    // ------------------------------------------------------------------------------------------ [secret]

    @Test
    void secretParameterWithoutNoEchoOrWithDefaultIsReported() {
        Map<String, Object> t = template();
        at(t, "Parameters", "MetaAppSecret").remove("NoEcho");
        at(t, "Parameters", "MetaVerifyToken").put("Default", "changeme");
        assertThat(checks(t).secrets()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("MetaAppSecret", "NoEcho"))
                .anySatisfy(p -> assertThat(p).contains("MetaVerifyToken", "Default"));
    }

    @Test
    void missingSecretParameterIsReported() {
        Map<String, Object> t = template();
        at(t, "Parameters").remove("AdminApiKey");
        assertThat(checks(t).secrets()).singleElement().asString().contains("AdminApiKey", "missing");
        // ...and the Globals Ref to it dangles.
        assertThat(checks(t).references()).singleElement().asString().contains("AdminApiKey");
    }

    @Test
    void literalSecretIsReported() {
        Map<String, Object> t = template();
        at(t, "Resources", "WebhookFunction", "Properties", "Environment", "Variables")
                .put("LEADSYNC_META_APP_SECRET", "s3cr3t");
        assertThat(checks(t).secrets()).singleElement().asString()
                .contains("WebhookFunction", "LEADSYNC_META_APP_SECRET", "literal").doesNotContain("s3cr3t");
    }

    // ------------------------------------------------------------------------------------------ [kms]

    @Test
    void every_function_touching_a_secret_table_may_open_its_secrets_and_the_writers_may_seal_them() {
        Map<String, Object> t = template();
        assertThat(checks(t).secretsKey()).isEmpty();
        assertThat(at(t, "Resources", "SecretsKey")).containsEntry("Type", "AWS::KMS::Key");
        assertThat(props(t, "SecretsKeyAlias")).containsEntry("TargetKeyId", Map.of("Ref", "SecretsKey"));
        Object readWrite = List.of("kms:Decrypt", "kms:GenerateDataKey");
        Map<String, Object> expected = Map.of("WebhookFunction", sealsSecrets("kms:Decrypt"),
                "NormalizeFunction", sealsSecrets(readWrite), "DeliverFunction", sealsSecrets(readWrite),
                "PollFunction", sealsSecrets(readWrite), "ImportFunction", sealsSecrets(readWrite),
                "ApiFunction", sealsSecrets(readWrite));
        for (String function : List.of("WebhookFunction", "NormalizeFunction", "DeliverFunction", "RetryFunction",
                "PollScheduleFunction", "PollFunction", "ImportFunction", "ApiFunction")) {
            @SuppressWarnings("unchecked")
            List<Object> policies = (List<Object>) props(t, function).get("Policies");
            assertThat(policies.stream().filter(p -> p.toString().contains("kms:")).toList()).as(function)
                    .isEqualTo(expected.containsKey(function) ? List.of(expected.get(function)) : List.of());
        }
    }

    @Test
    void a_function_without_its_kms_grant_or_with_a_broader_one_is_reported() {
        Map<String, Object> t = template();
        @SuppressWarnings("unchecked")
        List<Object> deliver = (List<Object>) props(t, "DeliverFunction").get("Policies");
        deliver.removeIf(p -> p.toString().contains("kms:"));
        @SuppressWarnings("unchecked")
        List<Object> webhook = (List<Object>) props(t, "WebhookFunction").get("Policies");
        webhook.removeIf(p -> p.toString().contains("kms:"));
        webhook.add(0, Map.of("Statement", List.of(Map.of("Effect", "Allow", "Action", "kms:Decrypt",
                "Resource", "*"))));
        @SuppressWarnings("unchecked")
        List<Object> retry = (List<Object>) props(t, "RetryFunction").get("Policies");
        retry.add(sealsSecrets("kms:Decrypt"));

        assertThat(checks(t).secretsKey()).hasSize(4)
                .anySatisfy(p -> assertThat(p).contains("DeliverFunction", "expected [kms:Decrypt, kms:GenerateDataKey]",
                        "writes"))
                .anySatisfy(p -> assertThat(p).contains("WebhookFunction", "SecretsKey.Arn only"))
                .anySatisfy(p -> assertThat(p).contains("WebhookFunction", "encryption context"))
                .anySatisfy(p -> assertThat(p).contains("RetryFunction", "touches no table"));
    }

    @Test
    void a_missing_key_id_variable_or_a_key_policy_without_the_account_root_is_reported() {
        Map<String, Object> t = template();
        at(t, "Globals", "Function", "Environment", "Variables").remove("LEADSYNC_KMS_KEY_ID");
        at(t, "Resources", "SecretsKey", "Properties").put("KeyPolicy", Map.of("Statement", List.of()));

        assertThat(checks(t).secretsKey()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("LEADSYNC_KMS_KEY_ID"))
                .anySatisfy(p -> assertThat(p).contains("account root"));
    }

    // ------------------------------------------------------------------------------------------ [alarm]

    @Test
    void dlqWithoutAlarmIsReported() {
        Map<String, Object> t = template();
        at(t, "Resources").remove("DeliverDLQAlarm");
        props(t, "IngestDLQAlarm").put("Threshold", 5);
        assertThat(checks(t).dlqAlarms()).hasSize(2).anySatisfy(p -> assertThat(p).contains("DLQ DeliverDLQ"))
                .anySatisfy(p -> assertThat(p).contains("DLQ IngestDLQ"));
    }

    @Test
    void problemsOfSeveralRulesAddUp() {
        Map<String, Object> t = template();
        at(t, "Resources", "NormalizeFunction", "Properties", "Events", "Ingest", "Properties")
                .remove("FunctionResponseTypes");
        output(t, "Broken", Map.of("Ref", "Nope"));
        props(t, "UnroutedTable").put("BillingMode", "PROVISIONED");
        List<String> problems = new ArrayList<>(checks(t).all(DEPLOYED_FUNQS, Schema.all()));
        assertThat(problems).hasSize(3);
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_alarm_notifies_the_alarm_topic_and_each_leadsync_alarm_watches_a_metric_the_code_publishes()
            throws IllegalAccessException {
        Map<String, Object> resources = at(template(), "Resources");
        java.util.Set<String> published = new java.util.TreeSet<>();
        for (java.lang.reflect.Field f : com.leadsync.ops.Metrics.class.getFields()) {
            if (f.getType() == String.class && java.lang.reflect.Modifier.isStatic(f.getModifiers())
                    && Character.isUpperCase(((String) f.get(null)).charAt(0))) {
                published.add((String) f.get(null));
            }
        }
        java.util.Set<String> watched = new java.util.TreeSet<>();
        resources.forEach((id, r) -> {
            Map<String, Object> resource = (Map<String, Object>) r;
            if (!"AWS::CloudWatch::Alarm".equals(resource.get("Type"))) {
                return;
            }
            Map<String, Object> p = (Map<String, Object>) resource.get("Properties");
            assertThat((List<Object>) p.get("AlarmActions")).as(id + " notifies").hasSize(1);
            if (com.leadsync.ops.Metrics.NAMESPACE.equals(p.get("Namespace"))) {
                assertThat(published).as(id + " watches a metric the code publishes").contains((String) p.get("MetricName"));
                assertThat(p).as(id + " watches the dimensionless total").doesNotContainKey("Dimensions");
                watched.add((String) p.get("MetricName"));
            }
        });
        assertThat(watched).containsExactlyInAnyOrder("DeliveriesFailed", "PollsFailed", "TokenRefreshFailures");
        assertThat(at(template(), "Resources", "OperationsDashboard")).containsEntry("Type", "AWS::CloudWatch::Dashboard");
    }
}
