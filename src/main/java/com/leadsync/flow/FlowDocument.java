package com.leadsync.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.leadsync.delivery.FieldMapper;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The flow document of contract §8 as callers write and read it: parsed and validated on write with every problem
 * named by its path ({@code steps[2].conditions[0].op}), rendered back without secrets ({@code hasSecret} instead).
 */
public final class FlowDocument {

    public static final int MAX_STEPS = 50;
    public static final int MAX_DEPTH = 5;
    static final int MAX_NAME = 200;
    static final int MAX_PATTERN = 1000;
    static final int MAX_VALUE = 2000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> TOP = Set.of("name", "enabled", "trigger", "steps");
    /** What the API shows of a flow and a caller may send back as it is: ignored. */
    private static final Set<String> READ_ONLY = Set.of("id", "accountId", "version", "createdAt", "updatedAt");
    private static final Map<String, Set<String>> STEP_KEYS = Map.of(
            "filter", Set.of("type", "conditions", "match"),
            "branch", Set.of("type", "conditions", "match", "then", "else"),
            "set", Set.of("type", "field", "value"),
            "format", Set.of("type", "field", "format"),
            "deliver", Set.of("type", "destinationId", "fieldMapping"),
            "webhook", Set.of("type", "url", "secret", "hasSecret"),
            "stop", Set.of("type"));
    private static final List<String> STEP_TYPES = List.of("filter", "branch", "set", "format", "deliver", "webhook",
            "stop");
    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    private FlowDocument() {
    }

    /** One problem of a document: where ({@code steps[1].then[0].type}) and what. */
    public record Problem(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    /** A document refused, with every problem found. */
    public static final class Invalid extends RuntimeException {
        private final List<Problem> problems;

        public Invalid(List<Problem> problems) {
            super(problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem"
                    + (problems.size() > 2 ? "s" : "") + ")" : ""));
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    /** The checks that need the world: whether the account may deliver to a destination, whether a URL is sendable. */
    public interface Checks {
        Optional<String> destinationProblem(String destinationId);

        Optional<String> urlProblem(String url);
    }

    /**
     * A valid document. {@code secretOmitted}: paths of webhook steps that did not mention {@code secret} (on a PUT
     * they keep the current one, see {@link #keepSecrets}); {@code "secret": null} removes it.
     */
    public record Parsed(String name, boolean enabled, Trigger trigger, List<Step> steps, Set<String> secretOmitted) {
    }

    public static Parsed parse(JsonNode body, Checks checks) {
        Reader r = new Reader(checks);
        if (body == null || !body.isObject()) {
            throw new Invalid(List.of(new Problem("(body)", "a flow is a JSON object")));
        }
        body.fieldNames().forEachRemaining(k -> {
            if (!TOP.contains(k) && !READ_ONLY.contains(k)) {
                r.problem(k, "unknown field; a flow has name, enabled, trigger and steps");
            }
        });
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            r.problem("name", "required: a non-blank string");
        } else if (name.asText().length() > MAX_NAME) {
            r.problem("name", "at most " + MAX_NAME + " characters");
        }
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            r.problem("enabled", "must be true or false");
        }
        Trigger trigger = r.trigger(body.get("trigger"));
        JsonNode steps = body.get("steps");
        List<Step> parsed = List.of();
        if (steps == null || !steps.isArray()) {
            r.problem("steps", "required: an array of steps");
        } else if (steps.isEmpty()) {
            r.problem("steps", "a flow needs at least one step");
        } else {
            parsed = r.steps(steps, "steps", 0);
            if (r.count > MAX_STEPS) {
                r.problems.add(0, new Problem("steps", "a flow has at most " + MAX_STEPS
                        + " steps, counted across all levels; this one has " + r.count));
            }
        }
        if (!r.problems.isEmpty()) {
            throw new Invalid(r.problems);
        }
        return new Parsed(name.asText().trim(), enabled == null || enabled.isNull() || enabled.asBoolean(), trigger,
                parsed, Set.copyOf(r.secretOmitted));
    }

