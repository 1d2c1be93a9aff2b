package com.leadsync.connect.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The signed, bound, expiring, single-use state of an OAuth connect, with the pending items held in memory. */
class OAuthStatesTest {

    private static final String SECRET = "a-state-secret-of-at-least-32-characters";

    /** Pending states in memory, consumed at most once, like the conditional delete of the store. */
    static final class MemoryStates implements OAuthStateRepository {
        final Map<String, PendingState> items = new ConcurrentHashMap<>();

        @Override
        public void save(PendingState state) {
            items.put(state.nonce(), state);
        }

        @Override
        public Optional<PendingState> consume(String nonce, Instant now) {
            PendingState s = items.remove(nonce);
            return s == null || !now.isBefore(s.expiresAt()) ? Optional.empty() : Optional.of(s);
        }
    }

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };
    private final MemoryStates pending = new MemoryStates();
    private final OAuthStates states = new OAuthStates(pending, new ObjectMapper(), clock, () -> SECRET);

    private static String refusal(Runnable r) {
        OAuthException e = catchThrowableOfType(OAuthException.class, r::run);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.kind()).isEqualTo(OAuthException.Kind.REFUSED);
        return e.getMessage();
    }

    @Test
    void a_state_opens_its_callback_once_for_its_account_and_type() {
        OAuthStates.Issued issued = states.issue("acc_1", "hubspot", false);

        PendingState taken = states.consume("hubspot", issued.state(), issued.browserKey());

        assertThat(taken.accountId()).isEqualTo("acc_1");
        assertThat(taken.type()).isEqualTo("hubspot");
        assertThat(taken.codeVerifier()).isNull();
        assertThat(issued.codeChallenge()).isNull();
        assertThat(refusal(() -> states.consume("hubspot", issued.state(), issued.browserKey()))).contains("used already");
    }

    @Test
    void a_pkce_state_keeps_its_verifier_server_side_and_the_url_gets_its_s256_challenge() throws Exception {
        OAuthStates.Issued issued = states.issue("acc_1", "salesforce", true);

        PendingState taken = states.consume("salesforce", issued.state(), issued.browserKey());

        assertThat(taken.codeVerifier()).hasSizeGreaterThanOrEqualTo(43).matches("[A-Za-z0-9_-]+");
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest
                .getInstance("SHA-256").digest(taken.codeVerifier().getBytes(StandardCharsets.US_ASCII)));
        assertThat(issued.codeChallenge()).isEqualTo(expected);
        assertThat(issued.state()).doesNotContain(taken.codeVerifier());
    }

    @Test
    void a_state_for_another_type_is_refused_and_stays_usable_for_its_own() {
        OAuthStates.Issued issued = states.issue("acc_1", "hubspot", false);

        assertThat(refusal(() -> states.consume("zoho", issued.state(), issued.browserKey()))).contains("issued to connect hubspot");
        assertThat(states.consume("hubspot", issued.state(), issued.browserKey()).accountId()).isEqualTo("acc_1");
    }

    @Test
    void a_state_expires_after_ten_minutes() {
        OAuthStates.Issued issued = states.issue("acc_1", "hubspot", false);
        now.set(now.get().plus(OAuthStates.LIFETIME));

        assertThat(refusal(() -> states.consume("hubspot", issued.state(), issued.browserKey()))).contains("expired");
    }

    @Test
    void a_state_just_inside_its_ten_minutes_still_opens() {
        OAuthStates.Issued issued = states.issue("acc_1", "hubspot", false);
        now.set(now.get().plus(OAuthStates.LIFETIME).minus(Duration.ofSeconds(2)));

        assertThat(states.consume("hubspot", issued.state(), issued.browserKey()).accountId()).isEqualTo("acc_1");
    }

    @Test
    void a_state_moved_to_another_account_or_altered_in_any_way_is_refused() {
        OAuthStates.Issued issued = states.issue("acc_1", "hubspot", false);
        String[] parts = issued.state().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String otherAccount = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("acc_1", "acc_2").getBytes(StandardCharsets.UTF_8)) + "." + parts[1];

        assertThat(refusal(() -> states.consume("hubspot", otherAccount, issued.browserKey()))).contains("altered");
        assertThat(refusal(() -> states.consume("hubspot", parts[0] + ".AAAA", issued.browserKey()))).contains("altered");
        assertThat(refusal(() -> states.consume("hubspot", parts[0], issued.browserKey()))).contains("not one LeadSync issued");
        assertThat(refusal(() -> states.consume("hubspot", "%%%.***", issued.browserKey()))).contains("not one LeadSync issued");
        assertThat(refusal(() -> states.consume("hubspot", null, issued.browserKey()))).contains("no state");
        assertThat(refusal(() -> states.consume("hubspot", "x".repeat(5000), issued.browserKey()))).contains("not one LeadSync issued");
        // None of those used it up.
        assertThat(states.consume("hubspot", issued.state(), issued.browserKey()).accountId()).isEqualTo("acc_1");
    }

    @Test
    void a_state_is_bound_to_its_browser_by_the_hash_of_a_browser_key_that_never_travels_in_the_url()
            throws Exception {
        OAuthStates.Issued issued = states.issue("acc_1", "hubspot", false);

        assertThat(issued.browserKey()).matches("[A-Za-z0-9_-]{43}");
        assertThat(issued.state()).doesNotContain(issued.browserKey());
        String payload = new String(Base64.getUrlDecoder().decode(issued.state().split("\\.")[0]),
                StandardCharsets.UTF_8);
        String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(issued.browserKey().getBytes(StandardCharsets.US_ASCII)));
        assertThat(payload).contains("\"b\":\"" + hash + "\"");
        assertThat(issued.toString()).doesNotContain(issued.browserKey());
        assertThat(states.consume("hubspot", issued.state(), issued.browserKey()).accountId()).isEqualTo("acc_1");
    }

    @Test
    void a_state_finished_without_its_browser_key_or_with_another_browsers_is_refused_and_used_up() {
        OAuthStates.Issued mine = states.issue("acc_1", "hubspot", false);
        OAuthStates.Issued theirs = states.issue("acc_2", "hubspot", false);
        OAuthStates.Issued third = states.issue("acc_1", "hubspot", false);

        assertThat(refusal(() -> states.consume("hubspot", mine.state(), null))).contains("another browser");
        assertThat(refusal(() -> states.consume("hubspot", theirs.state(), mine.browserKey())))
                .contains("another browser");
        assertThat(refusal(() -> states.consume("hubspot", third.state(), ""))).contains("another browser");
        // A state that reached the wrong browser has leaked: it opens nothing afterwards, not even with its key.
        assertThat(refusal(() -> states.consume("hubspot", mine.state(), mine.browserKey()))).contains("used already");
        assertThat(refusal(() -> states.consume("hubspot", theirs.state(), theirs.browserKey())))
                .contains("used already");
        assertThat(pending.items).isEmpty();
    }

    @Test
    void a_state_signed_with_another_key_is_refused() {
        OAuthStates other = new OAuthStates(pending, new ObjectMapper(), clock,
                () -> "another-secret-of-at-least-32-characters!");
        OAuthStates.Issued forged = other.issue("acc_1", "hubspot", false);

        assertThat(refusal(() -> states.consume("hubspot", forged.state(), forged.browserKey()))).contains("altered");
    }

    @Test
    void without_a_secret_of_32_characters_no_state_is_issued() {
        OAuthStates none = new OAuthStates(pending, new ObjectMapper(), clock, () -> "short");

        IllegalStateException e = catchThrowableOfType(IllegalStateException.class,
                () -> none.issue("acc_1", "hubspot", false));

        assertThat(e).hasMessageContaining("leadsync.oauth.state-secret");
    }
}
