package com.leadsync.source.tiktok;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.testing.TikTokFake;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TikTokSignatureTest {

    private static final String SECRET = "tiktok-app-secret";
    private static final byte[] BODY = "{\"object\":1,\"entry\":[]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void the_signature_the_tests_send_is_the_lowercase_hex_hmac_sha256_of_the_raw_body() {
        // Computed independently: printf '%s' '{"object":1,"entry":[]}' | openssl dgst -sha256 -hmac tiktok-app-secret
        assertThat(TikTokFake.sign(BODY, SECRET))
                .isEqualTo("4a613e6c3170c88cfca2fdeb8d5ff80b52284a7ea5c0fd19707b3e45f715a22a")
                .matches("[0-9a-f]{64}");
    }

    @Test
    void a_matching_signature_verifies_in_either_case_and_with_surrounding_spaces() {
        String hex = TikTokFake.sign(BODY, SECRET);
        assertThat(TikTokSignature.verify(BODY, hex, SECRET)).isTrue();
        assertThat(TikTokSignature.verify(BODY, hex.toUpperCase(Locale.ROOT), SECRET)).isTrue();
        assertThat(TikTokSignature.verify(BODY, " " + hex + " ", SECRET)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"sha256=4a613e6c3170c88cfca2fdeb8d5ff80b52284a7ea5c0fd19707b3e45f715a22a",
        "4a613e6c3170c88cfca2fdeb8d5ff80b52284a7ea5c0fd19707b3e45f715a22",
        "4a613e6c3170c88cfca2fdeb8d5ff80b52284a7ea5c0fd19707b3e45f715a22aa",
        "za613e6c3170c88cfca2fdeb8d5ff80b52284a7ea5c0fd19707b3e45f715a22a",
        "5a613e6c3170c88cfca2fdeb8d5ff80b52284a7ea5c0fd19707b3e45f715a22a",
        "t=1762179730,s=4a613e6c3170c88cfca2fdeb8d5ff80b52284a7ea5c0fd19707b3e45f715a22a"})
    void anything_else_does_not_verify(String header) {
        assertThat(TikTokSignature.verify(BODY, header, SECRET)).isFalse();
    }

    @Test
    void another_body_secret_or_no_secret_does_not_verify() {
        String hex = TikTokFake.sign(BODY, SECRET);
        assertThat(TikTokSignature.verify("{\"object\":1,\"entry\":[] }".getBytes(StandardCharsets.UTF_8), hex, SECRET))
                .isFalse();
        assertThat(TikTokSignature.verify(BODY, hex, "another-secret")).isFalse();
        assertThat(TikTokSignature.verify(BODY, hex, "")).isFalse();
        assertThat(TikTokSignature.verify(BODY, hex, null)).isFalse();
    }
}
