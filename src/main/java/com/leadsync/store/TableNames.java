package com.leadsync.store;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;

/** Physical table names, from config (in AWS the template passes them as LEADSYNC_TABLES_* variables). */
@ApplicationScoped
public class TableNames {

    private final Config config;
    private final java.util.Map<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();

    TableNames(Config config) {
        this.config = config;
    }

    /** Read once per table: every DynamoDB call asks. */
    public String of(Schema.TableSchema table) {
        return names.computeIfAbsent(table.configKey(), key -> config.getValue(key, String.class));
    }
}
