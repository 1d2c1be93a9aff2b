package com.leadsync.source.tiktok;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The lead download's file as TikTok may send it: CSV with a BOM, quoted cells, a zip, or a JSON error instead. */
class TikTokLeadFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String CSV = "\uFEFFlead id,created_time,Name,\"Notes, free text\"\r\n"
            + "7433000000000000001,2026-03-07 14:30:00,\"Doe, Jane\",\"line one\nline \"\"two\"\"\"\r\n"
            + "7433000000000000002,2026-03-07 14:31:00,Bob,\r\n"
            + "\r\n";

    /** Far above every file here but the ones made to exceed it. */
    private static final long LIMIT = 1024 * 1024;

    private static List<List<String>> rows(byte[] body) throws IOException {
        try (TikTokLeadFile file = TikTokLeadFile.open(new ByteArrayInputStream(body), JSON, "test", LIMIT)) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(file.header());
            for (String[] cells = file.next(); cells != null; cells = file.next()) {
                rows.add(List.of(cells));
            }
            return rows;
        }
    }

    @Test
    void a_csv_with_a_bom_quoted_commas_quotes_and_newlines_reads_cell_by_cell() throws IOException {
        assertThat(rows(CSV.getBytes(StandardCharsets.UTF_8))).containsExactly(
                List.of("lead id", "created_time", "Name", "Notes, free text"),
                List.of("7433000000000000001", "2026-03-07 14:30:00", "Doe, Jane", "line one\nline \"two\""),
                List.of("7433000000000000002", "2026-03-07 14:31:00", "Bob", ""));
    }

    @Test
    void a_zip_over_ten_megabytes_is_read_from_its_csv_entry() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            zip.putNextEntry(new ZipEntry("leads/"));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("leads/form_7123456789012345678.csv"));
            zip.write(CSV.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertThat(rows(zipped.toByteArray())).hasSize(3)
                .element(1).asList().contains("line one\nline \"two\"");
    }

    @Test
    void a_repeated_label_is_numbered_so_no_answer_is_lost() throws IOException {
        byte[] body = "lead id,created_time,Budget,Budget,Budget\n1,2026-03-07 14:30:00,a,b,c\n"
                .getBytes(StandardCharsets.UTF_8);
        try (TikTokLeadFile file = TikTokLeadFile.open(new ByteArrayInputStream(body), JSON, "test", LIMIT)) {
            assertThat(file.header()).containsExactly("lead id", "created_time", "Budget", "Budget (2)", "Budget (3)");
            assertThat(file.payload(JSON, file.next(), "eu").toString()).isEqualTo("{\"source\":\"csv\",\"region\":\"eu\","
                    + "\"columns\":{\"lead id\":\"1\",\"created_time\":\"2026-03-07 14:30:00\",\"Budget\":\"a\","
                    + "\"Budget (2)\":\"b\",\"Budget (3)\":\"c\"}}");
        }
    }

    @Test
    void an_empty_file_has_no_header_and_no_rows() throws IOException {
        assertThat(rows(new byte[0])).containsExactly(List.of());
    }

    @Test
    void a_json_error_envelope_in_place_of_the_file_is_the_error_it_names() {
        byte[] body = " {\"code\":40105,\"message\":\"Access token is incorrect or has been revoked.\",\"request_id\":\"r1\","
                .concat("\"data\":{}}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> rows(body)).isInstanceOfSatisfying(TikTokCallException.class, e -> {
            assertThat(e.code()).isEqualTo(40105);
            assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
            assertThat(e.getMessage()).contains("code 40105", "revoked", "r1");
        });
    }

    @Test
    void a_task_not_ready_envelope_keeps_its_code() {
        byte[] body = "{\"code\":40201,\"message\":\"Task is not ready\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> rows(body)).isInstanceOfSatisfying(TikTokCallException.class,
                e -> assertThat(e.code()).isEqualTo(TikTokErrors.TASK_NOT_READY));
    }

    @Test
    void a_zip_without_a_csv_is_refused() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("nothing".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertThatThrownBy(() -> rows(zipped.toByteArray())).isInstanceOfSatisfying(TikTokCallException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
    }

    private static byte[] zipped(String name, byte[] content) throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        }
        return zipped.toByteArray();
    }

    @Test
    void a_zip_inflating_beyond_the_limit_is_refused_rather_than_read_to_its_end() throws IOException {
        // A zip bomb: a few kilobytes that inflate to far more than the function's memory or time.
        StringBuilder csv = new StringBuilder("lead id,created_time,Name\n");
        while (csv.length() <= 2 * LIMIT) {
            csv.append("7433000000000000001,2026-03-07 14:30:00,Jane Doe\n");
        }
        byte[] bomb = zipped("leads.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(bomb.length).isLessThan((int) LIMIT / 10);

        assertThatThrownBy(() -> rows(bomb)).isInstanceOfSatisfying(ProviderCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.INVALID);
            assertThat(e.getMessage()).contains("larger than " + LIMIT + " bytes");
        });
    }

    @Test
    void a_plain_csv_beyond_the_limit_is_refused_too() {
        byte[] csv = ("lead id,created_time,Name\n" + "7433000000000000001,2026-03-07 14:30:00,Jane Doe\n"
                .repeat((int) (LIMIT / 40))).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> rows(csv)).isInstanceOfSatisfying(ProviderCallException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
    }

    @Test
    void a_cell_longer_than_any_answer_is_refused() {
        byte[] csv = ("lead id,created_time,Notes\n7433000000000000001,2026-03-07 14:30:00,\""
                + "x".repeat(100_000) + "\"\n").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> rows(csv)).isInstanceOf(JacksonException.class)
                .hasMessageContaining("exceeds the maximum allowed");
    }

    @Test
    void a_row_with_more_columns_than_any_form_has_is_refused() {
        byte[] csv = ("lead id,created_time,Name\n7433000000000000001,2026-03-07 14:30:00,Jane"
                + ",".repeat(100_000) + "\n").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> rows(csv)).isInstanceOfSatisfying(TikTokCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.INVALID);
            assertThat(e.getMessage()).contains("columns");
        });
    }
}
