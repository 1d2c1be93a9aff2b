package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** A routed, authenticated API request. */
public record Request(HttpApiEvent event, Caller caller, Map<String, String> params, Json json) {

    public String param(String name) {
        return params.get(name);
    }

    public String query(String name) {
        String v = event.query().get(name);
        return v == null || v.isBlank() ? null : v;
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
