package com.leadsync.imports;

/** An import that cannot start as asked (the caller's to fix: the message names the field). */
public class ImportRejected extends RuntimeException {
    public ImportRejected(String message) {
        super(message);
    }
}
