package com.leadsync.imports;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** An import job's life: {@code queued → running → completed | failed | cancelled}. */
public enum ImportStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean ended() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public static Optional<ImportStatus> fromWire(String s) {
        return Arrays.stream(values()).filter(v -> v.wireName().equals(s)).findFirst();
    }
}
