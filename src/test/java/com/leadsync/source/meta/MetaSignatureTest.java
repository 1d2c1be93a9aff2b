package com.leadsync.source.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MetaSignatureTest {

    private static final String SECRET = "leadsync-test-app-secret";

    private static final byte[] BODY = ("{\"object\":\"page\",\"entry\":[{\"id\":\"106842931234567\",\"time\":1762179727,"
            + "\"changes\":[{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"1234567890123456\","
            + "\"page_id\":\"106842931234567\",\"form_id\":\"987654321098765\",\"adgroup_id\":\"120210000000000002\","
            + "\"ad_id\":\"120210000000000002\",\"created_time\":1762179727}}]}]}").getBytes(StandardCharsets.UTF_8);

    /*
     * Computed outside Java, so a bug shared by sign() and verify() cannot hide:
     *   printf '%s' '<BODY>' | openssl dgst -sha256 -hmac 'leadsync-test-app-secret'
     */
    private static final String BODY_HEX = "2f57d04ff343f80904a6854562f4966dbe4ecf972fc0f21f364bc286171cf2ca";
    // printf '%s' '{"name":"J\u00f6rg"}' | openssl dgst -sha256 -hmac 'leadsync-test-app-secret'  (escaped unicode, as Meta sends)
    private static final byte[] ESCAPED_BODY = "{\"name\":\"J\\u00f6rg\"}".getBytes(StandardCharsets.UTF_8);
    private static final String ESCAPED_HEX = "b67ad46592021796bf570a2e724374296edbb47ea63d0187ec349c0d1eb0607b";
    // printf '%s' '<BODY>' | openssl dgst -sha1 -hmac 'leadsync-test-app-secret'  (the legacy X-Hub-Signature)
    private static final String BODY_SHA1_HEX = "6ba09226988052fc37626b6299a72729f9657ff5";

    @Test
    void signMatchesTheOpensslVector() {
        assertThat(MetaSignature.sign(BODY, SECRET)).isEqualTo("sha256=" + BODY_HEX);
        assertThat(MetaSignature.sign(ESCAPED_BODY, SECRET)).isEqualTo("sha256=" + ESCAPED_HEX);
    }

    @Test
    void acceptsTheOpensslVector() {
        assertThat(MetaSignature.verify(BODY, "sha256=" + BODY_HEX, SECRET)).isTrue();
        assertThat(MetaSignature.verify(ESCAPED_BODY, "sha256=" + ESCAPED_HEX, SECRET)).isTrue();
    }

    @Test
    void acceptsUpperCaseHexAndSurroundingSpace() {
        assertThat(MetaSignature.verify(BODY, "sha256=" + BODY_HEX.toUpperCase(Locale.ROOT), SECRET)).isTrue();
        assertThat(MetaSignature.verify(BODY, "  sha256=" + BODY_HEX + " ", SECRET)).isTrue();
    }

    @Test
    void rejectsWrongSecret() {
        assertThat(MetaSignature.verify(BODY, "sha256=" + BODY_HEX, SECRET + "x")).isFalse();
    }

    @Test
    void rejectsTamperedBody() {
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 5] ^= 1;
        assertThat(MetaSignature.verify(tampered, "sha256=" + BODY_HEX, SECRET)).isFalse();
    }

    @Test
    void rejectsReSerializedUnicode() {
        // the same JSON value with the unicode escape decoded: different bytes, so not Meta's signature
        byte[] decoded = "{\"name\":\"Jörg\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(MetaSignature.verify(decoded, "sha256=" + ESCAPED_HEX, SECRET)).isFalse();
    }

    @ParameterizedTest(name = "header [{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {
        "   ",
        BODY_HEX, // missing prefix
        "sha256",
        "sha256=",
        "sha256:" + BODY_HEX,
        "sha1=" + BODY_SHA1_HEX, // the legacy header's value is not accepted in place of the sha256 one
        "sha1=" + BODY_HEX,
        "sha256=" + BODY_HEX + "00", // too long
        "sha256=" + "2f57d04ff343f80904a6854562f4966dbe4ecf972fc0f21f364bc286171cf2c", // too short
        "sha256=zz57d04ff343f80904a6854562f4966dbe4ecf972fc0f21f364bc286171cf2ca", // not hex
        "sha256=" + BODY_HEX + ",sha256=" + BODY_HEX,
    })
    void rejectsMissingOrMalformedHeader(String header) {
        assertThat(MetaSignature.verify(BODY, header, SECRET)).isFalse();
    }

    @ParameterizedTest(name = "secret [{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void blankSecretNeverVerifies(String secret) {
        assertThat(MetaSignature.verify(BODY, "sha256=" + BODY_HEX, secret)).isFalse();
    }

    @Test
    void signRefusesAnEmptySecret() {
        assertThatThrownBy(() -> MetaSignature.sign(BODY, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTrip() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(MetaSignature.verify(body, MetaSignature.sign(body, "s"), "s")).isTrue();
    }
}
