package com.leadsync.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An offline Graph API (providers.md §1.2, errors §1.6) under {@code /_local/meta-graph}, answering from the sample
 * leads in {@code infra/events/graph/<lead-id>.json} and the lead forms in {@code infra/events/graph/forms/}: a page
 * lookup ({@code GET /{page-id}?fields=id,name}), a lead by id, a page's forms ({@code /{page-id}/leadgen_forms})
 * and a form's leads ({@code /{form-id}/leads}, newest first, {@code filtering} on {@code time_created},
 * {@code limit}, {@code after} cursors, {@code paging.next} only while there are more). Every page has the sample
 * forms, for the page tokens in {@code leadsync.local.graph-page-tokens}; other tokens get Graph's code 190. Lead
 * times are shown moved by {@link SampleClock}.
 *
 * <p>A form whose file declares {@link GeneratedLeadForm generated leads} lists those instead of sample files, any
 * number of them, each page built from its cursor alone; each of its pages is answered after
 * {@code leadsync.local.generated-page-delay}, so that an import's progress can be watched.
 *
 * <p>{@code leadsync.local.graph-fetch-failure-rate} (0 to 1, default 0) makes that share of lead fetches fail as Graph
 * fails when it is overloaded (HTTP 500, code 2, {@code is_transient}), to watch local mode retry them.
 */
@ApplicationScoped
public class LocalMetaGraphFake {

    static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** Graph's page size when a request gives no {@code limit}. */
    static final int DEFAULT_LIMIT = 25;
    /** What Graph answers without {@code fields=} (providers.md §1.2 for leads). */
    private static final List<String> DEFAULT_LEAD_FIELDS = List.of("id", "created_time", "field_data");
    private static final List<String> DEFAULT_FORM_FIELDS = List.of("id", "name", "status", "locale");
    private static final Set<String> TIME_OPERATORS = Set.of("GREATER_THAN", "GREATER_THAN_OR_EQUAL", "LESS_THAN",
            "LESS_THAN_OR_EQUAL");

    private final Path leads;
    private final Path forms;
    private final Set<String> pageTokens;
    private final SampleClock clock;
    private final ObjectMapper json;
    private final Duration generatedPageDelay;
    private final double fetchFailureRate;

    LocalMetaGraphFake(String leads, Set<String> pageTokens, SampleClock clock, ObjectMapper json,
            Duration generatedPageDelay) {
        this(leads, pageTokens, clock, json, generatedPageDelay, 0);
    }

    @Inject
    LocalMetaGraphFake(@ConfigProperty(name = "leadsync.local.sample-leads-dir", defaultValue = "infra/events/graph")
            String leads,
            @ConfigProperty(name = "leadsync.local.graph-page-tokens", defaultValue = "local-page-token")
            Set<String> pageTokens, SampleClock clock, ObjectMapper json,
            @ConfigProperty(name = "leadsync.local.generated-page-delay", defaultValue = "250ms")
            Duration generatedPageDelay,
            @ConfigProperty(name = "leadsync.local.graph-fetch-failure-rate", defaultValue = "0")
            double fetchFailureRate) {
        if (!(fetchFailureRate >= 0 && fetchFailureRate <= 1)) {
            throw new IllegalArgumentException("leadsync.local.graph-fetch-failure-rate must be between 0 and 1, not "
                    + fetchFailureRate);
        }
        this.fetchFailureRate = fetchFailureRate;
        this.leads = Path.of(leads);
        this.forms = this.leads.resolve("forms");
        this.pageTokens = Set.copyOf(pageTokens);
        this.clock = clock;
        this.json = json;
        this.generatedPageDelay = generatedPageDelay;
    }

    void routes(@Observes Router router) {
        router.get("/_local/meta-graph/:version/:id/leadgen_forms").order(-199).blockingHandler(
                FakeReply.handler(ctx -> forms(ctx.pathParam("id"), FakeRequest.of(ctx))), false);
        router.get("/_local/meta-graph/:version/:id/leads").order(-199).blockingHandler(
                FakeReply.handler(ctx -> leads(ctx.pathParam("id"), FakeRequest.of(ctx)),
                        ctx -> pageDelay(ctx.pathParam("id"))), false);
        router.get("/_local/meta-graph/:version/:id").order(-199).blockingHandler(
                FakeReply.handler(ctx -> object(ctx.pathParam("id"), FakeRequest.of(ctx))), false);
    }

