package com.leadsync.model;

/** How far a lead has got through the pipeline; it only ever moves forward. */
public enum LeadStatus {
    /** Identity claimed; details not fetched yet. */
    RECEIVED,
    /** Normalized and stored; deliveries not handed off yet. */
    STORED,
    /** Delivery records exist and deliver messages are queued: nothing left for ingestion to do. */
    DISPATCHED
}
