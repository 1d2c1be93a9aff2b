package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.lead.InstantRange;
import java.time.Instant;
import java.util.Map;

/** A routed, authenticated API request. Path and query values are length-capped like body fields ({@link Json}). */
public record Request(HttpApiEvent event, Caller caller, Map<String, String> params, Json json) {

    /** A path id; longer than any id we mint or accept means no such resource (404), never a failed key lookup. */
    public String param(String name) {
        String v = params.get(name);
        if (v != null && v.length() > Json.MAX_TEXT) {
            throw ApiError.notFound(name + " not found");
        }
        return v;
    }

    /** A query value of at most {@link Json#MAX_TEXT} chars (422 otherwise); blank is absent. */
    public String query(String name) {
        return query(name, Json.MAX_TEXT);
    }

    public String query(String name, int maxLength) {
        String v = event.query().get(name);
        return v == null || v.isBlank() ? null : Json.checkLength(name, v, maxLength);
    }

    /** An optional ISO-8601 instant query value inside {@link InstantRange}; 400 otherwise. */
    public Instant instantQuery(String name) {
        String v = event.query().get(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        return Json.instant(name, v, ApiError::badRequest);
    }

    /** A listing's {@code limit}: 1 to 200, default 50 (400 when not a number, 422 out of range). */
    public int pageLimit() {
        return intQuery("limit", 50, 1, 200);
    }

    /** A whole-number parameter in [min, max], else {@code fallback} (400 when not a number, 422 out of range). */
    public int intQuery(String name, int fallback, int min, int max) {
        String v = query(name);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("'" + name + "' must be a whole number");
        }
        if (n < min || n > max) {
            throw ApiError.invalid("'" + name + "' must be between " + min + " and " + max);
        }
        return n;
    }

    public ObjectNode body() {
        return json.body(event);
    }

    /** The account acted on, from body {@code accountId} or query {@code account_id}. */
    public String account(ObjectNode body) {
        String requested = body == null ? null : Json.text(body, "accountId");
        if (requested == null) {
            requested = query("account_id");
        }
        return caller.account(requested);
    }
}