    /**
     * {@code GET /{id}}: with {@code fields=id,name} the page itself (what connecting a page asks, contract §5), any
     * numeric page id; otherwise the sample lead of that id.
     */
    FakeReply object(String id, FakeRequest req) {
        FakeReply refused = refusedToken(req);
        if (refused != null) {
            return refused;
        }
        if ("id,name".equals(req.param("fields"))) {
            if (!id.matches("[0-9]{1,30}")) {
                return unknownObject(id, "page ids are digits");
            }
            return FakeReply.json(200, json.createObjectNode().put("name", "Local page " + id).put("id", id));
        }
        if (!id.matches("[0-9]{1,30}")) {
            return unknownObject(id, "Graph ids are digits");
        }
        if (fetchFailureRate > 0 && ThreadLocalRandom.current().nextDouble() < fetchFailureRate) {
            return transientFailure();
        }
        return SampleFiles.one(json, leads, id).map(this::present).or(() -> generatedLead(id))
                .map(lead -> FakeReply.json(200, project(lead, fields(req, DEFAULT_LEAD_FIELDS))))
                .orElseGet(() -> unknownObject(id, "add " + leads.resolve(id + ".json")));
    }

    /** The generated lead of that id, of whichever generated form it belongs to. */
    private Optional<ObjectNode> generatedLead(String id) {
        for (ObjectNode form : SampleFiles.all(json, forms)) {
            Optional<GeneratedLeadForm> generated = GeneratedLeadForm.of(form);
            OptionalInt index = generated.map(g -> g.index(id)).orElse(OptionalInt.empty());
            if (index.isPresent()) {
                return Optional.of(generatedLead(generated.get(), index.getAsInt()));
            }
        }
        return Optional.empty();
    }

    /** {@code GET /{page-id}/leadgen_forms}: the sample forms, by id, {@code limit} at a time. */
    FakeReply forms(String pageId, FakeRequest req) {
        FakeReply refused = refusedToken(req);
        if (refused != null) {
            return refused;
        }
        if (!pageId.matches("[0-9]{1,30}")) {
            return unknownObject(pageId, "page ids are digits");
        }
        List<ObjectNode> all = new ArrayList<>();
        for (ObjectNode form : SampleFiles.all(json, forms)) {
            all.add((ObjectNode) form.deepCopy().without(GeneratedLeadForm.KEY));
        }
        all.sort(Comparator.comparing(form -> form.path("id").asText()));
        return page(Listing.of(all), req, fields(req, DEFAULT_FORM_FIELDS));
    }

