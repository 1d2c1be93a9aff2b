package com.leadsync.flow;

import java.util.Optional;

/**
 * The name of a flow's delivery in the deliveries table, where a destination's is its id:
 * {@code flow:<flowId>:<version>:<step path>}. One per (lead, flow, step): the run that asked for it is recorded once
 * per (lead, flow), so however often a lead is redelivered its flows' sends are named the same.
 */
public record FlowKey(String flowId, long version, String path) {

    private static final String PREFIX = "flow:";

    public static boolean isKey(String key) {
        return key != null && key.startsWith(PREFIX);
    }

    public static Optional<FlowKey> parse(String key) {
        if (!isKey(key)) {
            return Optional.empty();
        }
        String[] parts = key.substring(PREFIX.length()).split(":", 3);
        if (parts.length != 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FlowKey(parts[0], Long.parseLong(parts[1]), parts[2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String key() {
        return PREFIX + flowId + ":" + version + ":" + path;
    }
}
