package com.leadsync.imports;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of one import: the body of an import-queue message. {@code step} is the page's number (from 0). */
@RegisterForReflection
public record ImportMessage(String jobId, int step) {
}