    /** {@code GET /{form-id}/leads}: the form's sample leads, newest first, filtered and paged as Graph does. */
    FakeReply leads(String formId, FakeRequest req) {
        FakeReply refused = refusedToken(req);
        if (refused != null) {
            return refused;
        }
        Optional<ObjectNode> form = SampleFiles.one(json, forms, formId);
        if (form.isEmpty()) {
            return unknownObject(formId, "add a form " + forms.resolve(formId + ".json"));
        }
        List<TimeBound> window;
        try {
            window = timeFilter(req.param("filtering"));
        } catch (IllegalArgumentException e) {
            return error(100, null, "OAuthException", "(#100) " + e.getMessage());
        }
        Optional<GeneratedLeadForm> generated = GeneratedLeadForm.of(form.get());
        if (generated.isPresent()) {
            return page(generatedListing(generated.get(), window), req, fields(req, DEFAULT_LEAD_FIELDS));
        }
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode lead : SampleFiles.all(json, leads)) {
            ObjectNode shown = present(lead);
            Instant created = createdTime(shown);
            if (formId.equals(lead.path("form_id").asText()) && created != null
                    && window.stream().allMatch(bound -> bound.test(created))) {
                matching.add(shown);
            }
        }
        matching.sort(Comparator.comparing(LocalMetaGraphFake::createdTime).thenComparing(l -> l.path("id").asText())
                .reversed());
        return page(Listing.of(matching), req, fields(req, DEFAULT_LEAD_FIELDS));
    }

    /** How long a page of {@code formId}'s leads is held back: only a generated form's, so its walk can be watched. */
    Duration pageDelay(String formId) {
        if (generatedPageDelay.isZero() || generatedPageDelay.isNegative()) {
            return Duration.ZERO;
        }
        try {
            return SampleFiles.one(json, forms, formId).flatMap(GeneratedLeadForm::of).isPresent()
                    ? generatedPageDelay : Duration.ZERO;
        } catch (SampleFiles.BrokenSample e) {
            return Duration.ZERO;
        }
    }

    /**
     * A generated form's leads in the window: lead {@code i} was created before lead {@code i - 1}, so each bound
     * holds on a run of indexes (a lower bound on the newest ones, an upper bound on the oldest ones), found by
     * bisection; the window is the run where all hold. Nothing is built beyond the page asked for.
     */
    private Listing generatedListing(GeneratedLeadForm form, List<TimeBound> window) {
        int from = 0;
        int to = form.count();
        for (TimeBound bound : window) {
            if (bound.lower()) {
                to = Math.min(to, form.firstIndex(i -> !bound.test(clock.present(form.createdTime(i)))));
            } else {
                from = Math.max(from, form.firstIndex(i -> bound.test(clock.present(form.createdTime(i)))));
            }
        }
        int first = from;
        int size = Math.max(0, to - from);
        return new Listing(size, at -> generatedLead(form, first + at), id -> {
            OptionalInt index = form.index(id);
            int at = index.isPresent() ? index.getAsInt() - first : -1;
            return at >= 0 && at < size ? at : -1;
        });
    }

    private ObjectNode generatedLead(GeneratedLeadForm form, int i) {
        return form.lead(json, i, GRAPH_TIME.format(clock.present(form.createdTime(i))));
    }

    /**
     * What a listing pages over: {@code size} items, item {@code at} (from 0), and the position of the item an
     * {@code after} cursor names (-1 when it names none).
     */
    private record Listing(int size, IntFunction<ObjectNode> item, ToIntFunction<String> positionOf) {
        static Listing of(List<ObjectNode> items) {
            return new Listing(items.size(), items::get, id -> {
                int at = -1;
                for (int i = 0; i < items.size(); i++) {
                    if (items.get(i).path("id").asText().equals(id)) {
                        at = i;
                    }
                }
                return at;
            });
        }
    }

    /** One page of {@code items} from the {@code after} cursor on, as Graph pages its edges. */
    private FakeReply page(Listing items, FakeRequest req, List<String> fields) {
        int limit;
        try {
            limit = req.param("limit") == null ? DEFAULT_LIMIT : Integer.parseInt(req.param("limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1) {
            return error(100, null, "OAuthException", "(#100) Param limit must be a positive integer");
        }
        int start = 0;
        String after = req.param("after");
        if (after != null) {
            String id = decodeCursor(after);
            int at = id == null ? -1 : items.positionOf().applyAsInt(id);
            if (at < 0) {
                return error(100, null, "OAuthException", "(#100) The after cursor is invalid: " + after);
            }
            start = at + 1;
        }
        int end = (int) Math.min(items.size(), (long) start + limit);
        List<ObjectNode> slice = new ArrayList<>();
        for (int i = start; i < end; i++) {
            slice.add(items.item().apply(i));
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode data = body.putArray("data");
        slice.forEach(item -> data.add(project(item, fields)));
        if (!slice.isEmpty()) {
            ObjectNode paging = body.putObject("paging");
            paging.putObject("cursors").put("before", cursor(slice.get(0))).put("after",
                    cursor(slice.get(slice.size() - 1)));
            if (start + slice.size() < items.size()) {
                paging.put("next", req.withParam("after", cursor(slice.get(slice.size() - 1))));
            }
        }
        return FakeReply.json(200, body);
    }

    /** One {@code time_created} filter: {@code lower} for a GREATER_THAN bound, else a LESS_THAN one. */
    private record TimeBound(boolean lower, Predicate<Instant> holds) {
        boolean test(Instant t) {
            return holds.test(t);
        }
    }

    /**
     * {@code filtering}: a JSON array of {@code {"field":"time_created","operator":...,"value":<unix s>}}, all of
     * which must hold.
     */
    private List<TimeBound> timeFilter(String filtering) {
        List<TimeBound> all = new ArrayList<>();
        if (filtering == null) {
            return all;
        }
        JsonNode filters;
        try {
            filters = json.readTree(filtering);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("param filtering must be a JSON array");
        }
        if (filters == null || !filters.isArray()) {
            throw new IllegalArgumentException("param filtering must be an array");
        }
        for (JsonNode filter : filters) {
            String field = filter.path("field").asText();
            String operator = filter.path("operator").asText();
            JsonNode value = filter.path("value");
            if (!"time_created".equals(field)) {
                throw new IllegalArgumentException("Filtering field '" + field
                        + "' is not supported (the local fake filters on time_created)");
            }
            if (!TIME_OPERATORS.contains(operator)) {
                throw new IllegalArgumentException("Filtering operator '" + operator + "' is invalid for time_created");
            }
            if (!value.isIntegralNumber() && !(value.isTextual() && value.asText().matches("[0-9]{1,12}"))) {
                throw new IllegalArgumentException("Filtering value for time_created must be a unix timestamp");
            }
            Instant bound = Instant.ofEpochSecond(value.asLong());
            Predicate<Instant> test = switch (operator) {
                case "GREATER_THAN" -> t -> t.isAfter(bound);
                case "GREATER_THAN_OR_EQUAL" -> t -> !t.isBefore(bound);
                case "LESS_THAN" -> t -> t.isBefore(bound);
                default -> t -> !t.isAfter(bound);
            };
            all.add(new TimeBound(operator.startsWith("GREATER"), test));
        }
        return all;
    }

    private FakeReply refusedToken(FakeRequest req) {
        String token = req.bearerToken() != null ? req.bearerToken() : req.param("access_token");
        if (token == null || token.isEmpty()) {
            return error(104, null, "OAuthException", "An access token is required to request this resource.");
        }
        if (!pageTokens.contains(token)) {
            return error(190, null, "OAuthException", "Invalid OAuth access token - Cannot parse access token"
                    + " (local fake: page tokens are leadsync.local.graph-page-tokens)");
        }
        return null;
    }

    private FakeReply unknownObject(String id, String hint) {
        return error(100, 33, "GraphMethodException", "Unsupported get request. Object with ID '" + id
                + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation"
                + " (local fake: " + hint + ")");
    }

    /** Graph's answer when it cannot serve a request right now (providers.md §1.6: codes 1 and 2, retry later). */
    private FakeReply transientFailure() {
        ObjectNode error = json.createObjectNode();
        error.putObject("error").put("message", "An unexpected error has occurred. Please retry your request later.")
                .put("type", "OAuthException").put("is_transient", true).put("code", 2).put("fbtrace_id", "local");
        return FakeReply.json(500, error);
    }

    private FakeReply error(int code, Integer subcode, String type, String message) {
        ObjectNode error = json.createObjectNode();
        ObjectNode inner = error.putObject("error").put("message", message).put("type", type).put("code", code);
        if (subcode != null) {
            inner.put("error_subcode", subcode);
        }
        inner.put("fbtrace_id", "local");
        return FakeReply.json(400, error);
    }

    /** A lead with its {@code created_time} moved by the sample clock. */
    private ObjectNode present(ObjectNode sample) {
        ObjectNode lead = sample.deepCopy();
        Instant written = createdTime(sample);
        if (written != null) {
            lead.put("created_time", GRAPH_TIME.format(clock.present(written)));
        }
        return lead;
    }

    private static Instant createdTime(ObjectNode lead) {
        try {
            return GRAPH_TIME.parse(lead.path("created_time").asText(), Instant::from);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The top-level names of a {@code fields} parameter ({@code questions{key,label}} counts as questions). */
    private static List<String> fields(FakeRequest req, List<String> defaults) {
        String fields = req.param("fields");
        if (fields == null || fields.isBlank()) {
            return defaults;
        }
        Set<String> names = new LinkedHashSet<>(List.of("id"));
        int depth = 0;
        StringBuilder name = new StringBuilder();
        for (char c : (fields + ",").toCharArray()) {
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                String n = name.toString().trim();
                int dot = n.indexOf('.');
                names.add(dot < 0 ? n : n.substring(0, dot));
                name.setLength(0);
            } else if (depth == 0) {
                name.append(c);
            }
        }
        names.remove("");
        return List.copyOf(names);
    }

    private ObjectNode project(ObjectNode item, List<String> fields) {
        ObjectNode out = json.createObjectNode();
        for (String field : fields) {
            if (item.has(field)) {
                out.set(field, item.get(field));
            }
        }
        return out;
    }

    private static String cursor(ObjectNode item) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(item.path("id").asText()
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
