package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline TikTok API: the envelope, the lead download task's states, regions and the CSV it hands out (§4). */
class LocalTikTokFakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();
    private static final Instant WRITTEN_AT = Instant.parse("2026-03-07T15:00:00Z");
    /** Ten days later: sample times are shown 240 h later. */
    private static final Instant START = WRITTEN_AT.plus(Duration.ofDays(10));
    private static final String API = "http://localhost/_local/tiktok/v1.3/";
    private static final String ADVERTISER = "7012345678901234567";
    private static final String FORM = "7123456789012345678";
    private static final String HEADER = "lead id,created_time,ad_id,ad_name,adgroup_id,adgroup_name,campaign_id,"
            + "campaign_name,form_id,form_name,Name,Company name,Anything else?";

    @TempDir
    Path samples;
    private final MovableClock clock = new MovableClock(START);
    private LocalTikTokFake tiktok;

    @BeforeEach
    void samples() throws IOException {
        Files.createDirectories(samples.resolve("forms"));
        Files.createDirectories(samples.resolve("leads"));
        for (String id : List.of(FORM, "7123456789012345679")) {
            Files.writeString(samples.resolve("forms/" + id + ".json"), "{\"page_id\":\"" + id + "\",\"title\":\"Form "
                    + id + "\",\"status\":\"PUBLISHED\"}");
        }
        Files.writeString(samples.resolve("leads/" + FORM + ".csv"), "\uFEFF" + HEADER + "\n"
                + "7433000000000000001,2026-03-07 14:22:07,1,Ad,2,Group,3,Campaign," + FORM + ",Demo,Jane Doe,"
                + "\"Acme, Inc.\",\"Call me\nafter 5pm\"\n", StandardCharsets.UTF_8);
        Files.writeString(samples.resolve("leads/" + FORM + ".eu.csv"), "\uFEFF" + HEADER + "\n"
                + "7433000000000000003,2026-03-07 11:02:45,1,Ad,2,Group,3,Campaign," + FORM + ",Demo,Sophie Müller,"
                + "Müller GmbH,\n", StandardCharsets.UTF_8);
        tiktok = new LocalTikTokFake(samples.toString(), Set.of("local-tiktok-token"),
                new SampleClock(WRITTEN_AT, START), clock, JSON);
    }

    @Test
    void advertiser_info_lists_the_asked_advertiser_in_tiktoks_envelope() throws IOException {
        JsonNode body = body(tiktok.advertiserInfo(get("advertiser/info/?advertiser_ids=%5B%22" + ADVERTISER
                + "%22%5D")));

        assertThat(body.path("code").asInt()).isZero();
        assertThat(body.path("message").asText()).isEqualTo("OK");
        assertThat(body.path("request_id").asText()).hasSizeGreaterThan(14);
        assertThat(body.path("data").path("list").get(0).path("advertiser_id").asText()).isEqualTo(ADVERTISER);
    }

    @Test
    void tokens_it_does_not_know_are_codes_40105_and_40104_in_an_http_200() throws IOException {
        FakeReply unknown = tiktok.advertiserInfo(FakeRequest.to(API + "advertiser/info/?advertiser_ids=%5B%221%22%5D",
                "Access-Token", "someone-else"));
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(body(unknown).path("code").asInt()).isEqualTo(40105);
        assertThat(body(tiktok.pages(FakeRequest.to(API + "page/get/?advertiser_id=1"))).path("code").asInt())
                .isEqualTo(40104);
        assertThat(body(tiktok.advertiserInfo(get("advertiser/info/?advertiser_ids=1"))).path("code").asInt())
                .as("advertiser_ids is a JSON array").isEqualTo(40002);
    }

    @Test
    void the_forms_are_listed_page_by_page() throws IOException {
        JsonNode first = body(tiktok.pages(get("page/get/?advertiser_id=" + ADVERTISER
                + "&business_type=LEAD_GEN&page=1&page_size=1"))).path("data");
        assertThat(first.path("list").findValuesAsText("page_id")).containsExactly(FORM);
        assertThat(first.path("page_info").toString())
                .isEqualTo("{\"page\":1,\"page_size\":1,\"total_number\":2,\"total_page\":2}");
        JsonNode second = body(tiktok.pages(get("page/get/?advertiser_id=" + ADVERTISER + "&page=2&page_size=1")))
                .path("data");
        assertThat(second.path("list").findValuesAsText("page_id")).containsExactly("7123456789012345679");
    }

    @Test
    void a_task_is_created_then_running_once_then_succeeded_and_only_then_downloadable() throws IOException {
        JsonNode created = body(task(null, "{\"advertiser_id\":\"" + ADVERTISER + "\",\"page_id\":\"" + FORM + "\"}"))
                .path("data");
        assertThat(created.path("status").asText()).isEqualTo("CREATED");
        String taskId = created.path("task_id").asText();
        assertThat(taskId).matches("[0-9]{19}");

        assertThat(body(download(null, taskId)).path("code").asInt()).isEqualTo(40201);
        assertThat(body(poll(null, taskId)).path("data").path("status").asText()).isEqualTo("RUNNING");
        assertThat(body(download(null, taskId)).path("code").asInt()).isEqualTo(40201);
        JsonNode done = body(poll(null, taskId)).path("data");
        assertThat(done.path("status").asText()).isEqualTo("SUCCEED");
        assertThat(done.path("file_type").asText()).isEqualTo("csv");
        assertThat(done.path("file_name").asText()).endsWith(".csv");
        assertThat(body(poll(null, taskId)).path("data").path("status").asText()).isEqualTo("SUCCEED");

        FakeReply file = download(null, taskId);
        assertThat(file.contentType()).startsWith("text/csv");
        clock.advance(Duration.ofMinutes(10));
        assertThat(body(download(null, taskId)).path("code").asInt()).as("the link expired").isEqualTo(40200);
    }

    @Test
    void the_file_has_a_bom_the_metadata_header_quoted_commas_and_newlines_and_moved_times() throws IOException {
        byte[] bytes = finishedFile(null);

        assertThat(Arrays.copyOf(bytes, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertThat(text).startsWith(HEADER + "\n").contains(",\"Acme, Inc.\",\"Call me\nafter 5pm\"");
        List<String[]> rows = CSV.readerFor(String[].class).<String[]>readValues(text).readAll();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)[0]).isEqualTo("7433000000000000001");
        assertThat(rows.get(1)[1]).isEqualTo("2026-03-17 14:22:07");
        assertThat(rows.get(1)[11]).isEqualTo("Acme, Inc.");
        assertThat(rows.get(1)[12]).isEqualTo("Call me\nafter 5pm");
    }

    @Test
    void each_region_holds_its_own_leads_and_tasks() throws IOException {
        String eu = new String(finishedFile("eu"), StandardCharsets.UTF_8);
        assertThat(eu).contains("7433000000000000003").doesNotContain("7433000000000000001");
        String us = new String(finishedFile("us"), StandardCharsets.UTF_8);
        assertThat(us).isEqualTo("\uFEFF" + String.join(",", LocalTikTokFake.METADATA_COLUMNS) + "\n");

        String taskId = body(task("eu", "{\"advertiser_id\":\"" + ADVERTISER + "\",\"page_id\":\"" + FORM + "\"}"))
                .path("data").path("task_id").asText();
        assertThat(body(poll(null, taskId)).path("code").asInt()).as("asked outside its region").isEqualTo(40002);
        assertThat(body(poll("eu", taskId)).path("code").asInt()).isZero();
        assertThat(body(task("mars", "{\"advertiser_id\":\"1\",\"page_id\":\"" + FORM + "\"}")).path("code").asInt())
                .isEqualTo(40002);
    }

    @Test
    void an_unknown_form_an_ad_instead_of_a_form_or_an_unknown_task_is_a_param_error() throws IOException {
        assertThat(body(task(null, "{\"advertiser_id\":\"" + ADVERTISER + "\",\"page_id\":\"1\"}")).path("code")
                .asInt()).isEqualTo(40002);
        assertThat(body(task(null, "{\"advertiser_id\":\"" + ADVERTISER + "\",\"ad_id\":\"1\"}")).path("code")
                .asInt()).isEqualTo(40002);
        assertThat(body(poll(null, "7400000000000000000")).path("code").asInt()).isEqualTo(40002);
        assertThat(body(download(null, "7400000000000000000")).path("code").asInt()).isEqualTo(40002);
    }

    private byte[] finishedFile(String region) throws IOException {
        String taskId = body(task(region, "{\"advertiser_id\":\"" + ADVERTISER + "\",\"page_id\":\"" + FORM + "\"}"))
                .path("data").path("task_id").asText();
        poll(region, taskId);
        poll(region, taskId);
        return download(region, taskId).body();
    }

    private FakeReply task(String region, String body) {
        return tiktok.task(region == null
                ? FakeRequest.posting(API + "page/lead/task/", body, "Access-Token", "local-tiktok-token")
                : FakeRequest.posting(API + "page/lead/task/", body, "Access-Token", "local-tiktok-token",
                        "x-lead-region", region));
    }

    private FakeReply poll(String region, String taskId) {
        return task(region, "{\"advertiser_id\":\"" + ADVERTISER + "\",\"task_id\":\"" + taskId + "\"}");
    }

    private FakeReply download(String region, String taskId) {
        String url = API + "page/lead/task/download/?advertiser_id=" + ADVERTISER + "&task_id=" + taskId;
        return tiktok.download(region == null ? FakeRequest.to(url, "Access-Token", "local-tiktok-token")
                : FakeRequest.to(url, "Access-Token", "local-tiktok-token", "x-lead-region", region));
    }

    private static FakeRequest get(String path) {
        return FakeRequest.to(API + path, "Access-Token", "local-tiktok-token");
    }

    private static JsonNode body(FakeReply reply) throws IOException {
        return JSON.readTree(reply.body());
    }
}
