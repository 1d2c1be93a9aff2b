package com.leadsync.ops;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.MDC;

/**
 * The ids every log line about a lead carries ({@code leadId}, {@code accountId}, {@code providerType},
 * {@code traceId}), put in the logging MDC for as long as work on that lead runs on this thread. The JSON log format
 * writes them under {@code mdc}; local mode's text format ends each line with the trace id. A scope restores what was there before,
 * so nested work (a delivery inside an ingestion) leaves the outer lead's ids in place when it ends.
 */
public final class LogContext implements AutoCloseable {

    public static final String LEAD_ID = "leadId";
    public static final String ACCOUNT_ID = "accountId";
    public static final String PROVIDER_TYPE = "providerType";
    public static final String TRACE_ID = "traceId";
    public static final String TARGET_ID = "targetId";
    public static final String CONNECTION_ID = "connectionId";
    public static final String JOB_ID = "jobId";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Object> previous = new LinkedHashMap<>();

    private LogContext(Map<String, String> values) {
        values.forEach((k, v) -> {
            previous.put(k, MDC.get(k));
            set(k, v);
        });
    }

    /**
     * A new trace id: 32 lower-case hex digits (the W3C trace-id form, so that it can be handed to a tracer later),
     * minted once where a lead is received and carried by every queue message about it.
     */
    public static String newTraceId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Work under one id ({@link #CONNECTION_ID} for a poll, {@link #JOB_ID} for an import step). */
    public static LogContext with(String key, String value) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(key, value);
        return new LogContext(values);
    }

    /** Work on one lead; a null id leaves that key unset. */
    public static LogContext lead(String accountId, String providerType, String leadId, String traceId) {
        return new LogContext(leadIds(accountId, providerType, leadId, traceId));
    }

    /** Work on one lead's delivery to one target. */
    public static LogContext delivery(String accountId, String providerType, String leadId, String traceId,
            String targetId) {
        Map<String, String> values = leadIds(accountId, providerType, leadId, traceId);
        values.put(TARGET_ID, targetId);
        return new LogContext(values);
    }

    /** Restores the ids that were there before this scope. */
    @Override
    public void close() {
        previous.forEach(LogContext::set);
    }

    private static Map<String, String> leadIds(String accountId, String providerType, String leadId,
            String traceId) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(ACCOUNT_ID, accountId);
        values.put(PROVIDER_TYPE, providerType);
        values.put(LEAD_ID, leadId);
        values.put(TRACE_ID, traceId);
        return values;
    }

    private static void set(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