    /**
     * A document {@link #toJson} wrote, as the store keeps it: no secrets, and valid when written (the world's checks
     * were made then). Its patterns are compiled again: they are not stored.
     */
    public static Parsed parseStored(JsonNode doc) {
        try {
            return parse(doc, TRUSTED);
        } catch (Invalid e) {
            throw new IllegalStateException("a stored flow does not parse: " + e.problems(), e);
        }
    }

    private static final Checks TRUSTED = new Checks() {
        public Optional<String> destinationProblem(String destinationId) {
            return Optional.empty();
        }

        public Optional<String> urlProblem(String url) {
            return Optional.empty();
        }
    };

    /**
     * The steps to store for a write: each webhook step that did not mention {@code secret} keeps the secret of the
     * first webhook step of {@code current} (the version it replaces) with the same URL; a caller cannot read a
     * secret, so it must not have to send it again to change something else.
     */
    public static List<Step> keepSecrets(Parsed parsed, List<Step> current) {
        Map<String, String> byUrl = new LinkedHashMap<>();
        walk(current, "steps", (path, step) -> {
            if (step instanceof Step.Webhook w && w.secret() != null) {
                byUrl.putIfAbsent(w.url(), w.secret());
            }
        });
        return rebuild(parsed.steps(), "steps", (path, step) -> step instanceof Step.Webhook w
                && w.secret() == null && parsed.secretOmitted().contains(path) && byUrl.containsKey(w.url())
                ? new Step.Webhook(w.url(), byUrl.get(w.url())) : step);
    }

    /** Webhook secrets by step path (only steps with one). */
    public static Map<String, String> secretsByPath(List<Step> steps) {
        Map<String, String> out = new LinkedHashMap<>();
        walk(steps, "steps", (path, step) -> {
            if (step instanceof Step.Webhook w && w.secret() != null) {
                out.put(path, w.secret());
            }
        });
        return out;
    }

    /** The steps with the secrets of {@link #secretsByPath} put back. */
    public static List<Step> withSecrets(List<Step> steps, Map<String, String> byPath) {
        return rebuild(steps, "steps", (path, step) -> step instanceof Step.Webhook w && byPath.containsKey(path)
                ? new Step.Webhook(w.url(), byPath.get(path)) : step);
    }

    /** The flow as the API shows it. */
    public static ObjectNode toJson(Flow flow) {
        ObjectNode out = NODES.objectNode();
        out.put("id", flow.flowId());
        out.put("accountId", flow.accountId());
        out.put("name", flow.name());
        out.put("enabled", flow.enabled());
        ObjectNode trigger = out.putObject("trigger");
        ArrayNode providers = trigger.putArray("providerTypes");
        flow.trigger().providerTypes().forEach(p -> providers.add(p.wireName()));
        ArrayNode forms = trigger.putArray("formIds");
        flow.trigger().formIds().forEach(forms::add);
        out.set("steps", stepsJson(flow.steps()));
        out.put("version", flow.version());
        out.put("createdAt", flow.createdAt() == null ? null : flow.createdAt().toString());
        out.put("updatedAt", flow.updatedAt() == null ? null : flow.updatedAt().toString());
        return out;
    }

    /** Steps as written, without secrets: a webhook step says {@code hasSecret}. */
    public static ArrayNode stepsJson(List<Step> steps) {
        ArrayNode out = NODES.arrayNode();
        for (Step step : steps) {
            ObjectNode s = out.addObject();
            s.put("type", step.type());
            if (step instanceof Step.Filter f) {
                conditions(s, f.conditions(), f.match());
            } else if (step instanceof Step.Branch b) {
                conditions(s, b.conditions(), b.match());
                s.set("then", stepsJson(b.then()));
                s.set("else", stepsJson(b.otherwise()));
            } else if (step instanceof Step.Set set) {
                s.put("field", set.field().path());
                s.put("value", set.value().source());
            } else if (step instanceof Step.Format f) {
                s.put("field", f.field().path());
                s.put("format", f.format().wireName());
            } else if (step instanceof Step.Deliver d) {
                s.put("destinationId", d.destinationId());
                if (d.fieldMapping() != null) {
                    ObjectNode m = s.putObject("fieldMapping");
                    d.fieldMapping().entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .forEach(e -> m.put(e.getKey(), e.getValue()));
                }
            } else if (step instanceof Step.Webhook w) {
                s.put("url", w.url());
                s.put("hasSecret", w.secret() != null);
            }
        }
        return out;
    }

