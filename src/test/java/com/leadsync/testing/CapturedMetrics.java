package com.leadsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.ops.MetricsSink;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * In tests the EMF lines are kept here instead of printed (the production {@link MetricsSink} is a default bean):
 * the newest {@link #MAX} of them, for tests to read.
 */
@ApplicationScoped
public class CapturedMetrics implements MetricsSink {

    static final int MAX = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConcurrentLinkedDeque<String> lines = new ConcurrentLinkedDeque<>();
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void write(String line) {
        // CloudWatch Logs bills each event's bytes plus 26.
        bytes.addAndGet(line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L + 26);
        lines.addLast(line);
        while (lines.size() > MAX) {
            lines.pollFirst();
        }
    }

    /** Bytes of every line written so far (each with its newline), as CloudWatch Logs would ingest them. */
    public long bytesWritten() {
        return bytes.get();
    }

    /** {@link #containing}, parsed. */
    public List<JsonNode> points(String text) {
        return containing(text).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    /** The lines kept, oldest first, that contain {@code text}. */
    public List<String> containing(String text) {
        List<String> out = new ArrayList<>();
        lines.forEach(l -> {
            if (l.contains(text)) {
                out.add(l);
            }
        });
        return out;
    }
}
