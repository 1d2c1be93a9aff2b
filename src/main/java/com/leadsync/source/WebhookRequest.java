package com.leadsync.source;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A provider webhook call as received: raw body bytes (signatures cover them), headers, query. */
public record WebhookRequest(byte[] rawBody, Map<String, String> headers, Map<String, String> query) {

    public WebhookRequest {
        Map<String, String> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        }
        headers = lower;
        query = query == null ? Map.of() : Map.copyOf(query);
        rawBody = rawBody == null ? new byte[0] : rawBody;
    }

    /** Header by case-insensitive name, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
