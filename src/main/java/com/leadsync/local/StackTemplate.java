package com.leadsync.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A typed read of template.yaml for local mode: the DynamoDB tables and SQS queues to create in the emulators, and
 * the functions with the HTTP routes, SQS triggers and schedules that invoke them. Only what local mode needs is
 * read; anything it cannot resolve locally (a name built from another resource, a queue given as a literal ARN)
 * fails loudly rather than being guessed.
 */
public final class StackTemplate {

    /** Where the build copies template.yaml on the classpath (pom.xml, profile {@code local}). */
    public static final String RESOURCE = "leadsync/template.yaml";

    private static final String SAM_FUNCTION = "AWS::Serverless::Function";
    private static final String TABLE = "AWS::DynamoDB::Table";
    private static final String QUEUE = "AWS::SQS::Queue";
    /** SAM's default function memory when neither the function nor Globals set one. */
    static final int DEFAULT_MEMORY_MB = 128;

    /** SAM's default function timeout when neither the function nor Globals set one. */
    private static final int DEFAULT_TIMEOUT_SECONDS = 3;
    private static final int DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final Map<String, Object> raw;

    private StackTemplate(Map<String, Object> raw) {
        this.raw = raw;
    }

    public static StackTemplate load(InputStream yaml) {
        return new StackTemplate(CfnYaml.load(yaml));
    }

    /** classpath resource "leadsync/template.yaml", falling back to ./template.yaml */
    public static StackTemplate loadDefault() {
        List<ClassLoader> loaders = new ArrayList<>();
        if (Thread.currentThread().getContextClassLoader() != null) {
            loaders.add(Thread.currentThread().getContextClassLoader());
        }
        loaders.add(StackTemplate.class.getClassLoader());
        try {
            for (ClassLoader loader : loaders) {
                try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
                    if (in != null) {
                        return load(in);
                    }
                }
            }
            Path file = Path.of("template.yaml");
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    return load(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stack template", e);
        }
        throw new IllegalStateException("no stack template: neither classpath resource " + RESOURCE + " nor "
                + Path.of("template.yaml").toAbsolutePath() + " exists");
    }

    public Map<String, Object> raw() {
        return raw;
    }

    // ------------------------------------------------------------------------------------------------ tables

    public List<TableSpec> tables(String stackName) {
        List<TableSpec> tables = new ArrayList<>();
        resourcesOfType(TABLE).forEach((logicalId, props) -> {
            String tableName = resolveName(props.get("TableName"), stackName, logicalId);
            List<KeySpec> keys = keys(props.get("KeySchema"), logicalId);
            Map<String, String> types = new LinkedHashMap<>();
            for (Object definition : list(props.get("AttributeDefinitions"))) {
                Map<String, Object> d = map(definition);
                types.put(string(d.get("AttributeName")), string(d.get("AttributeType")));
            }
            List<IndexSpec> indexes = new ArrayList<>();
            for (Object index : list(props.get("GlobalSecondaryIndexes"))) {
                Map<String, Object> i = map(index);
                Map<String, Object> projection = map(i.get("Projection"));
                Object projectionType = projection.get("ProjectionType");
                indexes.add(new IndexSpec(string(i.get("IndexName")), keys(i.get("KeySchema"), logicalId),
                        projectionType == null ? "KEYS_ONLY" : string(projectionType),
                        list(projection.get("NonKeyAttributes")).stream().map(StackTemplate::string).toList()));
            }
            tables.add(new TableSpec(logicalId, tableName, keys, types, indexes));
        });
        return List.copyOf(tables);
    }

    private static List<KeySpec> keys(Object keySchema, String logicalId) {
        List<KeySpec> keys = new ArrayList<>();
        for (Object element : list(keySchema)) {
            Map<String, Object> k = map(element);
            keys.add(new KeySpec(string(k.get("AttributeName")), string(k.get("KeyType")).toUpperCase(Locale.ROOT)));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(logicalId + ": KeySchema is missing or empty");
        }
        return keys;
    }

    // ------------------------------------------------------------------------------------------------ queues

