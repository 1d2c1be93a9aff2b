package com.leadsync.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.model.ProviderType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Something that happened to an account, told to the webhook subscriptions that asked for its {@code type}
 * (contract §9). {@code providerType}: the ad platform of the lead, connection or import it is about (a subscription
 * filters on it). {@code data} is the envelope's {@code data} as sent.
 *
 * <p>The id is derived from what the event is about ({@link #idFor}): an emitter that runs twice after a crash, or
 * a check that sees the same expiry on two days, makes the same event, and its deliveries are not made twice.
 */
public record Event(String eventId, String accountId, String type, ProviderType providerType, Instant occurredAt,
        JsonNode data) {

    private static final String ID_PREFIX = "evt_";

    /** The id of the event of {@code type} about {@code subject} (e.g. a job id, a connection id and an expiry). */
    public static String idFor(String type, String subject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((type + "\n" + subject).getBytes(StandardCharsets.UTF_8));
            return ID_PREFIX + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Whether a delivery names an event (its other kind names a lead): the id prefix tells them apart. */
    public static boolean isEventId(String id) {
        return id.startsWith(ID_PREFIX);
    }

    @Override
    public String toString() {
        return "Event[" + eventId + ", " + type + ", account=" + accountId + "]";
    }
}
