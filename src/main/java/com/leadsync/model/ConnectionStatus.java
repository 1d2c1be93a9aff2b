package com.leadsync.model;

import java.util.Arrays;
import java.util.Optional;

/** Whether a connection's tokens still work (contract §5), by the wire names of the public contract. */
public enum ConnectionStatus {
    ACTIVE("active"),
    /** The grant is dead for good (revoked, or a token nothing can refresh was rejected): a person must reconnect. */
    NEEDS_REAUTH("needs_reauth"),
    ERROR("error");

    private final String wireName;

    ConnectionStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ConnectionStatus> fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
