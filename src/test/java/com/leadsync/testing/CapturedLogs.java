package com.leadsync.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log record written while it is open (a handler on the root logger, as the console handler sees them), with
 * the MDC each was written under: what a JSON log line would carry.
 */
public final class CapturedLogs implements AutoCloseable {

    /** One record: its logger, level, message as printed, the thrown error's text, and its MDC. */
    public record Line(String logger, Level level, String message, String thrown, Map<String, String> mdc) {
        public String mdc(String key) {
            return mdc.get(key);
        }

        /** Everything the line would print. */
        public String all() {
            return logger + " " + level + " " + message + " " + mdc + " " + (thrown == null ? "" : thrown);
        }
    }

    private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            Map<String, String> mdc = r instanceof ExtLogRecord ext ? copy(ext.getMdcCopy()) : Map.of();
            String message = r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage();
            String thrown = null;
            if (r.getThrown() != null) {
                java.io.StringWriter w = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                thrown = w.toString();
            }
            lines.add(new Line(r.getLoggerName(), r.getLevel(), message, thrown, mdc));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLogs() {
        handler.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(handler);
    }

    public static CapturedLogs start() {
        return new CapturedLogs();
    }

    public List<Line> lines() {
        return new ArrayList<>(lines);
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }

    private static Map<String, String> copy(Map<String, ?> mdc) {
        Map<String, String> out = new java.util.HashMap<>();
        mdc.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
