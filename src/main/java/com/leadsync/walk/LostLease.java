package com.leadsync.walk;

/** Another worker holds the walk now (or it ended): this one stops, the holder goes on from what was recorded. */
public class LostLease extends RuntimeException {
    public LostLease(String message) {
        super(message);
    }
}