    /** In template order, except that a dead-letter queue always comes before the queues that redrive to it. */
    public List<QueueSpec> queues(String stackName) {
        Map<String, QueueSpec> byId = new LinkedHashMap<>();
        resourcesOfType(QUEUE).forEach((logicalId, props) -> {
            String dlq = null;
            Integer maxReceiveCount = null;
            Object redrive = props.get("RedrivePolicy");
            if (redrive != null) {
                Map<String, Object> r = map(redrive);
                dlq = getAttResource(r.get("deadLetterTargetArn"), "Arn");
                if (dlq == null) {
                    throw new IllegalArgumentException(logicalId + ": RedrivePolicy.deadLetterTargetArn must be "
                            + "!GetAtt <Queue>.Arn of a queue in this template, got " + r.get("deadLetterTargetArn"));
                }
                maxReceiveCount = integer(r.get("maxReceiveCount"));
            }
            Object visibility = props.get("VisibilityTimeout");
            Object retention = props.get("MessageRetentionPeriod");
            byId.put(logicalId, new QueueSpec(logicalId, resolveName(props.get("QueueName"), stackName, logicalId),
                    visibility == null ? DEFAULT_VISIBILITY_TIMEOUT_SECONDS : integer(visibility),
                    retention == null ? null : integer(retention), dlq, maxReceiveCount));
        });
        Map<String, QueueSpec> ordered = new LinkedHashMap<>();
        for (QueueSpec queue : byId.values()) {
            addAfterDeadLetterQueue(queue, byId, ordered, new LinkedHashSet<>());
        }
        return List.copyOf(ordered.values());
    }

    private static void addAfterDeadLetterQueue(QueueSpec queue, Map<String, QueueSpec> byId,
            Map<String, QueueSpec> ordered, Set<String> path) {
        if (ordered.containsKey(queue.logicalId())) {
            return;
        }
        if (!path.add(queue.logicalId())) {
            throw new IllegalArgumentException("redrive cycle between queues " + path);
        }
        if (queue.deadLetterLogicalId() != null) {
            QueueSpec dlq = byId.get(queue.deadLetterLogicalId());
            if (dlq == null) {
                throw new IllegalArgumentException(queue.logicalId() + ": dead-letter queue "
                        + queue.deadLetterLogicalId() + " is not an " + QUEUE + " in the template");
            }
            addAfterDeadLetterQueue(dlq, byId, ordered, path);
        }
        ordered.put(queue.logicalId(), queue);
    }

    // ------------------------------------------------------------------------------------------------ functions

    public List<FunctionSpec> functions() {
        Map<String, Object> globals = map(map(raw.get("Globals")).get("Function"));
        List<FunctionSpec> functions = new ArrayList<>();
        resourcesOfType(SAM_FUNCTION).forEach((logicalId, props) -> {
            Object export = map(map(props.get("Environment")).get("Variables")).get("QUARKUS_FUNQY_EXPORT");
            if (export == null) {
                export = map(map(globals.get("Environment")).get("Variables")).get("QUARKUS_FUNQY_EXPORT");
            }
            Object timeout = props.containsKey("Timeout") ? props.get("Timeout") : globals.get("Timeout");
            Object memory = props.containsKey("MemorySize") ? props.get("MemorySize") : globals.get("MemorySize");
            List<HttpRoute> routes = new ArrayList<>();
            List<SqsTrigger> sqs = new ArrayList<>();
            List<ScheduleTrigger> schedules = new ArrayList<>();
            map(props.get("Events")).forEach((eventName, eventValue) -> {
                Map<String, Object> event = map(eventValue);
                Map<String, Object> p = map(event.get("Properties"));
                String type = string(event.get("Type"));
                switch (type) {
                    case "HttpApi", "Api" -> routes.add(new HttpRoute(
                            p.get("Method") == null ? "ANY" : string(p.get("Method")).toUpperCase(Locale.ROOT),
                            p.get("Path") == null ? "$default" : string(p.get("Path"))));
                    case "SQS" -> {
                        String queue = getAttResource(p.get("Queue"), "Arn");
                        if (queue == null) {
                            throw new IllegalArgumentException(logicalId + "." + eventName + ": Queue must be "
                                    + "!GetAtt <Queue>.Arn of a queue in this template, got " + p.get("Queue"));
                        }
                        sqs.add(new SqsTrigger(queue,
                                p.get("BatchSize") == null ? 10 : integer(p.get("BatchSize")),
                                list(p.get("FunctionResponseTypes")).contains("ReportBatchItemFailures"),
                                p.get("MaximumBatchingWindowInSeconds") == null ? 0
                                        : integer(p.get("MaximumBatchingWindowInSeconds"))));
                    }
                    case "Schedule", "ScheduleV2" -> {
                        boolean disabled = Boolean.FALSE.equals(p.get("Enabled"))
                                || "false".equals(String.valueOf(p.get("Enabled")))
                                || "DISABLED".equals(String.valueOf(p.get("State")));
                        if (!disabled) {
                            schedules.add(new ScheduleTrigger(withDefaults(p.get("ScheduleExpression"),
                                    logicalId + "." + eventName + ".ScheduleExpression")));
                        }
                    }
                    default -> {
                        // Other event sources have no local stand-in.
                    }
                }
            });
            functions.add(new FunctionSpec(logicalId, export == null ? null : string(export),
                    timeout == null ? DEFAULT_TIMEOUT_SECONDS : integer(timeout),
                    memory == null ? DEFAULT_MEMORY_MB : integer(memory), routes, sqs, schedules));
        });
        return List.copyOf(functions);
    }

