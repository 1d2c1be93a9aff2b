package com.leadsync.imports;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One page of one import: the body of an import-queue message. {@code step} is the page's number (from 0).
 * {@code startedAt} is set on a job's first message only, which is queued before the job is written: a first
 * message that finds no job soon after is early, later the start never happened.
 */
@RegisterForReflection
public record ImportMessage(String jobId, int step, Instant startedAt) {

    public static ImportMessage next(String jobId, int step) {
        return new ImportMessage(jobId, step, null);
    }
}
