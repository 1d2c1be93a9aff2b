package com.leadsync.connect.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.crypto.HmacSha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code state} of an OAuth connect (contract §10): signed (HMAC-SHA256 over account, type, nonce and expiry, so
 * a tampered state is refused without a read), bound to the account and the type it was started for, expiring after
 * {@link #LIFETIME}, single-use (its pending item is taken out by a conditional write), and bound to the browser that
 * started it: a random browser key goes to that browser (as a cookie) and the signed payload carries its SHA-256, so a
 * state finished in another browser — a victim lured to an attacker's consent link, or the other way round — is
 * refused. The PKCE verifier stays server-side in the pending item; the URL carries only its S256 challenge.
 */
@ApplicationScoped
public class OAuthStates {

    public static final Duration LIFETIME = Duration.ofMinutes(10);
    /** Name of the key in {@link GeneratedSecrets} when config gives none (local mode). */
    static final String SECRET_NAME = "oauth-state";
    private static final int MIN_SECRET = 32;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    /** A state is a few hundred characters; anything much longer is not one of ours. */
    private static final int MAX_STATE = 2048;

    /**
     * A new state: what goes in the URL, the PKCE challenge (null without PKCE), and the browser key the starting
     * browser must present again on the callback (never in a URL).
     */
    public record Issued(String state, String codeChallenge, String browserKey) {

        @Override
        public String toString() {
            return "Issued[state=" + state + ", codeChallenge=" + codeChallenge + "]";
        }
    }

    private final OAuthStateRepository pending;
    private final ObjectMapper json;
    private final Clock clock;
    private final Supplier<String> secret;
    private final SecureRandom random = new SecureRandom();
    private volatile byte[] key;

    @Inject
    OAuthStates(OAuthStateRepository pending, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "leadsync.oauth.state-secret") Optional<String> configured,
            Instance<GeneratedSecrets> generated) {
        this(pending, json, clock, () -> configured.map(String::trim).filter(s -> !s.isEmpty())
                .orElseGet(() -> generated.isResolvable() ? generated.get().get(SECRET_NAME) : null));
    }

    /** @param secret the HMAC key's text, asked for once, on first use (null when there is none) */
    OAuthStates(OAuthStateRepository pending, ObjectMapper json, Clock clock, Supplier<String> secret) {
        this.pending = pending;
        this.json = json;
        this.clock = clock;
        this.secret = secret;
    }

    /** Starts a connect of {@code type} for {@code accountId}. */
    public Issued issue(String accountId, String type, boolean pkce) {
        String nonce = randomText(24);
        Instant expiresAt = clock.instant().plus(LIFETIME);
        String verifier = pkce ? randomText(48) : null;
        String browserKey = randomText(32);
        pending.save(new PendingState(nonce, accountId, type, verifier, expiresAt));
        ObjectNode payload = json.createObjectNode().put("a", accountId).put("t", type).put("n", nonce)
                .put("e", expiresAt.getEpochSecond()).put("b", sha256(browserKey));
        byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
        String state = B64.encodeToString(body) + "." + B64.encodeToString(HmacSha256.mac(key(), body));
        return new Issued(state, verifier == null ? null : challenge(verifier), browserKey);
    }

    /**
     * The pending request a callback's {@code state} names, taken out so it cannot be used again; refused (with a
     * sentence for the person who clicked) when the state is missing, not ours, altered, for another type, expired,
     * used already, or when {@code browserKey} (what the callback's browser kept; null when it kept nothing) is not
     * the one the state was issued with.
     */
    public PendingState consume(String type, String state, String browserKey) {
        if (state == null || state.isBlank()) {
            throw OAuthException.refused("The request has no state: start the connection again from LeadSync.");
        }
        if (state.length() > MAX_STATE) {
            throw OAuthException.refused("The state is not one LeadSync issued: start the connection again.");
        }
        int dot = state.indexOf('.');
        byte[] body;
        byte[] mac;
        try {
            body = B64D.decode(state.substring(0, Math.max(dot, 0)));
            mac = B64D.decode(state.substring(dot + 1));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw OAuthException.refused("The state is not one LeadSync issued: start the connection again.");
        }
        if (dot <= 0 || !HmacSha256.equal(HmacSha256.mac(key(), body), mac)) {
            throw OAuthException.refused("The state is not one LeadSync issued, or it was altered: start the "
                    + "connection again.");
        }
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (IOException e) {
            throw OAuthException.refused("The state is not one LeadSync issued: start the connection again.");
        }
        String account = payload.path("a").asText("");
        String stateType = payload.path("t").asText("");
        String nonce = payload.path("n").asText("");
        Instant now = clock.instant();
        if (!stateType.equals(type)) {
            throw OAuthException.refused("This state was issued to connect " + stateType + ", not " + type
                    + ": start the connection again.");
        }
        if (!now.isBefore(Instant.ofEpochSecond(payload.path("e").asLong(0)))) {
            throw OAuthException.refused("This connection request expired (they last " + LIFETIME.toMinutes()
                    + " minutes): start the connection again.");
        }
        PendingState taken = pending.consume(nonce, now).orElseThrow(() -> OAuthException.refused(
                "This connection request was used already: start the connection again."));
        if (!taken.accountId().equals(account) || !taken.type().equals(type)) {
            throw OAuthException.refused("This state does not belong to this connection request: start again.");
        }
        // Checked after the state is taken out, on purpose: a state that reached another browser has leaked, so it is
        // used up rather than left open for whoever holds it to try again (the person starts again, as for any
        // other refused state).
        String bound = payload.path("b").asText("");
        if (browserKey == null || bound.isEmpty() || !HmacSha256.equal(bound.getBytes(StandardCharsets.US_ASCII),
                sha256(browserKey).getBytes(StandardCharsets.US_ASCII))) {
            throw OAuthException.refused("This connect was started in another browser, or the browser did not keep"
                    + " the cookie; start again from the admin panel.");
        }
        return taken;
    }

    /** PKCE S256: base64url(SHA-256(verifier)) without padding (RFC 7636 §4.2). */
    public static String challenge(String verifier) {
        return sha256(verifier);
    }

    /** base64url(SHA-256(text)) without padding; {@code text} is base64url itself (a verifier, a browser key). */
    private static String sha256(String text) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomText(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return B64.encodeToString(b);
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            String text = secret.get();
            if (text == null || text.length() < MIN_SECRET) {
                throw new IllegalStateException("leadsync.oauth.state-secret must be set (at least " + MIN_SECRET
                        + " characters; template parameter OAuthStateSecret) to sign OAuth states");
            }
            k = text.getBytes(StandardCharsets.UTF_8);
            key = k;
        }
        return k;
    }
}