    /**
     * A plain string, or {@code !Ref} of a template parameter, which local mode reads as the parameter's
     * {@code Default} (as a deployment that does not override it would).
     */
    private String withDefaults(Object value, String where) {
        if (value instanceof Map<?, ?> fn && fn.size() == 1 && fn.get("Ref") instanceof String name) {
            Map<String, Object> parameter = map(map(raw.get("Parameters")).get(name));
            if (!parameter.containsKey("Default")) {
                throw new IllegalArgumentException(where + ": !Ref " + name + " is not a template parameter with a "
                        + "Default, so local mode cannot resolve it");
            }
            return string(parameter.get("Default"));
        }
        return string(value);
    }

    // ------------------------------------------------------------------------------------------------ records

    public record KeySpec(String attribute, String keyType /* HASH | RANGE */) {
    }

    /** {@code nonKeyAttributes}: what an {@code INCLUDE} projection adds to the keys (empty otherwise). */
    public record IndexSpec(String indexName, List<KeySpec> keys, String projectionType, List<String> nonKeyAttributes) {
        public IndexSpec {
            keys = List.copyOf(keys);
            nonKeyAttributes = List.copyOf(nonKeyAttributes);
        }

        public IndexSpec(String indexName, List<KeySpec> keys, String projectionType) {
            this(indexName, keys, projectionType, List.of());
        }
    }

    public record TableSpec(String logicalId, String tableName, List<KeySpec> keys, Map<String, String> attributeTypes,
            List<IndexSpec> globalIndexes) {
        public TableSpec {
            keys = List.copyOf(keys);
            attributeTypes = Collections.unmodifiableMap(new LinkedHashMap<>(attributeTypes));
            globalIndexes = List.copyOf(globalIndexes);
        }
    }

    public record QueueSpec(String logicalId, String queueName, int visibilityTimeoutSeconds,
            Integer messageRetentionSeconds, String deadLetterLogicalId /* null if none */, Integer maxReceiveCount) {
    }

    public record HttpRoute(String method /* ANY, GET, POST ... upper case */, String path) {
    }

    public record SqsTrigger(String queueLogicalId, int batchSize, boolean reportBatchItemFailures,
            int maximumBatchingWindowSeconds) {
    }

    public record ScheduleTrigger(String expression) {

        private static final Pattern RATE = Pattern.compile(
                "rate\\(\\s*(\\d+)\\s+(second|minute|hour|day)s?\\s*\\)", Pattern.CASE_INSENSITIVE);

        /**
         * The period of a {@code rate(...)} expression: {@code rate(1 minute)}, {@code rate(5 minutes)}, hours, days
         * (and seconds, which EventBridge itself does not accept). {@code cron(...)} and {@code at(...)} have no fixed
         * period and throw {@link UnsupportedOperationException}.
         */
        public Duration period() {
            String text = expression == null ? "" : expression.trim();
            Matcher m = RATE.matcher(text);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                if (n <= 0) {
                    throw new IllegalArgumentException("schedule rate must be positive: " + expression);
                }
                return switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "second" -> Duration.ofSeconds(n);
                    case "minute" -> Duration.ofMinutes(n);
                    case "hour" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            if (text.startsWith("cron(") || text.startsWith("at(")) {
                throw new UnsupportedOperationException("only rate(...) schedules run locally, not " + expression);
            }
            throw new IllegalArgumentException("not a schedule expression: " + expression);
        }
    }

