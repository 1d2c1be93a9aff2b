package com.leadsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

/**
 * A sample lead form whose leads the offline Graph API makes up instead of reading them from files, so that a bulk
 * import has thousands of leads and many pages to walk. Its file in {@code infra/events/graph/forms/} holds Graph's
 * form fields and a local-only object {@value #KEY}:
 * {@code {"count": 10000, "newest_created_time": "2026-03-05T15:00:00+0000", "seconds_apart": 300}}.
 *
 * <p>Lead {@code i} (0 is the newest) is derived from {@code i} alone: its id is the form id followed by {@code i} in
 * seven digits, it was created {@code i × seconds_apart} before {@code newest_created_time} (as written: the fake moves
 * it like every sample time), and its answers follow the form's {@code questions} by type. So every listing, before
 * and after a restart of local mode, shows the same leads, and no page needs more than its own leads in memory.
 */
record GeneratedLeadForm(String formId, int count, Instant newest, long secondsApart, List<Question> questions) {

    static final String KEY = "local_generated_leads";
    /** The index takes seven digits of a lead id. */
    static final int MAX_COUNT = 9_999_999;
    private static final String INDEX_FORMAT = "%07d";
    private static final String[] FIRST = {"Jane", "Luis", "Amara", "Kenji", "Olivia", "Mateo", "Priya", "Noah"};
    private static final String[] LAST = {"Doe", "García", "Okafor", "Tanaka", "Smith", "Rossi", "Sharma", "Müller"};
    private static final String[] TITLES = {"Head of Ops", "Marketing Manager", "CTO", "Founder", "Sales Lead"};
    private static final String[] CITIES = {"San Francisco", "Austin", "Chicago", "Boston", "Seattle"};

    /** A question of the form: its {@code key} names the answer in {@code field_data}. */
    record Question(String key, String type, List<String> options) {
    }

    /** The form's generated leads, when its file declares them; a declaration that cannot be followed is refused. */
    static Optional<GeneratedLeadForm> of(ObjectNode form) {
        JsonNode spec = form.get(KEY);
        if (spec == null) {
            return Optional.empty();
        }
        String formId = form.path("id").asText();
        if (!formId.matches("[0-9]{1,25}")) {
            throw broken(formId, "the form id must be 1 to 25 digits (a lead id is the form id and 7 more)");
        }
        if (!spec.isObject() || !spec.path("count").isIntegralNumber() || spec.path("count").asLong() < 0
                || spec.path("count").asLong() > MAX_COUNT) {
            throw broken(formId, KEY + ".count must be a whole number from 0 to " + MAX_COUNT);
        }
        if (!spec.path("seconds_apart").isIntegralNumber() || spec.path("seconds_apart").asLong() < 1) {
            throw broken(formId, KEY + ".seconds_apart must be a whole number of seconds, at least 1");
        }
        Instant newest;
        try {
            newest = LocalMetaGraphFake.GRAPH_TIME.parse(spec.path("newest_created_time").asText(), Instant::from);
        } catch (DateTimeParseException e) {
            throw broken(formId, KEY + ".newest_created_time must be a Graph time like 2026-03-05T15:00:00+0000");
        }
        List<Question> questions = new ArrayList<>();
        for (JsonNode q : form.path("questions")) {
            List<String> options = new ArrayList<>();
            q.path("options").forEach(o -> options.add(o.path("value").asText()));
            questions.add(new Question(q.path("key").asText(), q.path("type").asText(), List.copyOf(options)));
        }
        return Optional.of(new GeneratedLeadForm(formId, spec.path("count").asInt(), newest,
                spec.path("seconds_apart").asLong(), List.copyOf(questions)));
    }

    String leadId(int i) {
        return formId + String.format(Locale.ROOT, INDEX_FORMAT, i);
    }

    /** The index of one of this form's lead ids. */
    OptionalInt index(String leadId) {
        if (leadId == null || leadId.length() != formId.length() + 7 || !leadId.startsWith(formId)) {
            return OptionalInt.empty();
        }
        String digits = leadId.substring(formId.length());
        if (!digits.matches("[0-9]{7}")) {
            return OptionalInt.empty();
        }
        int i = Integer.parseInt(digits);
        return i < count ? OptionalInt.of(i) : OptionalInt.empty();
    }

    /** When lead {@code i} was created, as written (before the sample clock moves it). */
    Instant createdTime(int i) {
        return newest.minusSeconds(i * secondsApart);
    }

    /**
     * The first index from which {@code holds} is true, for a test that is false and then true as the index grows
     * ({@link #count} when it never holds).
     */
    int firstIndex(IntPredicate holds) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (holds.test(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Email of lead {@code i}: unique per index, so each generated lead is one contact. */
    String email(int i) {
        return first(i).toLowerCase(Locale.ROOT) + "." + i + "@example.com";
    }

    /** Lead {@code i} as Graph lists it (every field of a lead), created at {@code shown}. */
    ObjectNode lead(ObjectMapper json, int i, String shown) {
        ObjectNode lead = json.createObjectNode().put("id", leadId(i)).put("created_time", shown)
                .put("ad_id", "120210000000000002").put("ad_name", "Spring – Generated – Lead ad")
                .put("adset_id", "120210000000000001").put("adset_name", "US – Lookalike 1%")
                .put("campaign_id", "120210000000000000").put("campaign_name", "Bulk import demo")
                .put("form_id", formId).put("is_organic", false).put("platform", i % 5 == 0 ? "ig" : "fb");
        ArrayNode fields = lead.putArray("field_data");
        for (Question q : questions) {
            fields.addObject().put("name", q.key()).putArray("values").add(answer(q, i));
        }
        lead.putArray("custom_disclaimer_responses").addObject().put("checkbox_key", "marketing_opt_in")
                .put("is_checked", i % 2 == 0 ? "1" : "0");
        return lead;
    }

    private String answer(Question q, int i) {
        return switch (q.type()) {
            case "FULL_NAME" -> first(i) + " " + last(i);
            case "FIRST_NAME" -> first(i);
            case "LAST_NAME" -> last(i);
            case "EMAIL" -> email(i);
            case "PHONE" -> String.format(Locale.ROOT, "(415) 555-%04d", i % 10_000);
            case "COMPANY_NAME" -> "Acme " + i + " Inc";
            case "JOB_TITLE" -> TITLES[i % TITLES.length];
            case "CITY" -> CITIES[i % CITIES.length];
            case "ZIP" -> String.format(Locale.ROOT, "%05d", 10_000 + i % 90_000);
            default -> q.options().isEmpty() ? "Answer " + i : q.options().get(i % q.options().size());
        };
    }

    private static String first(int i) {
        return FIRST[i % FIRST.length];
    }

    private static String last(int i) {
        return LAST[(i / FIRST.length) % LAST.length];
    }

    private static SampleFiles.BrokenSample broken(String formId, String why) {
        return new SampleFiles.BrokenSample("sample form " + formId + ": " + why, null);
    }
}
