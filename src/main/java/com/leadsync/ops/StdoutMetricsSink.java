package com.leadsync.ops;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * EMF lines on standard output, next to (not inside) the log lines: CloudWatch only extracts metrics from a log
 * event that is itself the EMF document, so these must not pass through the JSON log formatter.
 */
@ApplicationScoped
@DefaultBean
public class StdoutMetricsSink implements MetricsSink {

    @Override
    public void write(String line) {
        System.out.println(line);
    }
}
