package com.leadsync.store;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;

/** Physical table names, from config (in AWS the template passes them as LEADSYNC_TABLES_* variables). */
@ApplicationScoped
public class TableNames {

    private final Config config;

    TableNames(Config config) {
        this.config = config;
    }

    public String of(Schema.TableSchema table) {
        return config.getValue(table.configKey(), String.class);
    }
}
