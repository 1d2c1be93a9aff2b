package com.leadsync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Counts the bytes the application's log records would take as the prod profile writes them: one JSON object per
 * line with quarkus-logging-json's default fields (the MDC included) but those it is configured to leave out. Attached to the {@code com.leadsync} logger
 * while a benchmark runs; the console may show less (its own level).
 */
final class LogBytes extends Handler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "169.254.0.1";
    private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName();

    /** What the JSON formatter leaves out (application.properties). */
    private static final java.util.Set<String> EXCLUDED = java.util.Set.copyOf(ConfigProvider.getConfig()
            .getOptionalValues("quarkus.log.console.json.excluded-keys", String.class).orElse(java.util.List.of()));

    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private volatile boolean counting;

    static LogBytes attach() {
        LogBytes handler = new LogBytes();
        handler.setLevel(Level.INFO);
        Logger.getLogger("com.leadsync").addHandler(handler);
        return handler;
    }

    void start() {
        bytes.set(0);
        records.set(0);
        counting = true;
    }

    long stop() {
        counting = false;
        return bytes.get();
    }

    @Override
    public void publish(LogRecord record) {
        if (!counting || !isLoggable(record)) {
            return;
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
        line.put("sequence", record.getSequenceNumber());
        line.put("loggerClassName", "org.jboss.logging.Logger");
        line.put("loggerName", record.getLoggerName());
        line.put("level", record.getLevel().getName());
        String message = record instanceof ExtLogRecord e ? e.getFormattedMessage() : record.getMessage();
        line.put("message", message);
        line.put("threadName", Thread.currentThread().getName());
        line.put("threadId", record.getLongThreadID());
        ObjectNode mdc = line.putObject("mdc");
        if (record instanceof ExtLogRecord e) {
            for (Map.Entry<String, String> m : e.getMdcCopy().entrySet()) {
                mdc.put(m.getKey(), m.getValue());
            }
        }
        line.put("ndc", "");
        line.put("hostName", HOST);
        line.put("processName", PROCESS);
        line.put("processId", ProcessHandle.current().pid());
        if (record.getThrown() != null) {
            line.put("exception", record.getThrown().toString());
        }
        EXCLUDED.forEach(line::remove);
        // CloudWatch Logs bills each event's bytes plus 26.
        bytes.addAndGet(line.toString().getBytes(StandardCharsets.UTF_8).length + 1L + 26);
        records.incrementAndGet();
    }

    long records() {
        return records.get();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("com.leadsync").removeHandler(this);
    }
}
