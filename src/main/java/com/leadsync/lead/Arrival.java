package com.leadsync.lead;

import java.time.Instant;

/**
 * How the stored copy of a lead reached us: the path that found it ({@code webhook}, {@code poll}, {@code import},
 * {@code unrouted}), when its message was queued, and the trace id minted then, which its log lines carry.
 */
public record Arrival(String via, Instant queuedAt, String traceId) {
}
