package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CursorTest {

    private static final String SECRET = "unit-test-cursor-secret-0123456789";
    private static final List<String> SCOPE = Arrays.asList("leads", "acc_1", null, null, null);
    private static final Map<String, String> POSITION = Map.of("listKey", "2026-01-10T10:00:00.000Z#ld_1",
            "leadId", "ld_1");

    private final Cursor cursors = new Cursor(Optional.of(SECRET), new ObjectMapper());

    @Test
    void a_cursor_gives_back_its_position_in_its_own_scope_only() {
        String cursor = cursors.encode(SCOPE, POSITION);

        assertThat(cursor).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(cursors.decode(SCOPE, cursor)).isEqualTo(POSITION);
        assertThatThrownBy(() -> cursors.decode(Arrays.asList("leads", "acc_2", null, null, null), cursor))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cursors.decode(Arrays.asList("leads", "acc_1", "meta_lead_ads", null, null), cursor))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Cursor(Optional.of(SECRET + "x"), new ObjectMapper()).decode(SCOPE, cursor))
                .as("another secret").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_re_encoded_payload_with_the_old_signature_is_refused() {
        String cursor = cursors.encode(SCOPE, POSITION);
        String signature = cursor.substring(cursor.indexOf('.') + 1);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"listKey\":\"9999\",\"leadId\":\"ld_1\"}".getBytes(StandardCharsets.UTF_8)) + "." + signature;

        for (String bad : List.of(forged, "", ".", "abc", cursor + ".x", "." + signature, cursor.replace('.', '!'),
                cursor + "=", "x".repeat(Cursor.MAX_LENGTH + 1))) {
            assertThatThrownBy(() -> cursors.decode(SCOPE, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void without_a_long_enough_secret_no_cursor_is_made_or_read() {
        for (Optional<String> secret : List.of(Optional.<String>empty(), Optional.of("too-short"))) {
            Cursor unset = new Cursor(secret, new ObjectMapper());
            assertThatThrownBy(() -> unset.encode(SCOPE, POSITION)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("leadsync.cursor-secret");
            String valid = cursors.encode(SCOPE, POSITION);
            assertThatThrownBy(() -> unset.decode(SCOPE, valid)).isInstanceOf(IllegalStateException.class);
        }
    }
}
