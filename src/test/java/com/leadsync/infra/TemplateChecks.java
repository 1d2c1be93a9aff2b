package com.leadsync.infra;

import com.leadsync.local.CfnYaml;
import com.leadsync.store.Schema;
import io.quarkus.funqy.Funq;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a SAM template (as parsed by {@link CfnYaml}) against the rules this project deploys by. Every check returns
 * a list of problems, each starting with its rule in brackets ({@code [refs] ...}); an empty list means the rule
 * holds. Kept free of JUnit so the same checks can be run on deliberately broken templates.
 */
final class TemplateChecks {

    static final String HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";
    static final String RUNTIME = "provided.al2023";
    static final String FUNCTIONS_PACKAGE = "com.leadsync.functions";
    /** Secret parameter → the environment variable that carries it to the functions. */
    static final Map<String, String> SECRETS = Map.ofEntries(
            Map.entry("AdminApiKey", "LEADSYNC_ADMIN_API_KEY"),
            Map.entry("CursorSecret", "LEADSYNC_CURSOR_SECRET"),
            Map.entry("MetaAppSecret", "LEADSYNC_META_APP_SECRET"),
            Map.entry("MetaVerifyToken", "LEADSYNC_META_VERIFY_TOKEN"),
            Map.entry("GoogleDeveloperToken", "LEADSYNC_GOOGLE_DEVELOPER_TOKEN"),
            Map.entry("GoogleClientSecret", "LEADSYNC_GOOGLE_CLIENT_SECRET"),
            Map.entry("LinkedInClientSecret", "LEADSYNC_LINKEDIN_CLIENT_SECRET"),
            Map.entry("HubSpotClientSecret", "LEADSYNC_HUBSPOT_CLIENT_SECRET"),
            Map.entry("TikTokAppSecret", "LEADSYNC_TIKTOK_APP_SECRET"),
            Map.entry("SalesforceClientSecret", "LEADSYNC_SALESFORCE_CLIENT_SECRET"),
            Map.entry("ZohoClientSecret", "LEADSYNC_ZOHO_CLIENT_SECRET"),
            Map.entry("PipedriveClientSecret", "LEADSYNC_PIPEDRIVE_CLIENT_SECRET"));
    static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
            "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
    static final int MIN_MAX_RECEIVE_COUNT = 5;
    static final int VISIBILITY_TIMEOUT_FACTOR = 6;
    /** Attributes !GetAtt may read, for the resource types whose attributes we know; other types are not checked. */
    private static final Map<String, Set<String>> GETATT_ATTRIBUTES = Map.of(
            "AWS::SQS::Queue", Set.of("Arn", "QueueName", "QueueUrl"),
            "AWS::DynamoDB::Table", Set.of("Arn", "StreamArn"),
            "AWS::Serverless::Function", Set.of("Arn"),
            "AWS::Logs::LogGroup", Set.of("Arn"),
            "AWS::CloudWatch::Alarm", Set.of("Arn"),
            "AWS::Serverless::HttpApi", Set.of("ApiEndpoint", "ApiId"));

    private static final String SAM_FUNCTION = "AWS::Serverless::Function";
    private static final String QUEUE = "AWS::SQS::Queue";
    private static final String TABLE = "AWS::DynamoDB::Table";
    private static final String ALARM = "AWS::CloudWatch::Alarm";
    private static final int SAM_DEFAULT_TIMEOUT = 3;
    private static final int SQS_DEFAULT_VISIBILITY_TIMEOUT = 30;
    private static final int SQS_DEFAULT_RETENTION = 345600;
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    /** The {@code @Funq} functions found in a package: name → where it is declared, plus scan problems. */
    record FunqScan(String location, Map<String, String> functions, List<String> problems) {
    }

    private final Map<String, Object> template;

    TemplateChecks(Map<String, Object> template) {
        this.template = template;
    }

    static Map<String, Object> parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return CfnYaml.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every rule: the list the main test expects to be empty. */
    List<String> all(FunqScan funqs, List<Schema.TableSchema> schema) {
        List<String> problems = new ArrayList<>(allButExports(schema));
        problems.addAll(exports(funqs));
        return problems;
    }

