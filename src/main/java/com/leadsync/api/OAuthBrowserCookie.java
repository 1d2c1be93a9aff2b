package com.leadsync.api;

import com.leadsync.connect.oauth.OAuthStates;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The cookie that ties an OAuth connect to the browser that started it (contract §10): set by authorize with the
 * state's browser key, read and cleared by the callback. {@code HttpOnly} (no script reads it), {@code SameSite=Lax}
 * (sent on the platform's top-level redirect back, not on cross-site subrequests), {@code Path=/}, and lasting as long
 * as a state.
 *
 * @param name {@code __Host-leadsync-oauth}, or {@code leadsync-oauth} in plain-http local mode
 * @param secure whether the cookie says {@code Secure}
 */
record OAuthBrowserCookie(String name, boolean secure) {

    static final String HOST_NAME = "__Host-leadsync-oauth";
    static final String LOCAL_NAME = "leadsync-oauth";
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    /**
     * The cookie for LeadSync reached at {@code publicUrl} (absent: over https at the API's own domain). A
     * {@code __Host-} cookie must be {@code Secure}, and not every browser keeps a {@code Secure} (let alone a
     * {@code __Host-}) cookie from plain-http localhost, so only local mode's {@code http://localhost} or
     * {@code http://127.0.0.1} gets a plain name without {@code Secure}, for the local click-through to work in any
     * browser; anything else, plain http included, keeps the prefix.
     */
    static OAuthBrowserCookie forPublicUrl(Optional<String> publicUrl) {
        boolean plainLoopback = publicUrl.map(OAuthBrowserCookie::plainLoopback).orElse(false);
        return plainLoopback ? new OAuthBrowserCookie(LOCAL_NAME, false) : new OAuthBrowserCookie(HOST_NAME, true);
    }

    private static boolean plainLoopback(String url) {
        try {
            URI uri = URI.create(url);
            String host = uri.getHost();
            return "http".equalsIgnoreCase(uri.getScheme()) && host != null
                    && LOOPBACK.contains(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notAUrl) {
            return false;
        }
    }

    /** The {@code Set-Cookie} value that gives the browser {@code browserKey} for the life of a state. */
    String set(String browserKey) {
        return name + "=" + browserKey + attributes() + "; Max-Age=" + OAuthStates.LIFETIME.toSeconds();
    }

    /** The {@code Set-Cookie} value that makes the browser forget it. */
    String cleared() {
        return name + "=" + attributes() + "; Max-Age=0";
    }

    /** What the request's browser kept, or null. */
    String of(HttpApiEvent event) {
        return event.cookie(name);
    }

    private String attributes() {
        return "; Path=/" + (secure ? "; Secure" : "") + "; HttpOnly; SameSite=Lax";
    }
}
