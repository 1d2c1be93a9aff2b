package com.leadsync.source.linkedin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.Connection;
import com.leadsync.source.ConnectionLookup;
import com.leadsync.source.WebhookReceipt;
import com.leadsync.source.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Without a configured client secret nothing can be proven: the challenge is refused and no call is authentic. */
class LinkedInWebhookReceiverTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void without_a_client_secret_the_challenge_is_refused() {
        LinkedInWebhookReceiver receiver = new LinkedInWebhookReceiver(JSON, Optional.empty());

        assertThat(receiver.handshake(new WebhookRequest(null, Map.of(), Map.of("challengeCode", "c-1")))).isEmpty();
    }

    @Test
    void without_a_client_secret_no_notification_is_authentic() {
        LinkedInWebhookReceiver receiver = new LinkedInWebhookReceiver(JSON, Optional.of("  "));
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        // printf '%s' '{}' | openssl dgst -sha256 -hmac '': what a forger would send to a service without a secret.
        WebhookRequest request = new WebhookRequest(body,
                Map.of("X-LI-Signature", "22f8eea909400af98adf3681a9f31923ef6b7fcba4abb553d92823a3e9d5c25e"), Map.of());

        assertThat(receiver.receive(request, NO_CONNECTIONS)).isInstanceOf(WebhookReceipt.Unauthenticated.class);
    }

    private static final ConnectionLookup NO_CONNECTIONS = new ConnectionLookup() {
        @Override
        public Optional<Connection> byExternalId(String externalId) {
            return Optional.empty();
        }

        @Override
        public Optional<Connection> byWebhookKey(String key) {
            return Optional.empty();
        }
    };
}