    List<String> allButExports(List<Schema.TableSchema> schema) {
        List<String> problems = new ArrayList<>();
        problems.addAll(references());
        problems.addAll(handlers());
        problems.addAll(queues());
        problems.addAll(sqsEvents());
        problems.addAll(tables());
        problems.addAll(schema(schema));
        problems.addAll(secrets());
        problems.addAll(secretsKey());
        problems.addAll(dlqAlarms());
        return problems;
    }

    // ------------------------------------------------------------------------------------------ [refs]

    /**
     * Every Ref, GetAtt, Sub variable, DependsOn and condition name points at something the template declares: a
     * resource, a parameter or an AWS:: pseudo parameter (GetAtt: a resource only). Names SAM generates
     * (ServerlessHttpApi, XxxFunctionRole, ...) are not declared, so they are reported too.
     */
    List<String> references() {
        List<String> problems = new ArrayList<>();
        Set<String> resources = resources().keySet();
        Set<String> parameters = map(template.get("Parameters")).keySet();
        Set<String> conditions = map(template.get("Conditions")).keySet();
        resources().forEach((id, resource) -> {
            for (Object dependency : listOrSingle(resource.get("DependsOn"))) {
                if (!resources.contains(dependency)) {
                    problems.add("[refs] Resources." + id + ".DependsOn: " + dependency + " is not a resource");
                }
            }
            Object condition = resource.get("Condition");
            if (condition != null && !conditions.contains(condition)) {
                problems.add("[refs] Resources." + id + ".Condition: " + condition + " is not a condition");
            }
        });
        walk(template, "", (path, node) -> {
            if (node.size() != 1) {
                return;
            }
            Map.Entry<String, Object> fn = node.entrySet().iterator().next();
            Object value = fn.getValue();
            switch (fn.getKey()) {
                case "Ref" -> {
                    if (!(value instanceof String name)) {
                        problems.add("[refs] " + path + ": Ref of a non-string " + value);
                    } else if (!resources.contains(name) && !parameters.contains(name)
                            && !PSEUDO_PARAMETERS.contains(name)) {
                        problems.add("[refs] " + path + ": Ref " + name
                                + " is not a resource, parameter or pseudo parameter");
                    }
                }
                case "Fn::GetAtt" -> {
                    List<Object> args = value instanceof String s ? List.of((Object[]) s.split("\\.", 2))
                            : list(value);
                    if (args.size() != 2 || !(args.get(0) instanceof String name)) {
                        problems.add("[refs] " + path + ": malformed Fn::GetAtt " + value);
                    } else {
                        getAtt(path, name, args.get(1), problems);
                    }
                }
                case "Fn::Sub" -> {
                    String text;
                    Map<String, Object> locals;
                    if (value instanceof String s) {
                        text = s;
                        locals = Map.of();
                    } else if (value instanceof List<?> l && l.size() == 2 && l.get(0) instanceof String s
                            && l.get(1) instanceof Map<?, ?>) {
                        text = s;
                        locals = map(l.get(1));
                    } else {
                        problems.add("[refs] " + path + ": malformed Fn::Sub " + value);
                        return;
                    }
                    Matcher m = SUB_VARIABLE.matcher(text);
                    while (m.find()) {
                        String variable = m.group(1).trim();
                        if (variable.startsWith("!") || locals.containsKey(variable)) {
                            continue;
                        }
                        int dot = variable.indexOf('.');
                        if (dot > 0) {
                            getAtt(path + " (Fn::Sub ${" + variable + "})", variable.substring(0, dot),
                                    variable.substring(dot + 1), problems);
                        } else if (!resources.contains(variable) && !parameters.contains(variable)
                                && !PSEUDO_PARAMETERS.contains(variable)) {
                            problems.add("[refs] " + path + ": Fn::Sub ${" + variable
                                    + "} is not a resource, parameter, pseudo parameter or Sub variable");
                        }
                    }
                }
                case "Fn::If" -> {
                    List<Object> args = list(value);
                    if (args.isEmpty() || !conditions.contains(args.get(0))) {
                        problems.add("[refs] " + path + ": Fn::If on an unknown condition "
                                + (args.isEmpty() ? "(none)" : args.get(0)));
                    }
                }
                case "Condition" -> {
                    if (value instanceof String name && !conditions.contains(name)) {
                        problems.add("[refs] " + path + ": Condition " + name + " is not a condition");
                    }
                }
                default -> {
                }
            }
        });
        return problems;
    }

