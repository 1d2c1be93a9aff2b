package com.leadsync.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;

/**
 * LeadSync's CloudWatch metrics, written in the Embedded Metric Format: each data point is one JSON line on
 * standard output, and CloudWatch turns it into metrics without an API call (no latency, no PutMetricData cost, no
 * permission). Each point is published under its dimension ({@code providerType}, {@code targetType}) and without
 * any, so that alarms watch the total and dashboards break it down. The lead's ids of the {@link LogContext}
 * travel along as plain properties (not dimensions: one metric per lead would cost a fortune), so a Logs Insights
 * query finds the points of one trace.
 *
 * <p>Off ({@code leadsync.metrics.enabled=false}) in local mode by default: there is no CloudWatch to read them.
 */
@ApplicationScoped
public class Metrics {

    public static final String NAMESPACE = "LeadSync";

    public static final String LEADS_RECEIVED = "LeadsReceived";
    public static final String LEADS_STORED = "LeadsStored";
    public static final String LEAD_DUPLICATES = "LeadDuplicates";
    public static final String DELIVERIES_DELIVERED = "DeliveriesDelivered";
    public static final String DELIVERIES_RETRYING = "DeliveriesRetrying";
    public static final String DELIVERIES_FAILED = "DeliveriesFailed";
    public static final String DELIVERY_LATENCY = "DeliveryLatency";
    public static final String POLLS_SUCCEEDED = "PollsSucceeded";
    public static final String POLLS_FAILED = "PollsFailed";
    public static final String POLL_LEADS = "PollLeads";
    public static final String IMPORT_PAGES = "ImportPages";
    public static final String IMPORT_LEADS_NEW = "ImportLeadsNew";
    public static final String IMPORT_DUPLICATES = "ImportDuplicates";
    public static final String TOKEN_REFRESH_FAILURES = "TokenRefreshFailures";

    public static final String PROVIDER_TYPE = "providerType";
    public static final String TARGET_TYPE = "targetType";
    /** The token issuer (google_ads, linkedin_ads, hubspot, ...). */
    public static final String ISSUER = "issuer";

    /** The MDC keys copied onto each point as properties. */
    private static final List<String> CONTEXT = List.of(LogContext.TRACE_ID, LogContext.LEAD_ID,
            LogContext.ACCOUNT_ID, LogContext.TARGET_ID, LogContext.CONNECTION_ID, LogContext.JOB_ID);

    /** A value of one metric in one point. */
    public record Datum(String name, Unit unit, double value) {
        public static Datum count(String name, long n) {
            return new Datum(name, Unit.COUNT, n);
        }

        public static Datum milliseconds(String name, long ms) {
            return new Datum(name, Unit.MILLISECONDS, ms);
        }
    }

    /** The EMF units used here (CloudWatch's names). */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds");

        private final String wire;

        Unit(String wire) {
            this.wire = wire;
        }
    }

    private final MetricsSink sink;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final boolean enabled;

    Metrics(MetricsSink sink, ObjectMapper mapper, Clock clock,
            @ConfigProperty(name = "leadsync.metrics.enabled", defaultValue = "true") boolean enabled) {
        this.sink = sink;
        this.mapper = mapper;
        this.clock = clock;
        this.enabled = enabled;
    }

    /** Adds {@code n} to {@code metric} for that dimension value (nothing when {@code n} is 0). */
    public void count(String metric, long n, String dimension, String value) {
        if (n != 0) {
            emit(dimension, value, Datum.count(metric, n));
        }
    }

    /** One point of several metrics sharing a dimension value; a null value publishes the total only. */
    public void emit(String dimension, String value, Datum... data) {
        if (!enabled || data.length == 0) {
            return;
        }
        ObjectNode line = mapper.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions");
        if (value != null) {
            dimensions.addArray().add(dimension);
            line.put(dimension, value);
        }
        dimensions.addArray();
        ArrayNode metrics = directive.putArray("Metrics");
        for (Datum d : data) {
            metrics.addObject().put("Name", d.name()).put("Unit", d.unit().wire);
            if (d.unit() == Unit.COUNT) {
                line.put(d.name(), (long) d.value());
            } else {
                line.put(d.name(), d.value());
            }
        }
        for (String key : CONTEXT) {
            Object v = MDC.get(key);
            if (v != null && !line.has(key)) {
                line.put(key, v.toString());
            }
        }
        try {
            sink.write(mapper.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
