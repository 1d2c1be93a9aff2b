package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline Graph API: forms and form leads as Graph lists them (providers.md §1.2), refusals as Graph words them. */
class LocalMetaGraphFakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant WRITTEN_AT = Instant.parse("2026-03-07T15:00:00Z");
    /** Ten days and half an hour later: sample times are shown 240 h later. */
    private static final Instant START = WRITTEN_AT.plus(Duration.ofDays(10)).plusSeconds(1800);
    private static final String BASE = "http://localhost:8080/_local/meta-graph/v25.0/";
    private static final String[] PAGE_TOKEN = {"Authorization", "Bearer local-page-token"};
    private static final Duration PAGE_DELAY = Duration.ofMillis(250);
    /** A generated form: 20 leads, the newest written at 2026-03-05T15:00Z, one a minute before the next. */
    private static final String GENERATED = "555";

    @TempDir
    Path samples;
    private LocalMetaGraphFake graph;

    @BeforeEach
    void samples() throws IOException {
        Files.createDirectories(samples.resolve("forms"));
        form("111", "Demo request");
        form("222", "Newsletter");
        lead("9001", "111", "2026-03-07T10:00:00+0000");
        lead("9002", "111", "2026-03-07T12:00:00+0000");
        lead("9003", "111", "2026-03-07T14:00:00+0000");
        lead("9004", "222", "2026-03-07T13:00:00+0000");
        graph = new LocalMetaGraphFake(samples.toString(), Set.of("local-page-token"),
                new SampleClock(WRITTEN_AT, START), JSON, PAGE_DELAY);
    }

    @Test
    void a_form_lists_its_leads_newest_first_with_their_times_moved_by_the_sample_clock() throws IOException {
        JsonNode body = body(graph.leads("111", FakeRequest.to(BASE + "111/leads?fields=id,created_time,form_id",
                PAGE_TOKEN)));

        assertThat(body.path("data").findValuesAsText("id")).containsExactly("9003", "9002", "9001");
        assertThat(body.path("data").get(0).path("created_time").asText()).isEqualTo("2026-03-17T14:00:00+0000");
        assertThat(body.path("data").get(0).path("form_id").asText()).isEqualTo("111");
        assertThat(body.path("data").get(0).has("field_data")).as("not asked for").isFalse();
        assertThat(body.path("paging").has("next")).as("one page holds them all").isFalse();
    }

    @Test
    void filtering_on_time_created_keeps_only_the_leads_in_the_window() throws IOException {
        long t9002 = Instant.parse("2026-03-17T12:00:00Z").getEpochSecond();
        String after9002 = "[{\"field\":\"time_created\",\"operator\":\"GREATER_THAN\",\"value\":" + t9002 + "}]";
        String from9002 = "[{\"field\":\"time_created\",\"operator\":\"GREATER_THAN_OR_EQUAL\",\"value\":" + t9002
                + "},{\"field\":\"time_created\",\"operator\":\"LESS_THAN\",\"value\":\"" + (t9002 + 3600) + "\"}]";

        assertThat(ids(graph.leads("111", FakeRequest.to(BASE + "111/leads?filtering=" + enc(after9002),
                PAGE_TOKEN)))).containsExactly("9003");
        assertThat(ids(graph.leads("111", FakeRequest.to(BASE + "111/leads?filtering=" + enc(from9002),
                PAGE_TOKEN)))).containsExactly("9002");
    }

    @Test
    void leads_page_by_limit_and_after_cursor_and_only_a_page_with_more_after_it_has_next() throws IOException {
        JsonNode first = body(graph.leads("111", FakeRequest.to(BASE + "111/leads?limit=2&fields=id", PAGE_TOKEN)));
        assertThat(first.path("data").findValuesAsText("id")).containsExactly("9003", "9002");
        String next = first.path("paging").path("next").asText();
        assertThat(next).startsWith(BASE + "111/leads?limit=2&fields=id&after=")
                .endsWith(first.path("paging").path("cursors").path("after").asText());

        JsonNode second = body(graph.leads("111", FakeRequest.to(next, PAGE_TOKEN)));
        assertThat(second.path("data").findValuesAsText("id")).containsExactly("9001");
        assertThat(second.path("paging").has("next")).isFalse();
        assertThat(second.path("paging").path("cursors").has("after")).isTrue();

        JsonNode past = body(graph.leads("111", FakeRequest.to(BASE + "111/leads?limit=2&after="
                + second.path("paging").path("cursors").path("after").asText(), PAGE_TOKEN)));
        assertThat(past.path("data")).isEmpty();
        assertThat(past.has("paging")).isFalse();
    }

    @Test
    void a_page_lists_the_sample_forms_with_the_fields_asked_for_paged_by_limit() throws IOException {
        FakeReply reply = graph.forms("106842931234567", FakeRequest.to(BASE
                + "106842931234567/leadgen_forms?fields=id,name,status&limit=1", PAGE_TOKEN));
        JsonNode first = body(reply);
        assertThat(first.path("data").toString()).isEqualTo("[{\"id\":\"111\",\"name\":\"Demo request\",\"status\":\"ACTIVE\"}]");

        JsonNode second = body(graph.forms("106842931234567", FakeRequest.to(first.path("paging").path("next").asText(),
                PAGE_TOKEN)));
        assertThat(second.path("data").findValuesAsText("id")).containsExactly("222");
        assertThat(second.path("paging").has("next")).isFalse();
    }

    @Test
    void tokens_the_fake_does_not_know_get_graph_code_190_and_a_missing_token_code_104() throws IOException {
        for (FakeReply reply : new FakeReply[] {
                graph.leads("111", FakeRequest.to(BASE + "111/leads", "Authorization", "Bearer someone-else")),
                graph.forms("106842931234567", FakeRequest.to(BASE + "106842931234567/leadgen_forms?access_token=x")),
                graph.object("9001", FakeRequest.to(BASE + "9001", "Authorization", "Bearer someone-else"))}) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(body(reply).path("error").path("code").asInt()).isEqualTo(190);
            assertThat(body(reply).path("error").path("type").asText()).isEqualTo("OAuthException");
        }
        assertThat(body(graph.leads("111", FakeRequest.to(BASE + "111/leads"))).path("error").path("code").asInt())
                .isEqualTo(104);
        assertThat(graph.leads("111", FakeRequest.to(BASE + "111/leads?access_token=local-page-token")).status())
                .as("the token as a query parameter, as Graph also accepts it").isEqualTo(200);
    }

    @Test
    void an_unknown_form_or_lead_is_graph_100_33_and_a_bad_filter_or_cursor_is_100() throws IOException {
        JsonNode form = body(graph.leads("333", FakeRequest.to(BASE + "333/leads", PAGE_TOKEN)));
        assertThat(form.path("error").path("code").asInt()).isEqualTo(100);
        assertThat(form.path("error").path("error_subcode").asInt()).isEqualTo(33);
        assertThat(body(graph.object("9999", FakeRequest.to(BASE + "9999", PAGE_TOKEN))).path("error")
                .path("error_subcode").asInt()).isEqualTo(33);

        for (String query : new String[] {"filtering=" + enc("{\"field\":\"time_created\"}"),
                "filtering=" + enc("[{\"field\":\"ad_id\",\"operator\":\"EQUAL\",\"value\":\"1\"}]"),
                "filtering=" + enc("[{\"field\":\"time_created\",\"operator\":\"AFTER\",\"value\":1}]"),
                "after=bm90LWEtbGVhZA", "limit=0"}) {
            FakeReply reply = graph.leads("111", FakeRequest.to(BASE + "111/leads?" + query, PAGE_TOKEN));
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(body(reply).path("error").path("code").asInt()).as(query).isEqualTo(100);
        }
    }

    @Test
    void a_lead_is_served_by_id_with_its_moved_time_and_the_page_lookup_answers_any_page() throws IOException {
        JsonNode lead = body(graph.object("9002", FakeRequest.to(BASE + "9002?fields=id,created_time,field_data",
                PAGE_TOKEN)));
        assertThat(lead.path("created_time").asText()).isEqualTo("2026-03-17T12:00:00+0000");
        assertThat(lead.path("field_data").get(0).path("name").asText()).isEqualTo("email");

        JsonNode page = body(graph.object("106842931234567", FakeRequest.to(BASE + "106842931234567?fields=id,name",
                PAGE_TOKEN)));
        assertThat(page.path("id").asText()).isEqualTo("106842931234567");
    }

    @Test
    void a_generated_form_lists_its_declared_leads_newest_first_each_derived_from_its_index_page_by_page()
            throws IOException {
        generatedForm(GENERATED, 20, "2026-03-05T15:00:00+0000", 60);
        List<JsonNode> listed = new ArrayList<>();
        String url = BASE + GENERATED + "/leads?limit=7&fields=id,created_time,form_id,field_data";
        int pages = 0;
        while (url != null) {
            JsonNode page = body(graph.leads(GENERATED, FakeRequest.to(url, PAGE_TOKEN)));
            page.path("data").forEach(listed::add);
            pages++;
            assertThat(page.path("paging").path("cursors").path("after").asText()).isNotEmpty();
            url = page.path("paging").has("next") ? page.path("paging").path("next").asText() : null;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(listed).extracting(l -> l.path("id").asText()).doesNotHaveDuplicates().hasSize(20)
                .startsWith("5550000000", "5550000001").endsWith("5550000019");
        JsonNode newest = listed.get(0);
        assertThat(newest.path("created_time").asText()).as("moved 240 h like every sample time")
                .isEqualTo("2026-03-15T15:00:00+0000");
        assertThat(listed.get(19).path("created_time").asText()).isEqualTo("2026-03-15T14:41:00+0000");
        assertThat(newest.path("form_id").asText()).isEqualTo(GENERATED);
        assertThat(listed.get(3).path("field_data").toString()).isEqualTo("[{\"name\":\"full_name\",\"values\":"
                + "[\"Kenji Doe\"]},{\"name\":\"email\",\"values\":[\"kenji.3@example.com\"]},"
                + "{\"name\":\"what_is_your_monthly_budget?\",\"values\":[\"$5k-$10k\"]}]");
        assertThat(body(graph.leads(GENERATED, FakeRequest.to(BASE + GENERATED + "/leads?limit=7", PAGE_TOKEN))))
                .as("the same leads on every listing").isEqualTo(body(graph.leads(GENERATED,
                        FakeRequest.to(BASE + GENERATED + "/leads?limit=7", PAGE_TOKEN))));
    }

    @Test
    void filtering_a_generated_form_on_time_created_keeps_exactly_the_leads_in_the_window() throws IOException {
        generatedForm(GENERATED, 20, "2026-03-05T15:00:00+0000", 60);
        long newest = Instant.parse("2026-03-15T15:00:00Z").getEpochSecond();
        // Lead i was created at newest - 60 i: (newest - 300, newest - 60] holds leads 1..4, [.., ..) 1..5 etc.
        String[][] cases = {
                {"GREATER_THAN", "" + (newest - 300), "LESS_THAN_OR_EQUAL", "" + (newest - 60), "1", "4"},
                {"GREATER_THAN_OR_EQUAL", "" + (newest - 300), "LESS_THAN", "" + (newest - 60), "2", "5"},
                {"GREATER_THAN", "" + (newest - 30), "LESS_THAN", "" + (newest + 30), "0", "0"},
                {"GREATER_THAN", "" + (newest + 1), "LESS_THAN", "" + (newest + 100), "-", "-"},
                {"GREATER_THAN", "" + (newest - 100_000), "LESS_THAN", "" + (newest - 1139), "19", "19"}};
        for (String[] c : cases) {
            String filtering = "[{\"field\":\"time_created\",\"operator\":\"" + c[0] + "\",\"value\":" + c[1]
                    + "},{\"field\":\"time_created\",\"operator\":\"" + c[2] + "\",\"value\":\"" + c[3] + "\"}]";
            List<String> ids = ids(graph.leads(GENERATED, FakeRequest.to(BASE + GENERATED + "/leads?limit=100&filtering="
                    + enc(filtering), PAGE_TOKEN)));
            List<String> expected = new ArrayList<>();
            if (!c[4].equals("-")) {
                for (int i = Integer.parseInt(c[4]); i <= Integer.parseInt(c[5]); i++) {
                    expected.add(String.format("555%07d", i));
                }
            }
            assertThat(ids).as(String.join(" ", c)).isEqualTo(expected);
        }
    }

    @Test
    void a_generated_lead_is_served_by_id_and_ids_or_cursors_beyond_the_form_are_refused_as_graph_does()
            throws IOException {
        generatedForm(GENERATED, 20, "2026-03-05T15:00:00+0000", 60);
        JsonNode lead = body(graph.object("5550000007", FakeRequest.to(BASE + "5550000007", PAGE_TOKEN)));
        assertThat(lead.path("created_time").asText()).isEqualTo("2026-03-15T14:53:00+0000");
        assertThat(lead.path("field_data").get(1).path("values").get(0).asText()).isEqualTo("noah.7@example.com");

        assertThat(body(graph.object("5550000020", FakeRequest.to(BASE + "5550000020", PAGE_TOKEN))).path("error")
                .path("error_subcode").asInt()).as("past the count").isEqualTo(33);
        String otherForm = Base64.getUrlEncoder().withoutPadding().encodeToString("9001".getBytes());
        FakeReply reply = graph.leads(GENERATED, FakeRequest.to(BASE + GENERATED + "/leads?after=" + otherForm,
                PAGE_TOKEN));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(body(reply).path("error").path("code").asInt()).isEqualTo(100);
    }

    @Test
    void only_a_generated_forms_pages_are_held_back_and_its_declaration_is_not_shown_as_a_form_field()
            throws IOException {
        generatedForm(GENERATED, 20, "2026-03-05T15:00:00+0000", 60);

        assertThat(graph.pageDelay(GENERATED)).isEqualTo(PAGE_DELAY);
        assertThat(graph.pageDelay("111")).isZero();
        assertThat(graph.pageDelay("404")).isZero();
        JsonNode forms = body(graph.forms("106842931234567", FakeRequest.to(BASE
                + "106842931234567/leadgen_forms?fields=id,name,local_generated_leads", PAGE_TOKEN)));
        assertThat(forms.path("data").findValuesAsText("id")).containsExactly("111", "222", GENERATED);
        assertThat(forms.path("data").findValues(GeneratedLeadForm.KEY)).isEmpty();
    }

    @Test
    void a_generated_form_that_cannot_be_followed_is_a_broken_sample_naming_the_field() throws IOException {
        for (String[] bad : new String[][] {{"-1", "60", "count"}, {"10000000", "60", "count"},
                {"20", "0", "seconds_apart"}}) {
            generatedForm(GENERATED, Integer.parseInt(bad[0]), "2026-03-05T15:00:00+0000", Integer.parseInt(bad[1]));
            assertThatThrownBy(() -> graph.leads(GENERATED, FakeRequest.to(BASE + GENERATED + "/leads", PAGE_TOKEN)))
                    .isInstanceOf(SampleFiles.BrokenSample.class).hasMessageContaining(bad[2]);
        }
        generatedForm(GENERATED, 20, "yesterday", 60);
        assertThatThrownBy(() -> graph.leads(GENERATED, FakeRequest.to(BASE + GENERATED + "/leads", PAGE_TOKEN)))
                .isInstanceOf(SampleFiles.BrokenSample.class).hasMessageContaining("newest_created_time");
    }

    private void generatedForm(String id, int count, String newest, int secondsApart) throws IOException {
        ObjectNode form = JSON.createObjectNode().put("id", id).put("name", "Generated").put("status", "ACTIVE");
        ArrayNode questions = form.putArray("questions");
        questions.addObject().put("key", "full_name").put("type", "FULL_NAME");
        questions.addObject().put("key", "email").put("type", "EMAIL");
        ArrayNode options = questions.addObject().put("key", "what_is_your_monthly_budget?").put("type", "CUSTOM")
                .putArray("options");
        options.addObject().put("key", "a").put("value", "$1k-$5k");
        options.addObject().put("key", "b").put("value", "$5k-$10k");
        form.putObject(GeneratedLeadForm.KEY).put("count", count).put("newest_created_time", newest)
                .put("seconds_apart", secondsApart);
        Files.writeString(samples.resolve("forms/" + id + ".json"), form.toString());
    }

    private void form(String id, String name) throws IOException {
        Files.writeString(samples.resolve("forms/" + id + ".json"), JSON.createObjectNode().put("id", id)
                .put("name", name).put("status", "ACTIVE").put("locale", "en_US").toString());
    }

    private void lead(String id, String form, String created) throws IOException {
        Files.writeString(samples.resolve(id + ".json"), "{\"id\":\"" + id + "\",\"created_time\":\"" + created
                + "\",\"form_id\":\"" + form + "\",\"field_data\":[{\"name\":\"email\",\"values\":[\"" + id
                + "@example.com\"]}]}");
    }

    @Test
    void a_failure_rate_fails_lead_fetches_as_overloaded_graph_does_and_leaves_page_lookups_alone() throws IOException {
        LocalMetaGraphFake failing = new LocalMetaGraphFake(samples.toString(), Set.of("local-page-token"),
                new SampleClock(WRITTEN_AT, START), JSON, PAGE_DELAY, 1.0);

        FakeReply fetch = failing.object("9001", FakeRequest.to(BASE + "9001", PAGE_TOKEN));
        assertThat(fetch.status()).isEqualTo(500);
        JsonNode error = body(fetch).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(2);
        assertThat(error.path("is_transient").asBoolean()).isTrue();
        assertThat(failing.object("106842931234567", FakeRequest.to(BASE + "106842931234567?fields=id,name",
                PAGE_TOKEN)).status()).as("connecting a page still works").isEqualTo(200);
        assertThat(graph.object("9001", FakeRequest.to(BASE + "9001", PAGE_TOKEN)).status())
                .as("no failures by default").isEqualTo(200);
    }

    @Test
    void a_failure_rate_outside_0_to_1_is_refused() {
        assertThatThrownBy(() -> new LocalMetaGraphFake(samples.toString(),
                Set.of("local-page-token"), new SampleClock(WRITTEN_AT, START), JSON, PAGE_DELAY, 1.5))
                .hasMessageContaining("leadsync.local.graph-fetch-failure-rate");
    }

    private static JsonNode body(FakeReply reply) throws IOException {
        return JSON.readTree(reply.body());
    }

    private static List<String> ids(FakeReply reply) throws IOException {
        return body(reply).path("data").findValuesAsText("id");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