    private void getAtt(String path, String resource, Object attribute, List<String> problems) {
        Map<String, Object> target = resources().get(resource);
        if (target == null) {
            problems.add("[refs] " + path + ": Fn::GetAtt " + resource + "." + attribute + " - " + resource
                    + " is not a resource of this template");
            return;
        }
        Set<String> known = GETATT_ATTRIBUTES.get(String.valueOf(target.get("Type")));
        if (known != null && attribute instanceof String a && !known.contains(a)) {
            problems.add("[refs] " + path + ": Fn::GetAtt " + resource + "." + a + " - " + target.get("Type")
                    + " has no attribute " + a + " (known: " + new java.util.TreeSet<>(known) + ")");
        }
    }

    // ------------------------------------------------------------------------------------------ [handler]

    /** Every function runs the Funqy stream handler on provided.al2023 (set on the function or in Globals). */
    List<String> handlers() {
        List<String> problems = new ArrayList<>();
        functions().forEach((id, props) -> {
            Object handler = effective(props, "Handler");
            if (!HANDLER.equals(handler)) {
                problems.add("[handler] " + id + ": Handler is " + handler + ", expected " + HANDLER);
            }
            Object runtime = effective(props, "Runtime");
            if (!RUNTIME.equals(runtime)) {
                problems.add("[handler] " + id + ": Runtime is " + runtime + ", expected " + RUNTIME);
            }
        });
        return problems;
    }

    // ------------------------------------------------------------------------------------------ [export]

    /**
     * Each function's own QUARKUS_FUNQY_EXPORT names a {@code @Funq} function; each {@code @Funq} function is
     * deployed by exactly one function.
     */
    List<String> exports(FunqScan funqs) {
        List<String> problems = new ArrayList<>();
        funqs.problems().forEach(p -> problems.add("[export] " + p));
        if (funqs.functions().isEmpty()) {
            problems.add("[export] no @" + Funq.class.getName() + " methods found in " + funqs.location()
                    + ": every function's QUARKUS_FUNQY_EXPORT is unverified (are the functions written and"
                    + " compiled?)");
        }
        Map<String, List<String>> deployed = new TreeMap<>();
        functions().forEach((id, props) -> {
            Object export = map(map(props.get("Environment")).get("Variables")).get("QUARKUS_FUNQY_EXPORT");
            if (!(export instanceof String name) || name.isBlank()) {
                problems.add("[export] " + id + ": Environment.Variables.QUARKUS_FUNQY_EXPORT must be set to the"
                        + " name of its @Funq function, got " + export);
                return;
            }
            deployed.computeIfAbsent(name, k -> new ArrayList<>()).add(id);
            if (!funqs.functions().isEmpty() && !funqs.functions().containsKey(name)) {
                problems.add("[export] " + id + ": QUARKUS_FUNQY_EXPORT=" + name + " is not a @Funq function in "
                        + funqs.location() + " (found " + funqs.functions().keySet() + ")");
            }
        });
        deployed.forEach((name, ids) -> {
            if (ids.size() > 1) {
                problems.add("[export] @Funq " + name + " is exported by several functions: " + ids);
            }
        });
        funqs.functions().forEach((name, where) -> {
            if (!deployed.containsKey(name)) {
                problems.add("[export] @Funq " + name + " (" + where + ") is deployed by no function");
            }
        });
        return problems;
    }

