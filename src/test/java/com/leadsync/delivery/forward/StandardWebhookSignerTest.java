package com.leadsync.delivery.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StandardWebhookSignerTest {

    private static final String ID = "msg_2Lk3";
    private static final long TS = 1772893800L;
    private static final String BODY = "{\"type\":\"lead.created\",\"data\":{\"email\":\"ana@example.com\"}}";

    // Expected values computed once, independently of this code, with OpenSSL 3.0:
    //   printf '%s' 'msg_2Lk3.1772893800.<BODY>' | openssl dgst -sha256 -hmac 'shared-secret' -binary | base64
    //   printf '%s' '...same...' | openssl dgst -sha256 -mac HMAC \
    //       -macopt hexkey:a13349a174acc006910d6b084fce80c0eb7621aa83506b86 -binary | base64
    private static final String PLAIN_SECRET = "shared-secret";
    private static final String PLAIN_EXPECTED = "v1,NTdPbSMohlpJisnvblUKjXB0be7CXIV+IxbJb1ZagZc=";
    private static final String WHSEC_SECRET = "whsec_oTNJoXSswAaRDWsIT86AwOt2IaqDUGuG"; // base64 of the hex key above
    private static final String WHSEC_EXPECTED = "v1,s7lxXl6zK/oZw34wLGZGXvje192QAptjHfE40vk6iy4=";

    @Test
    void plainSecretUsesItsUtf8Bytes() {
        assertThat(StandardWebhookSigner.sign(PLAIN_SECRET, ID, TS, BODY)).isEqualTo(PLAIN_EXPECTED);
        assertThat(StandardWebhookSigner.key(PLAIN_SECRET)).isEqualTo(PLAIN_SECRET.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whsecSecretUsesTheBase64DecodedRemainder() {
        assertThat(StandardWebhookSigner.sign(WHSEC_SECRET, ID, TS, BODY)).isEqualTo(WHSEC_EXPECTED);
        assertThat(StandardWebhookSigner.key(WHSEC_SECRET)).hasSize(24);
    }

    @Test
    void verifyAcceptsTheRightSignatureAmongSeveral() {
        assertThat(StandardWebhookSigner.verify(WHSEC_SECRET, ID, TS, BODY, WHSEC_EXPECTED)).isTrue();
        assertThat(StandardWebhookSigner.verify(WHSEC_SECRET, ID, TS, BODY,
                "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1a,xyz " + WHSEC_EXPECTED)).isTrue();
    }

    @Test
    void verifyRejectsAnyChange() {
        assertThat(StandardWebhookSigner.verify(WHSEC_SECRET, ID, TS, BODY + " ", WHSEC_EXPECTED)).isFalse();
        assertThat(StandardWebhookSigner.verify(WHSEC_SECRET, "msg_other", TS, BODY, WHSEC_EXPECTED)).isFalse();
        assertThat(StandardWebhookSigner.verify(WHSEC_SECRET, ID, TS + 1, BODY, WHSEC_EXPECTED)).isFalse();
        assertThat(StandardWebhookSigner.verify(PLAIN_SECRET, ID, TS, BODY, WHSEC_EXPECTED)).isFalse();
        assertThat(StandardWebhookSigner.verify(WHSEC_SECRET, ID, TS, BODY, "v2," + WHSEC_EXPECTED.substring(3))).isFalse();
        assertThat(StandardWebhookSigner.verify(WHSEC_SECRET, ID, TS, BODY, "v1,%%%")).isFalse();
        assertThat(StandardWebhookSigner.verify(WHSEC_SECRET, ID, TS, BODY, null)).isFalse();
    }

    @Test
    void malformedWhsecSecretIsRejected() {
        assertThatThrownBy(() -> StandardWebhookSigner.key("whsec_not*base64")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StandardWebhookSigner.key("whsec_")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StandardWebhookSigner.key("")).isInstanceOf(IllegalArgumentException.class);
    }
}
