package com.leadsync.source;

/** The answer to a provider's webhook subscription handshake: sent with status 200. */
public record HandshakeReply(String contentType, String body) {

    public static HandshakeReply text(String body) {
        return new HandshakeReply("text/plain", body);
    }

    public static HandshakeReply json(String body) {
        return new HandshakeReply("application/json", body);
    }
}
