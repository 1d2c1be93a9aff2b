package com.leadsync.testing;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One browser's cookies for LeadSync, as a browser keeps them: taken from each response's {@code Set-Cookie}
 * ({@code Max-Age=0} forgets one) and sent with each request it makes. Two instances are two browsers.
 */
public final class Browser {

    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** A request to LeadSync from this browser, its cookies on it. */
    public RequestSpecification given() {
        RequestSpecification spec = Scenario.given();
        return cookies.isEmpty() ? spec : spec.cookies(new LinkedHashMap<>(cookies));
    }

    /** Keeps what {@code response} sets (and forgets what it clears); the response, for chaining. */
    public Response keep(Response response) {
        for (String setCookie : response.headers().getValues("set-cookie")) {
            String[] parts = setCookie.split(";");
            String[] nameValue = parts[0].split("=", 2);
            String name = nameValue[0].trim();
            boolean cleared = false;
            for (int i = 1; i < parts.length; i++) {
                String attribute = parts[i].trim().toLowerCase(Locale.ROOT);
                cleared |= attribute.equals("max-age=0");
            }
            if (cleared) {
                cookies.remove(name);
            } else {
                cookies.put(name, nameValue.length > 1 ? nameValue[1].trim() : "");
            }
        }
        return response;
    }

    /** The value this browser holds for {@code name}, or null. */
    public String cookie(String name) {
        return cookies.get(name);
    }
}
