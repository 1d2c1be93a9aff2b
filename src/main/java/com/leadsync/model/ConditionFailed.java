package com.leadsync.model;

/** A conditional write lost: the item was not in the state the caller expected. */
public class ConditionFailed extends RuntimeException {
    public ConditionFailed(String message) {
        super(message);
    }
}
