package com.leadsync.source.tiktok;

import com.leadsync.model.ProviderCallException.Kind;
import java.util.Set;

/**
 * TikTok's error codes (providers.md §4.6, from the official SDK's code table) by what the caller should do. TikTok
 * answers HTTP 200 with a non-zero {@code code} for nearly every error, so the code decides; the HTTP status only
 * when there is no code (a proxy's 5xx, a 429 from an edge).
 */
final class TikTokErrors {

    static final int OK = 0;
    /** "Task error, retry the task": the lister makes a fresh download task rather than fail the walk. */
    static final int TASK_ERROR = 40200;
    /** The download task is still being prepared: not an error for the lister, which comes back later. */
    static final int TASK_NOT_READY = 40201;

    /** App-level (40100), advertiser-level (40133) and frequency (40132, 61000) limits. No Retry-After is sent. */
    private static final Set<Integer> THROTTLED = Set.of(40100, 40132, 40133, 61000);
    /** Expired (40102), empty (40104) or invalid/revoked (40105) access token. */
    private static final Set<Integer> UNAUTHORIZED = Set.of(40102, 40104, 40105);
    /** No permission on the advertiser (40001: not an admin, no such scope) or a scope not granted (40130). */
    private static final Set<Integer> FORBIDDEN = Set.of(40001, 40130);
    /** System error, timeout, task error (retry the task), task not ready (poll again). */
    private static final Set<Integer> TRANSIENT = Set.of(50000, 50002, TASK_ERROR, TASK_NOT_READY);
    private static final int PARAM_ERROR = 40002;

    private TikTokErrors() {
    }

    /** {@code code} is the envelope's, or -1 when the answer had none. */
    static Kind kind(int httpStatus, int code) {
        if (THROTTLED.contains(code)) {
            return Kind.THROTTLED;
        }
        if (UNAUTHORIZED.contains(code)) {
            return Kind.UNAUTHORIZED;
        }
        if (FORBIDDEN.contains(code)) {
            return Kind.FORBIDDEN;
        }
        if (TRANSIENT.contains(code) || code >= 50000) {
            return Kind.TRANSIENT;
        }
        if (code == PARAM_ERROR) {
            return Kind.INVALID;
        }
        if (httpStatus == 429) {
            return Kind.THROTTLED;
        }
        if (httpStatus >= 500 || httpStatus / 100 == 2 && code < 0) {
            return Kind.TRANSIENT; // an outage, or a 2xx that is not TikTok's envelope (a proxy page, a cut body)
        }
        if (httpStatus == 401) {
            return Kind.UNAUTHORIZED;
        }
        if (httpStatus == 403) {
            return Kind.FORBIDDEN;
        }
        if (httpStatus == 404) {
            return Kind.NOT_FOUND;
        }
        return Kind.INVALID;
    }
}
