package com.leadsync.delivery;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where one (lead, destination) delivery stands, as the API shows it. */
public enum DeliveryStatus {
    PENDING, DELIVERED, RETRYING, FAILED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Delivered or failed: nothing more happens unless someone pushes again. */
    public boolean finished() {
        return this == DELIVERED || this == FAILED;
    }

    public static DeliveryStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