    /** A recorded run as {@code GET /flows/{id}/runs} lists it. */
    public static ObjectNode runJson(FlowRun run) {
        ObjectNode out = NODES.objectNode();
        out.put("flowId", run.flowId());
        out.put("flowVersion", run.flowVersion());
        out.put("leadId", run.leadId());
        out.put("outcome", run.outcome().wireName());
        out.set("steps", stepsTaken(run.steps()));
        out.set("actions", actions(run.actions()));
        out.put("ranAt", run.ranAt().toString());
        return out;
    }

    /** What the engine made of a lead, for the test route. */
    public static ObjectNode resultJson(FlowResult result) {
        ObjectNode out = NODES.objectNode();
        out.put("outcome", result.outcome().wireName());
        out.set("steps", stepsTaken(result.steps()));
        out.set("actions", actions(result.actions()));
        return out;
    }

    private static final Set<String> SAMPLE_TEXT = Set.of("providerLeadId", "email", "firstName", "lastName",
            "fullName", "phoneNumber", "company", "formId", "adId", "campaignId");

    /**
     * The test route's sample lead: the contract's lead fields (all optional; {@code providerType} defaults to
     * {@code meta_lead_ads}, {@code receivedAt} to absent) and {@code formId}, {@code adId}, {@code campaignId}.
     */
    public static StoredLead sampleLead(JsonNode lead, String accountId) {
        List<Problem> problems = new ArrayList<>();
        Map<String, String> text = new LinkedHashMap<>();
        lead.fieldNames().forEachRemaining(k -> {
            JsonNode v = lead.get(k);
            if (SAMPLE_TEXT.contains(k)) {
                if (!v.isNull() && !v.isTextual()) {
                    problems.add(new Problem("lead." + k, "must be a string"));
                } else if (v.isTextual()) {
                    text.put(k, v.asText());
                }
            } else if (!Set.of("providerType", "receivedAt", "rawFieldData", "customFields", "leadId", "accountId",
                    "isTest", "storedAt").contains(k)) {
                problems.add(new Problem("lead." + k, "unknown lead field"));
            }
        });
        ProviderType provider = ProviderType.META_LEAD_ADS;
        JsonNode p = lead.get("providerType");
        if (p != null && !p.isNull()) {
            Optional<ProviderType> known = p.isTextual() ? ProviderType.fromWire(p.asText()) : Optional.empty();
            if (known.isEmpty()) {
                problems.add(new Problem("lead.providerType", "unknown providerType " + p));
            } else {
                provider = known.get();
            }
        }
        Instant received = null;
        JsonNode at = lead.get("receivedAt");
        if (at != null && !at.isNull()) {
            try {
                received = Instant.parse(at.asText());
            } catch (DateTimeParseException e) {
                problems.add(new Problem("lead.receivedAt", "must be an ISO-8601 instant"));
            }
        }
        Map<String, String> raw = stringMap(lead.get("rawFieldData"), "lead.rawFieldData", problems);
        Map<String, String> custom = stringMap(lead.get("customFields"), "lead.customFields", problems);
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return new StoredLead("sample", accountId, provider, text.getOrDefault("providerLeadId", "sample"),
                text.get("email"), text.get("firstName"), text.get("lastName"), text.get("fullName"),
                text.get("phoneNumber"), text.get("company"), raw, custom, received, text.get("formId"),
                text.get("adId"), text.get("campaignId"), true, null);
    }

