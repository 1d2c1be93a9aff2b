package com.leadsync.imports;

/** A (connection, form) has an import queued or running already: one at a time. */
public class ImportAlreadyRunning extends RuntimeException {

    private final String runningJobId;

    public ImportAlreadyRunning(String runningJobId) {
        super("an import of this connection and form is already queued or running: " + runningJobId);
        this.runningJobId = runningJobId;
    }

    public String runningJobId() {
        return runningJobId;
    }
}
