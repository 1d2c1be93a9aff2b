package com.leadsync.bench;

import com.leadsync.local.StackTemplate.IndexSpec;
import com.leadsync.local.StackTemplate.KeySpec;
import com.leadsync.local.StackTemplate.TableSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * What a benchmark run would cost on AWS, in dollars per million leads, from the calls it recorded. Every estimate
 * errs high, so the figure is an upper bound:
 * <ul>
 * <li>DynamoDB request units by DynamoDB's rules (writes per started KB, strongly consistent reads per started 4 KB,
 * eventually consistent ones half): reads from the items they returned; a put from its item; an update at the size of
 * the item after the run (items only grow in the pipeline), a failed conditional write too. Index writes: one per
 * write that names an index key attribute (two when it sets one: the row may move), or that changes an item in an
 * {@code ALL}-projected index, or names an attribute an {@code INCLUDE} index projects; sized as projected.</li>
 * <li>SQS requests per started 64 KB of payload; receives that got nothing are the pollers' idle cost, not a lead's.</li>
 * <li>Lambda: an SQS-triggered invocation lasts from its batch's last receive to its first delete on the local pump's
 * thread (which includes the pump's own work); a webhook invocation as long as its client waited for the 200. Memory
 * as template.yaml gives it.</li>
 * <li>API Gateway HTTP API: one request per webhook (the benchmark sends one lead in each; Meta batches more).</li>
 * <li>CloudWatch Logs: the bytes of the application's log lines as the prod profile writes them (JSON), its EMF
 * metric lines, and Lambda's START/END/REPORT lines per invocation.</li>
 * </ul>
 */
final class CostModel {

    /** us-east-1, on-demand list prices as AWS published them in 2025 (DynamoDB after its 1 November 2024 cut). */
    static final String PRICES_OF = "2025";
    static final double DYNAMO_PER_MILLION_WRU = 0.625;
    static final double DYNAMO_PER_MILLION_RRU = 0.125;
    static final double SQS_PER_MILLION_REQUESTS = 0.40;
    static final double LAMBDA_PER_MILLION_REQUESTS = 0.20;
    /** x86_64, as template.yaml's Architectures. */
    static final double LAMBDA_PER_GB_SECOND = 0.0000166667;
    static final double HTTP_API_PER_MILLION_REQUESTS = 1.00;
    static final double LOGS_PER_GB_INGESTED = 0.50;
    /** X-Ray (Tracing: Active): $5 per million traces recorded, of the default sampling's ~5 %. */
    static final double XRAY_PER_MILLION_TRACES = 5.00;
    static final double XRAY_SAMPLED = 0.05;
    /** Lambda's START, END and REPORT lines (with the X-Ray segment id) per invocation. */
    static final int PLATFORM_LOG_BYTES_PER_INVOCATION = 420;

    private static final int SQS_CHUNK = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("#?[A-Za-z_][A-Za-z0-9_]*");

    /** One Lambda invocation: its function's memory and how long it ran. */
    record Invocation(String function, int memoryMb, long nanos) {
    }

    /**
     * @param tables by table name
     * @param finalItems by table name, by key (see {@link #keyOf}): every item as the run left it
     * @param invocations every Lambda invocation the run made
     * @param appLogBytes the application's log lines (JSON) and EMF lines written during the run
     */
    record Inputs(int leads, List<CallRecorder.Call> trace, Map<String, TableSpec> tables,
            Map<String, Map<String, Map<String, AttributeValue>>> finalItems, List<Invocation> invocations,
            int webhooks, long appLogBytes) {
    }

    /** {@code wruByTable}: write units per table and index ({@code table/index}), for the breakdown. */
    record Estimate(int leads, double rru, double wru, double indexWru, double sqsRequests, int invocations,
            double gbSeconds, int webhooks, double logBytes, double dynamo, double sqs, double lambda,
            double apiGateway, double logs, double xray, Map<String, Double> wruByTable) {

        /** Write units per lead by table and index, most first. */
        String breakdown() {
            StringBuilder out = new StringBuilder("cost breakdown, DynamoDB write units per lead:");
            wruByTable.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> out.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue() / leads)));
            return out.toString();
        }

        double perMillion() {
            return dynamo + sqs + lambda + apiGateway + logs + xray;
        }

        String line() {
            double n = leads;
            return String.format(Locale.ROOT, "cost: $%.2f per million leads on AWS (us-east-1 on-demand prices of "
                            + "%s, an upper bound): DynamoDB $%.2f (%.1f RRU + %.1f WRU per lead, %.1f of them index "
                            + "writes), SQS $%.2f (%.1f requests per lead), Lambda $%.2f (%.2f invocations, %.3f "
                            + "GB-s per lead), API Gateway $%.2f, CloudWatch Logs $%.2f (%.0f bytes per lead), X-Ray "
                            + "$%.2f; not per lead: idle queue polls, schedules, storage",
                    perMillion(), PRICES_OF, dynamo, rru / n, wru / n, indexWru / n, sqs, sqsRequests / n, lambda,
                    invocations / n, gbSeconds / n, apiGateway, logs, logBytes / n, xray);
        }
    }

    private CostModel() {
    }

    static Estimate estimate(Inputs in) {
        double rru = 0;
        double wru = 0;
        double indexWru = 0;
        double sqsRequests = 0;
        Map<String, Double> byTable = new java.util.TreeMap<>();
        for (CallRecorder.Call c : in.trace()) {
            Object req = c.request();
            if (req instanceof GetItemRequest g && c.response() instanceof GetItemResponse r) {
                rru += readUnits(r.hasItem() ? size(r.item()) : 0, Boolean.TRUE.equals(g.consistentRead()));
            } else if (req instanceof QueryRequest q && c.response() instanceof QueryResponse r) {
                long bytes = r.items().stream().mapToLong(CostModel::size).sum();
                rru += readUnits(bytes, q.indexName() == null && Boolean.TRUE.equals(q.consistentRead()));
            } else if (req instanceof BatchGetItemRequest && c.response() instanceof BatchGetItemResponse r) {
                for (List<Map<String, AttributeValue>> items : r.responses().values()) {
                    for (Map<String, AttributeValue> item : items) {
                        rru += readUnits(size(item), true);
                    }
                }
            } else if (req instanceof PutItemRequest p) {
                double[] units = write(in, p.tableName(), p.item(), p.item().keySet(), Set.of(), "", byTable);
                wru += units[0] + units[1];
                indexWru += units[1];
            } else if (req instanceof UpdateItemRequest u) {
                Map<String, AttributeValue> after = in.finalItems().getOrDefault(u.tableName(), Map.of())
                        .get(keyOf(in.tables().get(u.tableName()), u.key()));
                Set<String> named = names(u.updateExpression(), u.expressionAttributeNames());
                String setClause = resolved(setClause(u.updateExpression()), u.expressionAttributeNames());
                Set<String> set = names(setClause, Map.of());
                double[] units = write(in, u.tableName(), after, named, set, setClause, byTable);
                wru += units[0] + units[1];
                indexWru += units[1];
            } else if (req instanceof DeleteItemRequest d) {
                TableSpec t = in.tables().get(d.tableName());
                double index = t == null ? 0 : t.globalIndexes().size();
                wru += 1 + index;
                indexWru += index;
            } else if (req instanceof SendMessageBatchRequest s) {
                sqsRequests += chunks(s.entries().stream().map(SendMessageBatchRequestEntry::messageBody).toList());
            } else if (req instanceof ReceiveMessageRequest && c.response() instanceof ReceiveMessageResponse r
                    && r.hasMessages() && !r.messages().isEmpty()) {
                sqsRequests += chunks(r.messages().stream().map(Message::body).toList());
            } else if (req instanceof DeleteMessageBatchRequest) {
                sqsRequests += 1;
            }
        }
        double gbSeconds = 0;
        for (Invocation i : in.invocations()) {
            // Billed per started millisecond.
            gbSeconds += Math.ceil(i.nanos() / 1e6) / 1000.0 * i.memoryMb() / 1024.0;
        }
        int invocations = in.invocations().size();
        double logBytes = in.appLogBytes() + (double) invocations * PLATFORM_LOG_BYTES_PER_INVOCATION;
        double perLead = 1e6 / in.leads();
        return new Estimate(in.leads(), rru, wru, indexWru, sqsRequests, invocations, gbSeconds, in.webhooks(),
                logBytes,
                (rru * DYNAMO_PER_MILLION_RRU + wru * DYNAMO_PER_MILLION_WRU) / 1e6 * perLead,
                sqsRequests * SQS_PER_MILLION_REQUESTS / 1e6 * perLead,
                (invocations * LAMBDA_PER_MILLION_REQUESTS / 1e6 + gbSeconds * LAMBDA_PER_GB_SECOND) * perLead,
                in.webhooks() * HTTP_API_PER_MILLION_REQUESTS / 1e6 * perLead,
                logBytes / (1024.0 * 1024 * 1024) * LOGS_PER_GB_INGESTED * perLead,
                invocations * XRAY_SAMPLED * XRAY_PER_MILLION_TRACES / 1e6 * perLead, byTable);
    }

    /**
     * {base units, index units} of one write. {@code sized}: the item whose size it is billed by (null: not known,
     * one unit); {@code named}: the attributes the request names; {@code set}: those it sets (an update's SET
     * clause, {@code setExpression}, its placeholders resolved).
     */
    private static double[] write(Inputs in, String table, Map<String, AttributeValue> sized, Set<String> named,
            Set<String> set, String setExpression, Map<String, Double> byTable) {
        double base = sized == null ? 1 : Math.max(1, Math.ceil(size(sized) / 1024.0));
        String shortName = table.substring(table.lastIndexOf('-') + 1);
        byTable.merge(shortName, base, Double::sum);
        TableSpec t = in.tables().get(table);
        double index = 0;
        if (t != null) {
            for (IndexSpec i : t.globalIndexes()) {
                List<String> keys = i.keys().stream().map(KeySpec::attribute).toList();
                boolean namesKey = keys.stream().anyMatch(named::contains);
                boolean inIndex = sized != null && keys.stream().allMatch(sized::containsKey);
                boolean projectedChange = inIndex && ("ALL".equals(i.projectionType())
                        || i.nonKeyAttributes().stream().anyMatch(named::contains));
                if (!namesKey && !projectedChange) {
                    continue;
                }
                // Setting a key may move the row (a delete and a put); one set only if absent adds it, once.
                double rows = keys.stream().anyMatch(set::contains) && !onlyIfAbsent(setExpression, keys) ? 2 : 1;
                double units = rows * Math.max(1, Math.ceil(projectedSize(i, t, sized) / 1024.0));
                byTable.merge(shortName + "/" + i.indexName(), units, Double::sum);
                index += units;
            }
        }
        return new double[] {base, index};
    }

    private static long projectedSize(IndexSpec i, TableSpec t, Map<String, AttributeValue> item) {
        if (item == null) {
            return 100;
        }
        if ("ALL".equals(i.projectionType())) {
            return size(item);
        }
        Set<String> kept = new HashSet<>();
        t.keys().forEach(k -> kept.add(k.attribute()));
        i.keys().forEach(k -> kept.add(k.attribute()));
        kept.addAll(i.nonKeyAttributes());
        Map<String, AttributeValue> projected = new HashMap<>();
        item.forEach((k, v) -> {
            if (kept.contains(k)) {
                projected.put(k, v);
            }
        });
        return size(projected);
    }

    private static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, Math.ceil(bytes / 4096.0));
        return consistent ? units : units / 2;
    }

    private static double chunks(List<String> bodies) {
        long bytes = bodies.stream().mapToLong(b -> b.getBytes(StandardCharsets.UTF_8).length).sum();
        return Math.max(1, Math.ceil(bytes / (double) SQS_CHUNK));
    }

    /** The attribute names an expression mentions, placeholders resolved. */
    private static Set<String> names(String expression, Map<String, String> placeholders) {
        Set<String> out = new HashSet<>();
        if (expression == null) {
            return out;
        }
        Matcher m = NAME.matcher(expression.replaceAll(":[A-Za-z0-9_]+", " "));
        while (m.find()) {
            String token = m.group();
            out.add(token.startsWith("#") && placeholders != null ? placeholders.getOrDefault(token, token) : token);
        }
        return out;
    }

    /** Whether every key attribute the SET clause sets is set only if absent ({@code k = if_not_exists(k, ...)}). */
    private static boolean onlyIfAbsent(String setExpression, List<String> keys) {
        for (String k : keys) {
            if (Pattern.compile("(?<![\\w#])" + Pattern.quote(k) + "\\s*=").matcher(setExpression).find()
                    && !Pattern.compile("(?<![\\w#])" + Pattern.quote(k) + "\\s*=\\s*if_not_exists\\(")
                    .matcher(setExpression).find()) {
                return false;
            }
        }
        return true;
    }

    /** An expression with its {@code #name} placeholders replaced by the names. */
    private static String resolved(String expression, Map<String, String> placeholders) {
        if (placeholders == null || placeholders.isEmpty()) {
            return expression;
        }
        StringBuilder out = new StringBuilder();
        Matcher m = Pattern.compile("#[A-Za-z0-9_]+").matcher(expression);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(placeholders.getOrDefault(m.group(), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The SET clause of an update expression (up to its REMOVE, ADD or DELETE clause). */
    private static String setClause(String expression) {
        if (expression == null) {
            return "";
        }
        Matcher m = Pattern.compile("(?i)\\bSET\\b(.*?)(\\b(REMOVE|ADD|DELETE)\\b|$)").matcher(expression);
        return m.find() ? m.group(1) : "";
    }

    /** The item's key as one string, in the table's key order. */
    static String keyOf(TableSpec t, Map<String, AttributeValue> item) {
        if (t == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (KeySpec k : t.keys()) {
            AttributeValue v = item.get(k.attribute());
            parts.add(v == null ? "" : v.s() != null ? v.s() : v.n());
        }
        return String.join("\u0000", parts);
    }

    /** An item's size as DynamoDB bills it: names plus values (numbers ~1 byte per two digits, plus one). */
    static long size(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            bytes += utf8(e.getKey()) + size(e.getValue());
        }
        return bytes;
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return v.n().length() / 2 + 2;
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasM()) {
            return 3 + size(v.m());
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToLong(x -> 1 + size(x)).sum();
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(CostModel::utf8).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToLong(n -> n.length() / 2 + 2).sum();
        }
        return 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
