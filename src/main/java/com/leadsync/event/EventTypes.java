package com.leadsync.event;

import java.util.List;
import java.util.Set;

/** The event types a webhook subscription may ask for (contract §9). */
public final class EventTypes {

    public static final String LEAD_CREATED = "lead.created";
    public static final String DELIVERY_FAILED = "delivery.failed";
    public static final String CONNECTION_EXPIRING = "connection.expiring";
    public static final String CONNECTION_NEEDS_REAUTH = "connection.needs_reauth";
    public static final String IMPORT_COMPLETED = "import.completed";
    public static final String IMPORT_FAILED = "import.failed";

    /** In the contract's order, for messages that list them. */
    public static final List<String> ALL = List.of(LEAD_CREATED, DELIVERY_FAILED, CONNECTION_EXPIRING,
            CONNECTION_NEEDS_REAUTH, IMPORT_COMPLETED, IMPORT_FAILED);

    private static final Set<String> KNOWN = Set.copyOf(ALL);

    private EventTypes() {
    }

    public static boolean known(String type) {
        return KNOWN.contains(type);
    }
}
