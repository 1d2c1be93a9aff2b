package com.leadsync.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** An import job as the API shows it (contract §2) and as {@code import.completed}/{@code import.failed} carry it. */
public final class ImportJobJson {

    private ImportJobJson() {
    }

    public static ObjectNode write(ObjectNode o, ImportJob j) {
        o.put("jobId", j.jobId());
        o.put("accountId", j.accountId());
        o.put("connectionId", j.connectionId());
        o.put("providerType", j.providerType().wireName());
        o.put("formId", j.formId());
        o.put("since", text(j.since()));
        o.put("until", text(j.until()));
        o.put("status", j.status().wireName());
        ImportJob.Counts c = j.counts();
        o.put("pagesFetched", c.pagesFetched());
        o.put("leadsSeen", c.leadsSeen());
        o.put("leadsNew", c.leadsNew());
        o.put("duplicates", c.duplicates());
        o.put("errors", c.errors());
        o.put("createdAt", text(j.createdAt()));
        o.put("startedAt", text(j.startedAt()));
        o.put("updatedAt", text(j.updatedAt()));
        o.put("completedAt", text(j.completedAt()));
        o.put("lastError", j.lastError());
        boolean open = !j.status().ended();
        o.put("pausedUntil", open ? text(j.walk().pausedUntil()) : null);
        o.put("cancelRequested", open && j.walk().cancelRequested());
        return o;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
