package com.leadsync.source.tiktok;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.source.BoundedBody;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A lead download task's file, read as a stream one row at a time (providers.md §4.3): a CSV, a zip holding the CSV
 * when it is over 10 MB, or a JSON error envelope in place of either. The CSV is parsed by Jackson's CSV parser
 * (quoted commas, quotes and newlines inside cells) after a UTF-8 byte order mark is skipped; its first row is the
 * header, whose labels name the columns. Memory stays flat in the file's size: nothing but the current row is held,
 * and that is bounded too: a cell holds at most {@link #MAX_CELL_CHARS} characters and a row {@link #MAX_COLUMNS}
 * cells. The bytes read, before and after inflating a zip, are capped by the caller's limit, so neither a zip bomb nor
 * a runaway file can keep an invocation busy until its timeout (and the same page failing so forever).
 */
final class TikTokLeadFile implements Closeable {

    /** Far beyond any answer a person types into a form. */
    static final int MAX_CELL_CHARS = 64 * 1024;
    /** Far beyond any form: the metadata columns and one per question. */
    static final int MAX_COLUMNS = 500;
    /** Without a schema, the parser gives each row as an array of its cells. */
    private static final CsvFactory CSV = CsvFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_CELL_CHARS).build())
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    /** An error envelope is small; a "JSON" answer beyond this is not one. */
    private static final int MAX_ENVELOPE = 64 * 1024;

    /** The outermost stream: closing it closes the zip (if any) and the HTTP body. */
    private final InputStream in;
    private final JsonParser rows;
    private final String what;
    private List<String> header = List.of();
    /** A row read ahead by {@link #hasNext()}. */
    private String[] pending;

    private TikTokLeadFile(InputStream in, JsonParser rows, String what) {
        this.in = in;
        this.rows = rows;
        this.what = what;
    }

    /**
     * Opens the file, reading at most {@code maxBytes} of it as sent and, for a zip, as much again of its CSV once
     * inflated (more is {@link ProviderCallException} {@code INVALID}); throws a {@link TikTokCallException} when the
     * body is TikTok's JSON error envelope (or any JSON) instead of a file, or a zip without a CSV in it.
     */
    static TikTokLeadFile open(InputStream body, ObjectMapper json, String what, long maxBytes) throws IOException {
        BufferedInputStream in = new BufferedInputStream(
                BoundedBody.capped(body, maxBytes, "TikTok lead file of " + what), 64 * 1024);
        InputStream csv = in;
        if (startsWith(in, ZIP_MAGIC)) {
            csv = BoundedBody.capped(csvEntry(new ZipInputStream(in, StandardCharsets.UTF_8), what), maxBytes,
                    "TikTok lead file of " + what + " (its CSV inflated)");
        }
        BufferedInputStream text = csv instanceof BufferedInputStream b ? b : new BufferedInputStream(csv, 64 * 1024);
        if (startsWith(text, UTF8_BOM)) {
            text.skipNBytes(UTF8_BOM.length);
        }
        if (firstNonBlank(text) == '{') {
            byte[] envelope = text.readNBytes(MAX_ENVELOPE);
            TikTokCalls.data(json, what, 200, new String(envelope, StandardCharsets.UTF_8));
            throw new TikTokCallException("TikTok sent JSON instead of a lead file during " + what, Kind.INVALID, -1,
                    null);
        }
        TikTokLeadFile file = new TikTokLeadFile(text,
                CSV.createParser(new InputStreamReader(text, StandardCharsets.UTF_8)), what);
        String[] labels = file.next();
        if (labels != null) {
            file.header = uniqueLabels(labels);
        }
        return file;
    }

    /** The column labels, a repeated one numbered ({@code "Budget (2)"}) so that no answer is lost. */
    List<String> header() {
        return header;
    }

    /** The next data row's cells, or null at the end. */
    String[] next() throws IOException {
        String[] row = pending != null ? pending : readRow();
        pending = null;
        return row;
    }

    boolean hasNext() throws IOException {
        if (pending == null) {
            pending = readRow();
        }
        return pending != null;
    }

    /** One row, token by token, so that a row of countless cells is refused before it is held. */
    private String[] readRow() throws IOException {
        JsonToken token = rows.nextToken();
        if (token == null) {
            return null;
        }
        if (token != JsonToken.START_ARRAY) {
            throw new TikTokCallException("TikTok's lead file is not rows of cells during " + what, Kind.INVALID, -1,
                    null);
        }
        List<String> cells = new ArrayList<>();
        for (token = rows.nextToken(); token != null && token != JsonToken.END_ARRAY; token = rows.nextToken()) {
            if (cells.size() == MAX_COLUMNS) {
                throw new TikTokCallException("TikTok's lead file has a row of more than " + MAX_COLUMNS
                        + " columns during " + what, Kind.INVALID, -1, null);
            }
            cells.add(rows.getText());
        }
        return cells.toArray(String[]::new);
    }

    /** A row as a lead payload: {@code {"source": "csv", "region": ..., "columns": {label: cell}}} in file order. */
    ObjectNode payload(ObjectMapper json, String[] cells, String region) {
        ObjectNode payload = json.createObjectNode();
        payload.put("source", TikTokLeadMapper.CSV_SOURCE);
        payload.put("region", region);
        ObjectNode columns = payload.putObject("columns");
        for (int i = 0; i < header.size() && i < cells.length; i++) {
            columns.put(header.get(i), cells[i]);
        }
        return payload;
    }

    /** Whether the header has the column every lead row must have. */
    boolean hasLeadIdColumn() {
        return header.stream().anyMatch(label -> "lead_id".equals(TikTokLeadMapper.canonicalKey(label)));
    }

    @Override
    public void close() throws IOException {
        try {
            rows.close();
        } finally {
            in.close();
        }
    }

    private static InputStream csvEntry(ZipInputStream zip, String what) throws IOException {
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            if (!entry.isDirectory() && entry.getName().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                return zip;
            }
        }
        throw new TikTokCallException("TikTok's zip holds no CSV file during " + what, Kind.INVALID, -1, null);
    }

    private static boolean startsWith(BufferedInputStream in, byte[] prefix) throws IOException {
        in.mark(prefix.length);
        byte[] head = in.readNBytes(prefix.length);
        in.reset();
        return Arrays.equals(head, prefix);
    }

    /** The first byte that is not ASCII whitespace, without consuming it; -1 at the end. */
    private static int firstNonBlank(BufferedInputStream in) throws IOException {
        in.mark(MAX_ENVELOPE);
        try {
            for (int i = 0; i < MAX_ENVELOPE; i++) {
                int b = in.read();
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return b;
                }
            }
            return -1;
        } finally {
            in.reset();
        }
    }

    private static List<String> uniqueLabels(String[] labels) {
        List<String> unique = new ArrayList<>(labels.length);
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            String name = label == null ? "" : label.strip();
            String candidate = name;
            for (int n = 2; !seen.add(candidate); n++) {
                candidate = name + " (" + n + ")";
            }
            unique.add(candidate);
        }
        return unique;
    }
}