    private static Map<String, String> stringMap(JsonNode node, String path, List<Problem> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            problems.add(new Problem(path, "must be an object of strings"));
            return out;
        }
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            } else {
                problems.add(new Problem(path + "." + e.getKey(), "must be a string"));
            }
        });
        return out;
    }

    private static ArrayNode stepsTaken(List<StepTaken> steps) {
        ArrayNode out = NODES.arrayNode();
        for (StepTaken t : steps) {
            ObjectNode s = out.addObject();
            s.put("path", t.path());
            s.put("type", t.type());
            s.put("result", t.result());
            if (t.detail() != null) {
                s.put("detail", t.detail());
            }
        }
        return out;
    }

    private static ArrayNode actions(List<FlowAction> actions) {
        ArrayNode out = NODES.arrayNode();
        for (FlowAction a : actions) {
            ObjectNode s = out.addObject();
            s.put("path", a.path());
            s.put("type", a.kind() == FlowAction.Kind.DELIVER ? "deliver" : "webhook");
            if (a.destinationId() != null) {
                s.put("destinationId", a.destinationId());
            }
            if (a.url() != null) {
                s.put("url", a.url());
            }
        }
        return out;
    }

    private static void conditions(ObjectNode s, List<Condition> conditions, Step.Match match) {
        ArrayNode list = s.putArray("conditions");
        for (Condition c : conditions) {
            ObjectNode o = list.addObject();
            o.put("field", c.field().path());
            o.put("op", c.op().wireName());
            if (c.value() != null) {
                o.set("value", c.value());
            }
        }
        s.put("match", match.wireName());
    }

    private interface Visit {
        void step(String path, Step step);
    }

    private static void walk(List<Step> steps, String path, Visit visit) {
        for (int i = 0; i < steps.size(); i++) {
            String p = path + "[" + i + "]";
            visit.step(p, steps.get(i));
            if (steps.get(i) instanceof Step.Branch b) {
                walk(b.then(), p + ".then", visit);
                walk(b.otherwise(), p + ".else", visit);
            }
        }
    }

    private interface Rewrite {
        Step step(String path, Step step);
    }

    private static List<Step> rebuild(List<Step> steps, String path, Rewrite rewrite) {
        List<Step> out = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            String p = path + "[" + i + "]";
            Step s = steps.get(i);
            if (s instanceof Step.Branch b) {
                s = new Step.Branch(b.conditions(), b.match(), rebuild(b.then(), p + ".then", rewrite),
                        rebuild(b.otherwise(), p + ".else", rewrite));
            }
            out.add(rewrite.step(p, s));
        }
        return out;
    }

    /** One parse: the problems found so far, the steps counted, the webhook steps that left their secret out. */
    private static final class Reader {
        final Checks checks;
        final List<Problem> problems = new ArrayList<>();
        final Set<String> secretOmitted = new HashSet<>();
        int count;

        Reader(Checks checks) {
            this.checks = checks;
        }

        void problem(String path, String message) {
            problems.add(new Problem(path, message));
        }

        Trigger trigger(JsonNode node) {
            if (node == null || node.isNull()) {
                return Trigger.ANY;
            }
            if (!node.isObject()) {
                problem("trigger", "must be an object with providerTypes and/or formIds");
                return Trigger.ANY;
            }
            node.fieldNames().forEachRemaining(k -> {
                if (!k.equals("providerTypes") && !k.equals("formIds")) {
                    problem("trigger." + k, "unknown field; a trigger has providerTypes and formIds");
                }
            });
            List<ProviderType> providers = new ArrayList<>();
            strings(node.get("providerTypes"), "trigger.providerTypes").forEach((path, v) -> {
                Optional<ProviderType> p = ProviderType.fromWire(v);
                if (p.isEmpty()) {
                    problem(path, "unknown providerType \"" + v + "\"; known: " + Arrays.stream(ProviderType.values())
                            .map(ProviderType::wireName).collect(Collectors.joining(", ")));
                } else {
                    providers.add(p.get());
                }
            });
            List<String> forms = new ArrayList<>(strings(node.get("formIds"), "trigger.formIds").values());
            return new Trigger(providers, forms);
        }

        /** A list of non-blank strings, by the path of each. */
        Map<String, String> strings(JsonNode node, String path) {
            Map<String, String> out = new LinkedHashMap<>();
            if (node == null || node.isNull()) {
                return out;
            }
            if (!node.isArray()) {
                problem(path, "must be an array of strings");
                return out;
            }
            for (int i = 0; i < node.size(); i++) {
                JsonNode v = node.get(i);
                if (!v.isTextual() || v.asText().isBlank()) {
                    problem(path + "[" + i + "]", "must be a non-blank string");
                } else {
                    out.put(path + "[" + i + "]", v.asText());
                }
            }
            return out;
        }

        List<Step> steps(JsonNode array, String path, int depth) {
            List<Step> out = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                Step s = step(array.get(i), path + "[" + i + "]", depth);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        }

        Step step(JsonNode node, String path, int depth) {
            count++;
            if (!node.isObject()) {
                problem(path, "a step is an object with a type");
                return null;
            }
            JsonNode type = node.get("type");
            if (type == null || !type.isTextual() || !STEP_KEYS.containsKey(type.asText())) {
                problem(path + ".type", (type == null ? "required" : "unknown step " + type) + "; steps are "
                        + String.join(", ", STEP_TYPES));
                return null;
            }
            Set<String> allowed = STEP_KEYS.get(type.asText());
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    problem(path + "." + k, "unknown field of a " + type.asText() + " step; it has "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
            return switch (type.asText()) {
                case "filter" -> new Step.Filter(conditions(node.get("conditions"), path + ".conditions"),
                        match(node.get("match"), path + ".match"));
                case "branch" -> branch(node, path, depth + 1);
                case "set" -> set(node, path);
                case "format" -> format(node, path);
                case "deliver" -> deliver(node, path);
                case "webhook" -> webhook(node, path);
                default -> new Step.Stop();
            };
        }

        Step branch(JsonNode node, String path, int level) {
            List<Condition> conditions = conditions(node.get("conditions"), path + ".conditions");
            Step.Match match = match(node.get("match"), path + ".match");
            if (level > MAX_DEPTH) {
                problem(path, "branches nest at most " + MAX_DEPTH + " levels deep");
                return null;
            }
            JsonNode then = node.get("then");
            JsonNode otherwise = node.get("else");
            if ((then == null || then.isNull()) && (otherwise == null || otherwise.isNull())) {
                problem(path, "a branch needs then, else or both");
            }
            return new Step.Branch(conditions, match, branchSteps(then, path + ".then", level),
                    branchSteps(otherwise, path + ".else", level));
        }

        List<Step> branchSteps(JsonNode node, String path, int level) {
            if (node == null || node.isNull()) {
                return List.of();
            }
            if (!node.isArray()) {
                problem(path, "must be an array of steps");
                return List.of();
            }
            return steps(node, path, level);
        }

        Step.Match match(JsonNode node, String path) {
            if (node == null || node.isNull()) {
                return Step.Match.ALL;
            }
            if (node.isTextual() && (node.asText().equals("all") || node.asText().equals("any"))) {
                return Step.Match.valueOf(node.asText().toUpperCase(java.util.Locale.ROOT));
            }
            problem(path, "must be \"all\" or \"any\"");
            return Step.Match.ALL;
        }

        List<Condition> conditions(JsonNode node, String path) {
            List<Condition> out = new ArrayList<>();
            if (node == null || !node.isArray() || node.isEmpty()) {
                problem(path, "required: a non-empty array of conditions");
                return out;
            }
            for (int i = 0; i < node.size(); i++) {
                Condition c = condition(node.get(i), path + "[" + i + "]");
                if (c != null) {
                    out.add(c);
                }
            }
            return out;
        }

        Condition condition(JsonNode node, String path) {
            if (!node.isObject()) {
                problem(path, "a condition is an object with field, op and value");
                return null;
            }
            node.fieldNames().forEachRemaining(k -> {
                if (!Set.of("field", "op", "value").contains(k)) {
                    problem(path + "." + k, "unknown field of a condition; it has field, op and value");
                }
            });
            FieldRef field = readable(node.get("field"), path + ".field");
            JsonNode opNode = node.get("op");
            Optional<Op> op = opNode != null && opNode.isTextual() ? Op.fromWire(opNode.asText()) : Optional.empty();
            if (op.isEmpty()) {
                problem(path + ".op", (opNode == null ? "required" : "unknown op " + opNode) + "; ops are "
                        + Arrays.stream(Op.values()).map(Op::wireName).collect(Collectors.joining(", ")));
            }
            JsonNode value = node.get("value");
            Pattern pattern = null;
            if (op.isPresent()) {
                String vp = path + ".value";
                Op o = op.get();
                if (!o.takesValue()) {
                    if (value != null) {
                        problem(vp, o.wireName() + " takes no value");
                    }
                    value = null;
                } else if (value == null || value.isNull()) {
                    problem(vp, "required for " + o.wireName());
                } else if (o == Op.IN) {
                    if (!value.isArray() || value.isEmpty()) {
                        problem(vp, "in needs a non-empty array of strings or numbers");
                    } else {
                        for (int i = 0; i < value.size(); i++) {
                            if (!value.get(i).isTextual() && !value.get(i).isNumber()) {
                                problem(vp + "[" + i + "]", "must be a string or a number");
                            }
                        }
                    }
                } else if (o == Op.MATCHES) {
                    if (!value.isTextual()) {
                        problem(vp, "matches needs a regular expression (a string)");
                    } else if (value.asText().length() > MAX_PATTERN) {
                        problem(vp, "a pattern has at most " + MAX_PATTERN + " characters");
                    } else {
                        try {
                            pattern = Pattern.compile(value.asText());
                        } catch (PatternSyntaxException e) {
                            problem(vp, "bad regex: " + e.getMessage());
                        }
                    }
                } else if (o == Op.GT || o == Op.LT) {
                    if (!value.isNumber() && !(value.isTextual() && (number(value.asText()) || instant(value.asText())))) {
                        problem(vp, o.wireName() + " needs a number or an ISO-8601 instant or date");
                    }
                } else if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
                    problem(vp, o.wireName() + " needs a string, a number or a boolean");
                } else if (value.isTextual() && value.asText().length() > MAX_VALUE) {
                    problem(vp, "at most " + MAX_VALUE + " characters");
                }
            }
            return field == null || op.isEmpty() ? null : new Condition(field, op.get(), value, pattern);
        }

        FieldRef readable(JsonNode node, String path) {
            if (node == null || !node.isTextual()) {
                problem(path, "required: a lead field, customFields.x or rawFieldData.x");
                return null;
            }
            Optional<FieldRef> f = FieldRef.parse(node.asText());
            if (f.isEmpty()) {
                problem(path, "unknown field \"" + node.asText() + "\"; fields are "
                        + String.join(", ", FieldRef.READABLE) + ", customFields.x or rawFieldData.x");
            }
            return f.orElse(null);
        }

        FieldRef writable(JsonNode node, String path) {
            FieldRef f = readable(node, path);
            if (f != null && !f.writable()) {
                problem(path, f.kind() == FieldRef.Kind.RAW
                        ? "rawFieldData is what the platform sent and stays as it was; set customFields.x instead"
                        : "\"" + f.path() + "\" cannot be changed; writable: " + String.join(", ", FieldRef.WRITABLE)
                                + " or customFields.x");
                return null;
            }
            return f;
        }

        Step set(JsonNode node, String path) {
            FieldRef field = writable(node.get("field"), path + ".field");
            JsonNode value = node.get("value");
            if (value == null || !value.isTextual()) {
                problem(path + ".value", "required: a string (it may use {{field}} placeholders)");
                return null;
            }
            if (value.asText().length() > MAX_VALUE) {
                problem(path + ".value", "at most " + MAX_VALUE + " characters");
                return null;
            }
            Template template = template(value.asText(), path + ".value");
            return field == null || template == null ? null : new Step.Set(field, template);
        }

        Template template(String source, String path) {
            List<Template.Part> parts = new ArrayList<>();
            java.util.regex.Matcher m = PLACEHOLDER.matcher(source);
            int at = 0;
            boolean ok = true;
            while (m.find()) {
                if (m.start() > at) {
                    parts.add(new Template.Literal(source.substring(at, m.start())));
                }
                Optional<FieldRef> f = FieldRef.parse(m.group(1));
                if (f.isEmpty()) {
                    problem(path, "unknown field \"" + m.group() + "\"; placeholders name " + String.join(", ",
                            FieldRef.READABLE) + ", customFields.x or rawFieldData.x");
                    ok = false;
                } else {
                    parts.add(new Template.Placeholder(f.get()));
                }
                at = m.end();
            }
            String rest = source.substring(at);
            if (rest.contains("{{") || source.substring(0, at).contains("{{{")) {
                problem(path, "an unclosed or malformed {{ placeholder");
                ok = false;
            }
            if (!rest.isEmpty()) {
                parts.add(new Template.Literal(rest));
            }
            return ok ? new Template(source, parts) : null;
        }

        Step format(JsonNode node, String path) {
            FieldRef field = writable(node.get("field"), path + ".field");
            JsonNode f = node.get("format");
            Optional<TextFormat> format = f != null && f.isTextual() ? TextFormat.fromWire(f.asText()) : Optional.empty();
            if (format.isEmpty()) {
                problem(path + ".format", (f == null ? "required" : "unknown format " + f) + "; formats are "
                        + Arrays.stream(TextFormat.values()).map(TextFormat::wireName).collect(Collectors.joining(", ")));
            }
            return field == null || format.isEmpty() ? null : new Step.Format(field, format.get());
        }

        Step deliver(JsonNode node, String path) {
            JsonNode id = node.get("destinationId");
            if (id == null || !id.isTextual() || id.asText().isBlank()) {
                problem(path + ".destinationId", "required: the id of one of the account's destinations");
                return null;
            }
            checks.destinationProblem(id.asText()).ifPresent(p -> problem(path + ".destinationId", p));
            Map<String, String> mapping = null;
            JsonNode m = node.get("fieldMapping");
            if (m != null && !m.isNull()) {
                if (!m.isObject()) {
                    problem(path + ".fieldMapping", "must be an object of lead field → CRM field");
                } else {
                    mapping = new LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (!e.getValue().isTextual()) {
                            problem(path + ".fieldMapping." + e.getKey(), "must be a string (a CRM field name)");
                        } else {
                            mapping.put(e.getKey(), e.getValue().asText());
                        }
                    }
                    // FieldMapper's sentences start with "fieldMapping: ": the path says that already.
                    FieldMapper.validate(mapping).forEach(p -> problem(path + ".fieldMapping",
                            p.replaceFirst("^fieldMapping: ", "")));
                }
            }
            return new Step.Deliver(id.asText(), mapping);
        }

        Step webhook(JsonNode node, String path) {
            JsonNode url = node.get("url");
            if (url == null || !url.isTextual() || url.asText().isBlank()) {
                problem(path + ".url", "required: the URL to post the lead to");
                return null;
            }
            checks.urlProblem(url.asText()).ifPresent(p -> problem(path + ".url", p));
            JsonNode secret = node.get("secret");
            if (secret == null) {
                secretOmitted.add(path);
            } else if (!secret.isNull() && (!secret.isTextual() || secret.asText().isEmpty())) {
                problem(path + ".secret", "must be a non-empty string, or null for none");
            }
            return new Step.Webhook(url.asText(), secret == null || secret.isNull() ? null : secret.asText());
        }
    }

    static boolean number(String s) {
        try {
            new BigDecimal(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean instant(String s) {
        try {
            Instant.parse(s.trim());
            return true;
        } catch (DateTimeParseException e) {
            try {
                LocalDate.parse(s.trim());
                return true;
            } catch (DateTimeParseException e2) {
                return false;
            }
        }
    }
}
