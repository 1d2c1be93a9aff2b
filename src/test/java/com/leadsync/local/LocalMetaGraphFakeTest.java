package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
                new SampleClock(WRITTEN_AT, START), JSON);
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

    private void form(String id, String name) throws IOException {
        Files.writeString(samples.resolve("forms/" + id + ".json"), JSON.createObjectNode().put("id", id)
                .put("name", name).put("status", "ACTIVE").put("locale", "en_US").toString());
    }

    private void lead(String id, String form, String created) throws IOException {
        Files.writeString(samples.resolve(id + ".json"), "{\"id\":\"" + id + "\",\"created_time\":\"" + created
                + "\",\"form_id\":\"" + form + "\",\"field_data\":[{\"name\":\"email\",\"values\":[\"" + id
                + "@example.com\"]}]}");
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
