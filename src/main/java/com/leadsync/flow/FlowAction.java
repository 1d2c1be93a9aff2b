package com.leadsync.flow;

import java.util.Map;

/**
 * A delivery a run asks for: a {@code deliver} step ({@code destinationId}, its {@code fieldMapping} or null) or a
 * {@code webhook} step ({@code url}; its secret stays in the flow version). {@code path} names the step
 * ({@code steps[3].then[0]}): with the flow and its version, it is the delivery's identity.
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record FlowAction(String path, Kind kind, String destinationId, Map<String, String> fieldMapping, String url) {

    public enum Kind { DELIVER, WEBHOOK }

    public FlowAction {
        fieldMapping = fieldMapping == null ? null : Map.copyOf(fieldMapping);
    }

    public static FlowAction deliver(String path, String destinationId, Map<String, String> fieldMapping) {
        return new FlowAction(path, Kind.DELIVER, destinationId, fieldMapping, null);
    }

    public static FlowAction webhook(String path, String url) {
        return new FlowAction(path, Kind.WEBHOOK, null, null, url);
    }
}
