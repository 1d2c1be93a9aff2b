package com.leadsync.ops;

/** Where EMF lines go: standard output, which Lambda hands to CloudWatch Logs (its agent extracts the metrics). */
public interface MetricsSink {

    /** One complete EMF JSON document, written as one line. */
    void write(String line);
}
