package com.leadsync.source.linkedin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The three readings of providers.md §3.2 accepted, everything else refused; vectors computed with openssl. */
class LinkedInSignatureTest {

    private static final String SECRET = "leadsync-test-client-secret";

    private static final byte[] BODY = ("{\"type\":\"LEAD_ACTION\",\"leadGenFormResponse\":"
            + "\"urn:li:leadGenFormResponse:249592fc-d272-44ba-a7db-c2bdce579507-6\",\"leadGenForm\":"
            + "\"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:3162,1)\",\"owner\":{\"sponsoredAccount\":"
            + "\"urn:li:sponsoredAccount:508915158\"},\"associatedEntity\":{\"associatedCreative\":"
            + "\"urn:li:sponsoredCreative:123456789\"},\"leadType\":\"SPONSORED\",\"leadAction\":\"CREATED\","
            + "\"occurredAt\":1762179727123}").getBytes(StandardCharsets.UTF_8);

    /* printf '%s' '<BODY>' | openssl dgst -sha256 -hmac 'leadsync-test-client-secret' */
    private static final String BODY_HEX = "c1209122057ddbd15cacee5d50dd4881666b6ff5c3283ff24328d4cc4d425c0f";
    /* printf '%s' 'hmacsha256=<BODY>' | openssl dgst -sha256 -hmac 'leadsync-test-client-secret' */
    private static final String PREFIXED_BODY_HEX = "30906587187bc366924e8879c861aa5692b8e7fd089ae0ee2c618b4079d1aa62";

    @ParameterizedTest(name = "accepted: [{0}]")
    @ValueSource(strings = {
        PREFIXED_BODY_HEX, // hex(HMAC(secret, "hmacsha256=" + body))
        "hmacsha256=" + BODY_HEX, // "hmacsha256=" + hex(HMAC(secret, body))
        BODY_HEX, // bare hex(HMAC(secret, body))
        "HMACSHA256=" + BODY_HEX, // the scheme in any case
        "  hmacsha256=" + BODY_HEX + " ",
        "c1209122057DDBD15CACEE5D50DD4881666B6FF5C3283FF24328D4CC4D425C0F", // upper-case hex
        "hmacsha256=" + PREFIXED_BODY_HEX, // the prefix on the header and in the message: still our secret's MAC
    })
    void each_form_of_the_signature_is_accepted(String header) {
        assertThat(LinkedInSignature.verify(BODY, header, SECRET)).isTrue();
    }

    @ParameterizedTest(name = "refused: [{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {
        "   ",
        "hmacsha256=",
        "hmacsha256",
        "sha256=" + BODY_HEX, // another scheme
        "hmacsha256:" + BODY_HEX,
        "hmacsha256=" + BODY_HEX + "00", // too long
        "hmacsha256=" + "c1209122057ddbd15cacee5d50dd4881666b6ff5c3283ff24328d4cc4d425c0", // too short
        "hmacsha256=zz209122057ddbd15cacee5d50dd4881666b6ff5c3283ff24328d4cc4d425c0f", // not hex
        "hmacsha256=hmacsha256=" + BODY_HEX,
        BODY_HEX + "," + BODY_HEX,
        "e2e7624e0ab2bee7d83a7330b04e0439e1da15d13dd7b97060285f021170aa72", // a valid MAC of something else
    })
    void a_missing_malformed_or_foreign_signature_is_refused(String header) {
        assertThat(LinkedInSignature.verify(BODY, header, SECRET)).isFalse();
    }

    @ParameterizedTest(name = "header [{0}]")
    @ValueSource(strings = {PREFIXED_BODY_HEX, "hmacsha256=" + BODY_HEX, BODY_HEX})
    void a_tampered_body_fails_every_form(String header) {
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] ^= 1;
        assertThat(LinkedInSignature.verify(tampered, header, SECRET)).isFalse();
    }

    @ParameterizedTest(name = "header [{0}]")
    @ValueSource(strings = {PREFIXED_BODY_HEX, "hmacsha256=" + BODY_HEX, BODY_HEX})
    void another_secret_fails_every_form(String header) {
        assertThat(LinkedInSignature.verify(BODY, header, SECRET + "x")).isFalse();
        assertThat(LinkedInSignature.verify(BODY, header.toUpperCase(Locale.ROOT), SECRET.toUpperCase(Locale.ROOT)))
                .isFalse();
    }

    @ParameterizedTest(name = "secret [{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void no_configured_secret_never_verifies(String secret) {
        assertThat(LinkedInSignature.verify(BODY, BODY_HEX, secret)).isFalse();
    }
}