    /** {@code memoryMb}: what Lambda gives it (and bills by the GB-second). */
    public record FunctionSpec(String logicalId, String export, int timeoutSeconds, int memoryMb,
            List<HttpRoute> httpRoutes,
            List<SqsTrigger> sqsTriggers, List<ScheduleTrigger> schedules) {
        public FunctionSpec {
            httpRoutes = List.copyOf(httpRoutes);
            sqsTriggers = List.copyOf(sqsTriggers);
            schedules = List.copyOf(schedules);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** logicalId → Properties of every resource of the given type, in template order. */
    private Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        map(raw.get("Resources")).forEach((logicalId, resource) -> {
            Map<String, Object> r = map(resource);
            if (type.equals(r.get("Type"))) {
                result.put(logicalId, map(r.get("Properties")));
            }
        });
        return result;
    }

    /** A physical name as it would be deployed with the given stack name; {@code stackName-logicalId} if unset. */
    private static String resolveName(Object value, String stackName, String logicalId) {
        if (value == null) {
            return stackName + "-" + logicalId;
        }
        if (value instanceof String s) {
            return s;
        }
        Map<String, Object> fn = map(value);
        if (fn.size() == 1 && fn.containsKey("Fn::Sub")) {
            Object sub = fn.get("Fn::Sub");
            if (sub instanceof String s) {
                return substitute(s, Map.of(), stackName, logicalId);
            }
            List<Object> args = list(sub);
            if (args.size() == 2) {
                return substitute(string(args.get(0)), map(args.get(1)), stackName, logicalId);
            }
        }
        if (fn.size() == 1 && fn.containsKey("Ref")) {
            String pseudo = pseudo(string(fn.get("Ref")), stackName);
            if (pseudo != null) {
                return pseudo;
            }
        }
        if (fn.size() == 1 && fn.containsKey("Fn::Join")) {
            List<Object> args = list(fn.get("Fn::Join"));
            if (args.size() == 2) {
                List<String> parts = new ArrayList<>();
                for (Object part : list(args.get(1))) {
                    parts.add(resolveName(part, stackName, logicalId));
                }
                return String.join(string(args.get(0)), parts);
            }
        }
        throw new IllegalArgumentException(logicalId + ": cannot resolve the name " + value + " locally");
    }

    private static String substitute(String template, Map<String, Object> variables, String stackName,
            String logicalId) {
        Matcher m = SUB_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("!")) {
                replacement = "${" + name.substring(1) + "}";
            } else if (variables.containsKey(name)) {
                replacement = resolveName(variables.get(name), stackName, logicalId);
            } else {
                replacement = pseudo(name, stackName);
                if (replacement == null) {
                    throw new IllegalArgumentException(logicalId + ": cannot resolve ${" + name + "} in '"
                            + template + "' locally");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Local values of the pseudo parameters that can appear in a resource name. */
    private static String pseudo(String name, String stackName) {
        return switch (name) {
            case "AWS::StackName" -> stackName;
            case "AWS::Region" -> "us-east-1";
            case "AWS::AccountId" -> "000000000000";
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            default -> null;
        };
    }

    /** The resource of {@code {"Fn::GetAtt": [resource, attribute]}}, or null if the value is not that. */
    private static String getAttResource(Object value, String attribute) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("Fn::GetAtt") instanceof List<?> args
                && args.size() == 2 && attribute.equals(args.get(1)) && args.get(0) instanceof String resource) {
            return resource;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("expected a mapping, got " + value);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalArgumentException("expected a list, got " + value);
    }

    private static String string(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw new IllegalArgumentException("expected a plain string, got " + value);
    }

    private static int integer(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer, got '" + s + "'", e);
            }
        }
        throw new IllegalArgumentException("expected an integer, got " + value);
    }
}
