package com.leadsync.source;

import com.leadsync.model.ProviderType;
import java.util.Optional;

/**
 * The capability to take a platform's webhook calls. An implementation authenticates the call (over the
 * raw bytes, before parsing, where the scheme allows) and turns it into one notice per lead. Where the
 * secret belongs to a connection rather than the app (Google's {@code google_key}), it routes first with
 * {@code connections} and verifies against what it found.
 */
public interface WebhookReceiver {

    ProviderType type();

    /** Answers the subscription handshake (GET); empty means refuse (403). */
    Optional<HandshakeReply> handshake(WebhookRequest request);

    /**
     * Authenticates and parses one call. Throws {@link MalformedPayloadException} for a body that does not
     * have the provider's documented shape; never calls the provider.
     */
    WebhookReceipt receive(WebhookRequest request, ConnectionLookup connections);
}
