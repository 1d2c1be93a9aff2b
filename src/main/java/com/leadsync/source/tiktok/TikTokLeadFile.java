package com.leadsync.source.tiktok;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.leadsync.model.ProviderCallException.Kind;
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
 * header, whose labels name the columns. Memory stays flat in the file's size: nothing but the current row is held.
 */
final class TikTokLeadFile implements Closeable {

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    /** An error envelope is small; a "JSON" answer beyond this is not one. */
    private static final int MAX_ENVELOPE = 64 * 1024;

    /** The outermost stream: closing it closes the zip (if any) and the HTTP body. */
    private final InputStream in;
    private final MappingIterator<String[]> rows;
    private final List<String> header;

    private TikTokLeadFile(InputStream in, MappingIterator<String[]> rows, List<String> header) {
        this.in = in;
        this.rows = rows;
        this.header = header;
    }

    /**
     * Opens the file; throws a {@link TikTokCallException} when the body is TikTok's JSON error envelope (or any JSON)
     * instead of a file, or a zip without a CSV in it.
     */
    static TikTokLeadFile open(InputStream body, ObjectMapper json, String what) throws IOException {
        BufferedInputStream in = new BufferedInputStream(body, 64 * 1024);
        InputStream csv = in;
        if (startsWith(in, ZIP_MAGIC)) {
            csv = csvEntry(new ZipInputStream(in, StandardCharsets.UTF_8), what);
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
        MappingIterator<String[]> rows = CSV.readerFor(String[].class)
                .readValues(new InputStreamReader(text, StandardCharsets.UTF_8));
        List<String> header = rows.hasNextValue() ? uniqueLabels(rows.nextValue()) : List.of();
        return new TikTokLeadFile(text, rows, header);
    }

    /** The column labels, a repeated one numbered ({@code "Budget (2)"}) so that no answer is lost. */
    List<String> header() {
        return header;
    }

    /** The next data row's cells, or null at the end. */
    String[] next() throws IOException {
        return rows.hasNextValue() ? rows.nextValue() : null;
    }

    boolean hasNext() throws IOException {
        return rows.hasNextValue();
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
