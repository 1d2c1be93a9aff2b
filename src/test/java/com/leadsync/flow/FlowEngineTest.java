package com.leadsync.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlowEngineTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static StoredLead lead() {
        return new StoredLead("led_1", "acc_1", ProviderType.fromWire("meta_lead_ads").orElseThrow(), "p1",
                "ann@example.com", "Ann", null, "Ann", "+14155550123", "Acme", Map.of("city", "Zürich"),
                Map.of("budget", "10", "nfd", "e\u0301cole", "when", "2026-03-07T14:30:00Z", "word", "abc"),
                Instant.parse("2026-03-07T14:30:00Z"), "frm_1", null, null, false, Instant.EPOCH);
    }

    static Condition cond(String field, String op, String valueJson) throws Exception {
        JsonNode v = valueJson == null ? null : JSON.readTree(valueJson);
        Op o = Op.fromWire(op).orElseThrow();
        return new Condition(FieldRef.parse(field).orElseThrow(), o, v,
                o == Op.MATCHES ? Pattern.compile(v.asText()) : null);
    }

    static Stream<Arguments> conditions() {
        return Stream.of(
                Arguments.of("email", "equals", "\"ANN@example.com\"", true),
                Arguments.of("email", "equals", "\"bob@example.com\"", false),
                Arguments.of("customFields.nfd", "equals", "\"\u00c9COLE\"", true), // NFD vs NFC, non-ASCII case
                Arguments.of("customFields.budget", "equals", "10.0", true),
                Arguments.of("email", "not_equals", "\"bob@example.com\"", true),
                Arguments.of("adId", "not_equals", "\"x\"", true),
                Arguments.of("adId", "equals", "\"x\"", false),
                Arguments.of("company", "contains", "\"CM\"", true),
                Arguments.of("company", "starts_with", "\"ac\"", true),
                Arguments.of("company", "ends_with", "\"ME\"", true),
                Arguments.of("rawFieldData.city", "ends_with", "\"ÜRICH\"", true),
                Arguments.of("providerType", "in", "[\"google_ads\", \"META_LEAD_ADS\"]", true),
                Arguments.of("customFields.budget", "in", "[5, 10.00]", true),
                Arguments.of("customFields.budget", "in", "[5]", false),
                Arguments.of("email", "matches", "\"^ann@\"", true),
                Arguments.of("email", "matches", "\"^ANN@\"", false),
                Arguments.of("email", "matches", "\"(?i)^ANN@\"", true),
                Arguments.of("email", "exists", null, true),
                Arguments.of("lastName", "exists", null, false),
                Arguments.of("lastName", "not_exists", null, true),
                Arguments.of("customFields.budget", "gt", "9", true),
                Arguments.of("customFields.budget", "lt", "9", false),
                Arguments.of("customFields.word", "gt", "1", false),
                Arguments.of("customFields.word", "lt", "1", false),
                Arguments.of("receivedAt", "gt", "\"2026-03-07\"", true),
                Arguments.of("customFields.when", "lt", "\"2026-03-08T00:00:00Z\"", true),
                Arguments.of("lastName", "gt", "1", false),
                Arguments.of("lastName", "contains", "\"a\"", false));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("conditions")
    void condition(String field, String op, String value, boolean expected) throws Exception {
        Flow flow = flow(new Step.Filter(List.of(cond(field, op, value)), Step.Match.ALL));
        FlowResult r = FlowEngine.run(flow, lead(), "US");
        assertThat(r.outcome()).isEqualTo(expected ? FlowResult.Outcome.COMPLETED : FlowResult.Outcome.FILTERED);
        assertThat(r.steps()).extracting(StepTaken::result).containsExactly(expected ? "passed" : "filtered");
    }

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of("fullName", " o'brien-SMITH ", "title", "formatted", " O'Brien-Smith "),
                Arguments.of("fullName", "élodie", "title", "formatted", "Élodie"),
                Arguments.of("fullName", "  x ", "trim", "formatted", "x"),
                Arguments.of("fullName", "ÀB", "lower", "formatted", "àb"),
                Arguments.of("fullName", "àb", "upper", "formatted", "ÀB"),
                Arguments.of("phoneNumber", "(415) 555-0123", "e164", "formatted", "+14155550123"),
                Arguments.of("phoneNumber", "hello 12", "e164", "unchanged", "hello 12"),
                Arguments.of("phoneNumber", "a1-٢3", "digits", "formatted", "123"),
                Arguments.of("lastName", null, "upper", "unchanged", null));
    }

    @ParameterizedTest(name = "{2} of {1}")
    @MethodSource("formats")
    void format(String field, String before, String format, String result, String after) {
        FieldRef f = FieldRef.parse(field).orElseThrow();
        StoredLead l = FlowEngine.with(lead(), f, before);
        FlowResult r = FlowEngine.run(flow(new Step.Format(f, TextFormat.fromWire(format).orElseThrow())), l, "US");
        assertThat(r.steps()).extracting(StepTaken::result).containsExactly(result);
        assertThat(FlowEngine.value(r.lead(), f)).isEqualTo(after);
    }

    @Test
    void nestedBranchesSetsActionsAndStop() throws Exception {
        Template t = new Template("{{firstName}} at {{company}}", List.of(
                new Template.Placeholder(FieldRef.parse("firstName").orElseThrow()), new Template.Literal(" at "),
                new Template.Placeholder(FieldRef.parse("company").orElseThrow())));
        Step inner = new Step.Branch(List.of(cond("email", "exists", null)), Step.Match.ANY,
                List.of(new Step.Deliver("dst_1", null), new Step.Stop(), new Step.Webhook("https://x", "s")),
                List.of());
        Flow flow = flow(
                new Step.Set(FieldRef.parse("firstName").orElseThrow(), new Template("Bea", List.of(new Template.Literal("Bea")))),
                new Step.Set(FieldRef.parse("customFields.who").orElseThrow(), t),
                new Step.Branch(List.of(cond("customFields.who", "equals", "\"bea at acme\"")), Step.Match.ALL,
                        List.of(inner), List.of(new Step.Webhook("https://never", null))),
                new Step.Webhook("https://after-stop", null));
        FlowResult r = FlowEngine.run(flow, lead(), "US");
        assertThat(r.outcome()).isEqualTo(FlowResult.Outcome.COMPLETED);
        assertThat(r.steps()).extracting(s -> s.path() + "=" + s.result()).containsExactly("steps[0]=set",
                "steps[1]=set", "steps[2]=then", "steps[2].then[0]=then", "steps[2].then[0].then[0]=queued",
                "steps[2].then[0].then[1]=stopped");
        assertThat(r.actions()).containsExactly(FlowAction.deliver("steps[2].then[0].then[0]", "dst_1", null));
        assertThat(r.lead().customFields()).containsEntry("who", "Bea at Acme");
        assertThat(lead().firstName()).isEqualTo("Ann");
    }

    @Test
    void settingEmptyClearsAndFilterStopsEverythingAfter() throws Exception {
        Flow flow = flow(new Step.Set(FieldRef.parse("company").orElseThrow(), new Template("", List.of())),
                new Step.Filter(List.of(cond("company", "exists", null)), Step.Match.ALL),
                new Step.Deliver("dst_1", null));
        FlowResult r = FlowEngine.run(flow, lead(), "US");
        assertThat(r.outcome()).isEqualTo(FlowResult.Outcome.FILTERED);
        assertThat(r.lead().company()).isNull();
        assertThat(r.actions()).isEmpty();
    }

    @Test
    void catastrophicBacktrackingPatternReturns() throws Exception {
        StoredLead l = FlowEngine.with(lead(), FieldRef.parse("company").orElseThrow(), "a".repeat(40) + "!");
        Flow flow = flow(new Step.Filter(List.of(cond("company", "matches", "\"(a+)+$\"")), Step.Match.ALL));
        FlowResult r = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> FlowEngine.run(flow, l, "US"));
        assertThat(r.outcome()).isEqualTo(FlowResult.Outcome.FILTERED);
    }

    @Test
    void anUnexpectedErrorFailsTheRunAndKeepsEarlierActions() {
        // rawFieldData is read-only: validation rejects such a step, so reaching it here is "unexpected".
        Flow flow = flow(new Step.Deliver("dst_1", null),
                new Step.Set(FieldRef.parse("rawFieldData.city").orElseThrow(), new Template("x", List.of())),
                new Step.Deliver("dst_2", null));
        FlowResult r = FlowEngine.run(flow, lead(), "US");
        assertThat(r.outcome()).isEqualTo(FlowResult.Outcome.FAILED);
        assertThat(r.steps()).last().isEqualTo(new StepTaken("steps[1]", "set", "failed",
                "rawFieldData.city is read-only"));
        assertThat(r.actions()).containsExactly(FlowAction.deliver("steps[0]", "dst_1", null));
    }

    static Flow flow(Step... steps) {
        return new Flow("flw_1", "acc_1", "t", true, null, List.of(steps), 1, Instant.EPOCH, Instant.EPOCH);
    }
}
