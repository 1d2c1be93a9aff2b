package com.leadsync.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * Our own map from a key of ours (a lead, an email, a company, per destination) to the id of the record a CRM
 * without a native upsert created for it (Pipedrive). Creating goes through a claim, taken with a conditional write:
 * one caller at a time creates a record for a key, the others wait for its id; a claim whose holder crashed runs out
 * (its lease) and is taken over by the next caller, which must first look in the CRM for what the crashed one may
 * already have created.
 */
public interface CrmLinks {

    /** What claiming a key found. */
    sealed interface Claim permits Linked, Taken, Held {
    }

    /** The key already names a CRM record. */
    record Linked(String crmId) implements Claim {
    }

    /**
     * The caller holds the key until its lease ends and should create the record, then {@link #link} it.
     * {@code takenOver}: an earlier holder's claim had run out or was released, so that holder may have created the
     * record before failing: look for it in the CRM first. {@code firstClaimAt}: when the key was first claimed (null
     * on a first claim, or for a claim recorded without it), before which no holder can have created its record.
     */
    record Taken(boolean takenOver, Instant firstClaimAt) implements Claim {
        public Taken(boolean takenOver) {
            this(takenOver, null);
        }
    }

    /** Another caller holds the key until {@code leaseUntil}: wait for its id. */
    record Held(String owner, Instant leaseUntil) implements Claim {
    }

    /** Takes {@code key} for {@code owner} until {@code now + lease}, unless it is linked or held by someone else. */
    Claim claim(String key, String owner, Instant now, Duration lease);

    /**
     * Records {@code crmId} under {@code key} unless the key names a record already; returns the id the key names
     * afterwards (the first one recorded wins, so every caller goes on with the same record).
     */
    String link(String key, String crmId);

    /** {@code owner} gives its claim up (its attempt failed): the next claim takes it over at once. */
    void release(String key, String owner);
}