    /**
     * The {@code @Funq} methods of the classes compiled under {@code classesRoot} in {@code packageName} (and its
     * sub-packages), named by the annotation value or, when that is empty, by the method name. Classes are loaded
     * through {@code loader} without being initialized.
     */
    static FunqScan scanFunqs(Path classesRoot, String packageName, ClassLoader loader) {
        Path dir = classesRoot.resolve(packageName.replace('.', '/'));
        String location = "package " + packageName + " (" + dir + ")";
        Map<String, String> functions = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new FunqScan(location, functions, problems);
        }
        List<Path> classFiles;
        try (Stream<Path> files = Files.walk(dir)) {
            classFiles = files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : classFiles) {
            String relative = classesRoot.relativize(file).toString().replace(file.getFileSystem().getSeparator(),
                    "/");
            String className = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
            try {
                Class<?> type = Class.forName(className, false, loader);
                for (Method method : type.getDeclaredMethods()) {
                    Funq funq = method.getAnnotation(Funq.class);
                    if (funq == null) {
                        continue;
                    }
                    String name = funq.value().isEmpty() ? method.getName() : funq.value();
                    String where = type.getName() + "#" + method.getName();
                    String previous = functions.putIfAbsent(name, where);
                    if (previous != null) {
                        problems.add("@Funq name " + name + " is declared twice: " + previous + " and " + where);
                    }
                }
            } catch (ClassNotFoundException | LinkageError e) {
                problems.add("cannot load " + className + " to look for @Funq methods: " + e);
            }
        }
        return new FunqScan(location, functions, problems);
    }

    // ------------------------------------------------------------------------------------------ [queue]

    /**
     * A queue that is no queue's DLQ redrives to a queue of this template with maxReceiveCount >= 5, and its DLQ keeps
     * messages longer than it does (redrive keeps the original enqueue time).
     */
    List<String> queues() {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> queues = propertiesOfType(QUEUE);
        Set<String> dlqs = deadLetterQueues();
        queues.forEach((id, props) -> {
            if (dlqs.contains(id)) {
                return;
            }
            Object redrive = props.get("RedrivePolicy");
            if (!(redrive instanceof Map<?, ?>)) {
                problems.add("[queue] " + id + ": no RedrivePolicy (every queue that is not a DLQ needs one)");
                return;
            }
            Map<String, Object> r = map(redrive);
            String dlq = getAttOf(r.get("deadLetterTargetArn"), "Arn");
            if (dlq == null || !queues.containsKey(dlq)) {
                problems.add("[queue] " + id + ": RedrivePolicy.deadLetterTargetArn must be !GetAtt <Queue>.Arn of"
                        + " a queue in this template, got " + r.get("deadLetterTargetArn"));
            } else if (retention(queues.get(dlq)) <= retention(props)) {
                problems.add("[queue] " + id + ": its DLQ " + dlq + " keeps messages " + retention(queues.get(dlq))
                        + " s, not longer than the queue's " + retention(props) + " s");
            }
            Integer maxReceiveCount = integer(r.get("maxReceiveCount"));
            if (maxReceiveCount == null || maxReceiveCount < MIN_MAX_RECEIVE_COUNT) {
                problems.add("[queue] " + id + ": RedrivePolicy.maxReceiveCount is " + r.get("maxReceiveCount")
                        + ", must be >= " + MIN_MAX_RECEIVE_COUNT);
            }
        });
        return problems;
    }

    // ------------------------------------------------------------------------------------------ [sqs-event]

    /**
     * An SQS event reports batch item failures, reads a queue of this template, and that queue's visibility timeout
     * is at least 6 × the function's timeout.
     */
    List<String> sqsEvents() {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> queues = propertiesOfType(QUEUE);
        functions().forEach((id, props) -> map(props.get("Events")).forEach((name, e) -> {
            Map<String, Object> event = map(e);
            if (!"SQS".equals(event.get("Type"))) {
                return;
            }
            String where = id + ".Events." + name;
            Map<String, Object> p = map(event.get("Properties"));
            if (!list(p.get("FunctionResponseTypes")).contains("ReportBatchItemFailures")) {
                problems.add("[sqs-event] " + where + ": FunctionResponseTypes must contain ReportBatchItemFailures"
                        + " (without it Lambda ignores Funqy's batchItemFailures and retries whole batches)");
            }
            String queue = getAttOf(p.get("Queue"), "Arn");
            if (queue == null || !queues.containsKey(queue)) {
                problems.add("[sqs-event] " + where + ": Queue must be !GetAtt <Queue>.Arn of a queue in this"
                        + " template, got " + p.get("Queue"));
                return;
            }
            Object t = effective(props, "Timeout");
            int timeout = t == null ? SAM_DEFAULT_TIMEOUT : Objects.requireNonNullElse(integer(t), 0);
            Object v = queues.get(queue).get("VisibilityTimeout");
            int visibility = v == null ? SQS_DEFAULT_VISIBILITY_TIMEOUT : Objects.requireNonNullElse(integer(v), 0);
            if (visibility < VISIBILITY_TIMEOUT_FACTOR * timeout) {
                problems.add("[sqs-event] " + where + ": " + queue + ".VisibilityTimeout " + visibility + " s is less"
                        + " than " + VISIBILITY_TIMEOUT_FACTOR + " × the function timeout " + timeout + " s");
            }
        }));
        return problems;
    }

    // ------------------------------------------------------------------------------------------ [table]

    /**
     * A table is on-demand with point-in-time recovery, and defines exactly the attributes its keys and indexes use
     * (CloudFormation rejects any other attribute definition).
     */
    List<String> tables() {
        List<String> problems = new ArrayList<>();
        propertiesOfType(TABLE).forEach((id, props) -> {
            if (!"PAY_PER_REQUEST".equals(props.get("BillingMode"))) {
                problems.add("[table] " + id + ": BillingMode is " + props.get("BillingMode")
                        + ", expected PAY_PER_REQUEST");
            }
            Object pitr = map(props.get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled");
            if (!isTrue(pitr)) {
                problems.add("[table] " + id + ": PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled"
                        + " must be true");
            }
            Set<String> used = new LinkedHashSet<>(keys(props.get("KeySchema")).values());
            for (String section : List.of("GlobalSecondaryIndexes", "LocalSecondaryIndexes")) {
                for (Object index : list(props.get(section))) {
                    used.addAll(keys(map(index).get("KeySchema")).values());
                }
            }
            Set<String> defined = new LinkedHashSet<>();
            for (Object d : list(props.get("AttributeDefinitions"))) {
                Object name = map(d).get("AttributeName");
                if (!defined.add(String.valueOf(name))) {
                    problems.add("[table] " + id + ": attribute " + name + " is defined twice");
                }
            }
            for (String attribute : used) {
                if (!defined.contains(attribute)) {
                    problems.add("[table] " + id + ": key attribute " + attribute + " has no AttributeDefinition");
                }
            }
            for (String attribute : defined) {
                if (!used.contains(attribute)) {
                    problems.add("[table] " + id + ": AttributeDefinition " + attribute
                            + " is not used by a key or index");
                }
            }
        });
        return problems;
    }

    // ------------------------------------------------------------------------------------------ [schema]

    /** The template's tables are exactly those of {@link Schema}, with the same keys and global secondary indexes. */
    List<String> schema(List<Schema.TableSchema> schema) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> tables = propertiesOfType(TABLE);
        Set<String> expected = new HashSet<>();
        for (Schema.TableSchema table : schema) {
            expected.add(table.logicalId());
            Map<String, Object> props = tables.get(table.logicalId());
            if (props == null) {
                problems.add("[schema] " + table.logicalId() + " (" + table.configKey() + ") is not an " + TABLE
                        + " in the template");
                continue;
            }
            Schema.Key key = key(keys(props.get("KeySchema")));
            if (!key.equals(table.key())) {
                problems.add("[schema] " + table.logicalId() + ": key is " + describe(key) + " in the template, "
                        + describe(table.key()) + " in Schema");
            }
            Map<String, Schema.Key> indexes = new TreeMap<>();
            for (Object index : list(props.get("GlobalSecondaryIndexes"))) {
                Map<String, Object> i = map(index);
                indexes.put(String.valueOf(i.get("IndexName")), key(keys(i.get("KeySchema"))));
            }
            Map<String, Schema.Key> schemaIndexes = new TreeMap<>();
            table.indexes().forEach(i -> schemaIndexes.put(i.name(), i.key()));
            if (!indexes.keySet().equals(schemaIndexes.keySet())) {
                problems.add("[schema] " + table.logicalId() + ": global indexes are " + indexes.keySet()
                        + " in the template, " + schemaIndexes.keySet() + " in Schema");
            }
            schemaIndexes.forEach((name, k) -> {
                if (indexes.containsKey(name) && !indexes.get(name).equals(k)) {
                    problems.add("[schema] " + table.logicalId() + ": index " + name + " is keyed "
                            + describe(indexes.get(name)) + " in the template, " + describe(k) + " in Schema");
                }
            });
            if (!list(props.get("LocalSecondaryIndexes")).isEmpty()) {
                problems.add("[schema] " + table.logicalId() + ": has LocalSecondaryIndexes, Schema has none");
            }
        }
        tables.keySet().stream().filter(id -> !expected.contains(id)).forEach(id -> problems.add(
                "[schema] " + id + " is a table in the template but not in Schema.all()"));
        return problems;
    }

    private static Schema.Key key(Map<String, String> keys) {
        return new Schema.Key(keys.get("HASH"), keys.get("RANGE"));
    }

    private static String describe(Schema.Key key) {
        return key.sort() == null ? "(" + key.partition() + ")" : "(" + key.partition() + ", " + key.sort() + ")";
    }

    // ------------------------------------------------------------------------------------------ [secret]

    /**
     * The three secrets are NoEcho parameters without defaults, and the functions get them only as {@code !Ref} of
     * those parameters (never as literals).
     */
    List<String> secrets() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> parameters = map(template.get("Parameters"));
        List<Map.Entry<String, Map<String, Object>>> environments = new ArrayList<>();
        environments.add(Map.entry("Globals.Function",
                map(map(map(map(template.get("Globals")).get("Function")).get("Environment")).get("Variables"))));
        functions().forEach((id, props) -> environments.add(
                Map.entry(id, map(map(props.get("Environment")).get("Variables")))));
        new TreeMap<>(SECRETS).forEach((parameter, variable) -> {
            Map<String, Object> p = map(parameters.get(parameter));
            if (p.isEmpty()) {
                problems.add("[secret] parameter " + parameter + " is missing");
            } else {
                if (!isTrue(p.get("NoEcho"))) {
                    problems.add("[secret] parameter " + parameter + " must be NoEcho: true");
                }
                if (p.containsKey("Default")) {
                    problems.add("[secret] parameter " + parameter + " must have no Default");
                }
            }
            boolean passed = false;
            for (Map.Entry<String, Map<String, Object>> env : environments) {
                if (!env.getValue().containsKey(variable)) {
                    continue;
                }
                passed = true;
                if (!Map.of("Ref", parameter).equals(env.getValue().get(variable))) {
                    problems.add("[secret] " + env.getKey() + ": " + variable + " must be !Ref " + parameter
                            + ", got " + (env.getValue().get(variable) instanceof String ? "a literal string"
                                    : env.getValue().get(variable)));
                }
            }
            if (!passed) {
                problems.add("[secret] no function gets " + variable + " (!Ref " + parameter + ")");
            }
        });
        return problems;
    }

    // ------------------------------------------------------------------------------------------ [kms]

    /** The tables whose items hold sealed tokens and secrets (store/StoredSecrets). */
    static final Set<String> SECRET_TABLES = Set.of("ConnectionsTable", "DestinationsTable", "SubscriptionsTable");
    /** Functions that touch a secret table but read none of its secret attributes (the schedule's scan projects none). */
    static final Set<String> READS_NO_SECRETS = Set.of("PollScheduleFunction");
    static final String SECRETS_KEY = "SecretsKey";
    private static final Set<String> TABLE_WRITES = Set.of("dynamodb:PutItem", "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem");

    /**
     * One KMS key (the account root in its key policy, rotation on) whose id every function gets; every function
     * that touches a secret table may {@code kms:Decrypt} with it, those that also write there
     * {@code kms:GenerateDataKey}, on that key only and for LeadSync's encryption context; no other function has a
     * KMS grant.
     */
    List<String> secretsKey() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> key = resources().get(SECRETS_KEY);
        if (key == null || !"AWS::KMS::Key".equals(key.get("Type"))) {
            problems.add("[kms] no AWS::KMS::Key " + SECRETS_KEY);
            return problems;
        }
        Map<String, Object> keyProps = map(key.get("Properties"));
        if (!isTrue(keyProps.get("EnableKeyRotation"))) {
            problems.add("[kms] " + SECRETS_KEY + ": EnableKeyRotation must be true");
        }
        boolean rootAllowed = list(map(keyProps.get("KeyPolicy")).get("Statement")).stream().map(TemplateChecks::map)
                .anyMatch(st -> "Allow".equals(st.get("Effect"))
                        && String.valueOf(map(st.get("Principal")).get("AWS")).contains(":root"));
        if (!rootAllowed) {
            problems.add("[kms] " + SECRETS_KEY + ": the key policy must allow the account root (IAM policies grant"
                    + " the rest)");
        }
        Object keyId = map(map(map(map(template.get("Globals")).get("Function")).get("Environment")).get("Variables"))
                .get("LEADSYNC_KMS_KEY_ID");
        if (!Map.of("Ref", SECRETS_KEY).equals(keyId)) {
            problems.add("[kms] Globals.Function: LEADSYNC_KMS_KEY_ID must be !Ref " + SECRETS_KEY + ", got " + keyId);
        }
        functions().forEach((id, props) -> {
            List<Map<String, Object>> policies = list(props.get("Policies")).stream().map(TemplateChecks::map).toList();
            boolean touches = policies.stream().anyMatch(p -> SECRET_TABLES.stream().anyMatch(t -> mentions(p, t)));
            boolean writes = policies.stream().anyMatch(TemplateChecks::writesSecretTable);
            Set<String> granted = new TreeSet<>();
            for (Map<String, Object> policy : policies) {
                for (Object st : list(policy.get("Statement"))) {
                    Map<String, Object> statement = map(st);
                    List<String> kms = listOrSingle(statement.get("Action")).stream().map(String::valueOf)
                            .filter(a -> a.startsWith("kms:")).toList();
                    if (kms.isEmpty()) {
                        continue;
                    }
                    if (!Map.of("Fn::GetAtt", List.of(SECRETS_KEY, "Arn")).equals(statement.get("Resource"))) {
                        problems.add("[kms] " + id + ": " + kms + " must be on !GetAtt " + SECRETS_KEY
                                + ".Arn only, got " + statement.get("Resource"));
                    }
                    if (!String.valueOf(statement.get("Condition")).contains("kms:EncryptionContext:purpose")) {
                        problems.add("[kms] " + id + ": " + kms + " must be limited to LeadSync's encryption context"
                                + " (kms:EncryptionContext:purpose)");
                    }
                    granted.addAll(kms);
                }
            }
            Set<String> expected = new TreeSet<>();
            if (touches && !READS_NO_SECRETS.contains(id)) {
                expected.add("kms:Decrypt");
                if (writes) {
                    expected.add("kms:GenerateDataKey");
                }
            }
            if (!granted.equals(expected)) {
                problems.add("[kms] " + id + ": KMS grants " + granted + ", expected " + expected + (touches
                        ? " (it " + (writes ? "writes" : "reads") + " a table holding sealed secrets)"
                        : " (it touches no table holding sealed secrets)"));
            }
        });
        return problems;
    }

    private static boolean mentions(Object policy, String resource) {
        return String.valueOf(policy).matches("(?s).*\\b" + resource + "\\b.*");
    }

    /** A CRUD policy on a secret table, or a statement with a write action on one. */
    private static boolean writesSecretTable(Map<String, Object> policy) {
        Object crud = map(policy.get("DynamoDBCrudPolicy")).get("TableName");
        if (crud != null && SECRET_TABLES.stream().anyMatch(t -> Map.of("Ref", t).equals(crud))) {
            return true;
        }
        return list(policy.get("Statement")).stream().map(TemplateChecks::map)
                .anyMatch(st -> SECRET_TABLES.stream().anyMatch(t -> mentions(st.get("Resource"), t))
                        && listOrSingle(st.get("Action")).stream().anyMatch(TABLE_WRITES::contains));
    }

    // ------------------------------------------------------------------------------------------ [alarm]

    /** Every DLQ has an alarm on ApproximateNumberOfMessagesVisible > 0. */
    List<String> dlqAlarms() {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> alarms = propertiesOfType(ALARM);
        for (String dlq : deadLetterQueues()) {
            boolean alarmed = alarms.values().stream().anyMatch(a -> "AWS/SQS".equals(a.get("Namespace"))
                    && "ApproximateNumberOfMessagesVisible".equals(a.get("MetricName"))
                    && list(a.get("Dimensions")).stream().map(TemplateChecks::map)
                            .anyMatch(d -> "QueueName".equals(d.get("Name"))
                                    && dlq.equals(getAttOf(d.get("Value"), "QueueName")))
                    && firesOnFirstMessage(a));
            if (!alarmed) {
                problems.add("[alarm] DLQ " + dlq + " has no " + ALARM + " on AWS/SQS"
                        + " ApproximateNumberOfMessagesVisible > 0 with dimension QueueName: !GetAtt " + dlq
                        + ".QueueName");
            }
        }
        return problems;
    }

    private static boolean firesOnFirstMessage(Map<String, Object> alarm) {
        Integer threshold = integer(alarm.get("Threshold"));
        Object operator = alarm.get("ComparisonOperator");
        return threshold != null && ("GreaterThanThreshold".equals(operator) && threshold == 0
                || "GreaterThanOrEqualToThreshold".equals(operator) && threshold == 1);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private Map<String, Map<String, Object>> resources() {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        map(template.get("Resources")).forEach((id, r) -> result.put(id, map(r)));
        return result;
    }

    private Map<String, Map<String, Object>> propertiesOfType(String type) {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        resources().forEach((id, r) -> {
            if (type.equals(r.get("Type"))) {
                result.put(id, map(r.get("Properties")));
            }
        });
        return result;
    }

    private Map<String, Map<String, Object>> functions() {
        return propertiesOfType(SAM_FUNCTION);
    }

    /** Queues some RedrivePolicy of this template sends messages to. */
    private Set<String> deadLetterQueues() {
        Set<String> dlqs = new LinkedHashSet<>();
        propertiesOfType(QUEUE).values().forEach(props -> {
            String dlq = getAttOf(map(props.get("RedrivePolicy")).get("deadLetterTargetArn"), "Arn");
            if (dlq != null) {
                dlqs.add(dlq);
            }
        });
        return dlqs;
    }

    private static int retention(Map<String, Object> queueProps) {
        Integer retention = integer(queueProps.get("MessageRetentionPeriod"));
        return retention == null ? SQS_DEFAULT_RETENTION : retention;
    }

    /** A function property, falling back to Globals.Function. */
    private Object effective(Map<String, Object> functionProps, String property) {
        if (functionProps.containsKey(property)) {
            return functionProps.get(property);
        }
        return map(map(template.get("Globals")).get("Function")).get(property);
    }

    /** KeyType (HASH/RANGE) → AttributeName. */
    private static Map<String, String> keys(Object keySchema) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Object k : list(keySchema)) {
            Map<String, Object> key = map(k);
            keys.put(String.valueOf(key.get("KeyType")), String.valueOf(key.get("AttributeName")));
        }
        return keys;
    }

    /** The resource of {@code {"Fn::GetAtt": [resource, attribute]}}, or null. */
    private static String getAttOf(Object value, String attribute) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("Fn::GetAtt") instanceof List<?> args
                && args.size() == 2 && attribute.equals(args.get(1)) && args.get(0) instanceof String resource) {
            return resource;
        }
        return null;
    }

    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(String.valueOf(value));
    }

    private static Integer integer(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static List<Object> listOrSingle(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> ? list(value) : List.of(value);
    }

    private interface MapVisitor {
        void visit(String path, Map<String, Object> node);
    }

    private static void walk(Object node, String path, MapVisitor visitor) {
        if (node instanceof Map<?, ?>) {
            Map<String, Object> m = map(node);
            visitor.visit(path.isEmpty() ? "(root)" : path, m);
            m.forEach((k, v) -> walk(v, path.isEmpty() ? k : path + "." + k, visitor));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                walk(l.get(i), path + "[" + i + "]", visitor);
            }
        }
    }
}
