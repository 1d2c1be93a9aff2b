package com.leadsync.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.crypto.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The rule for lead payloads too big to travel inline: SQS takes 256 KiB a message and DynamoDB 400 KB an item, while
 * a webhook may carry a lead of up to 1 MB and a list page bigger ones. A payload whose JSON is over
 * {@link #MAX_INLINE_BYTES} is kept aside first ({@link PayloadRepository}, under the SHA-256 of its JSON, so a
 * retried webhook keeps the same one) and its message or waiting notice carries that reference instead; a crash
 * in between leaves a payload nobody references (it expires), never a reference to nothing.
 *
 * <p>Every ingest message passes {@link #forQueue} on its way to the queue (the queue adapter calls it), whichever
 * path made it: webhook, poll, a drained waiting lead, a deferred fetch. A kept payload lives
 * {@code leadsync.payloads.retention} after the last time a message or notice took its reference: each of those
 * renews it, so the retention only needs to outlast the longest one holder keeps it (see application.properties).
 */
@ApplicationScoped
public class OversizedPayloads {

    private static final Logger LOG = Logger.getLogger(OversizedPayloads.class);

    /**
     * Largest payload JSON carried inline. With the message's other fields (ids and times, well under 2 KiB) a
     * message stays within SQS's 256 KiB less the batch margin, and a waiting notice far within DynamoDB's item.
     */
    public static final int MAX_INLINE_BYTES = 192 * 1024;

    /** A payload as a waiting notice keeps it: its JSON text, or the reference of where it is kept. */
    public record Kept(String json, String ref) {
        static final Kept NONE = new Kept(null, null);
    }

    /** The reference names nothing kept: the lead is not lost silently, its message fails and is retried. */
    public static final class MissingPayload extends IllegalStateException {
        MissingPayload(String ref, String providerLeadId) {
            super("the payload of lead " + providerLeadId + " kept aside as " + ref + " is gone (expired, or never"
                    + " written)");
        }
    }

    private final PayloadRepository store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration retention;

    OversizedPayloads(PayloadRepository store, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "leadsync.payloads.retention") Duration retention) {
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.retention = retention;
    }

    /**
     * The message as it goes on the queue: a payload too big is kept aside and referenced; a reference the message
     * carries is renewed (the message is a new holder of it).
     */
    public IngestMessage forQueue(IngestMessage m) {
        if (m.payloadRef() != null) {
            renew(m.payloadRef(), m.providerLeadId());
            return m;
        }
        if (m.payload() == null) {
            return m;
        }
        byte[] bytes = bytes(m.payload());
        return bytes.length > MAX_INLINE_BYTES ? m.withPayloadRef(keepAside(bytes)) : m;
    }

    /** How a waiting notice keeps the payload it was given inline or by reference (renewed); none for a fetch. */
    public Kept forWaiting(JsonNode payload, String ref, String providerLeadId) {
        if (ref != null) {
            renew(ref, providerLeadId);
            return new Kept(null, ref);
        }
        if (payload == null || payload.isNull() || payload.isMissingNode()) {
            return Kept.NONE;
        }
        byte[] bytes = bytes(payload);
        return bytes.length > MAX_INLINE_BYTES ? new Kept(null, keepAside(bytes))
                : new Kept(new String(bytes, StandardCharsets.UTF_8), null);
    }

    /**
     * The message's payload, read back when it travelled by reference: the same JSON as if it had come inline. Null
     * when it has none (the lead is fetched).
     *
     * @throws MissingPayload when its reference names nothing kept
     */
    public JsonNode payload(IngestMessage m) {
        if (m.payload() != null || m.payloadRef() == null) {
            return m.payload();
        }
        byte[] bytes = store.get(m.payloadRef()).orElseThrow(() -> new MissingPayload(m.payloadRef(),
                m.providerLeadId()));
        if (!Sha256.hex(bytes).equals(m.payloadRef())) {
            throw new IllegalStateException("the payload kept as " + m.payloadRef() + " for lead " + m.providerLeadId()
                    + " does not match its reference");
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("the payload kept as " + m.payloadRef() + " is not JSON", e);
        }
    }

    private String keepAside(byte[] bytes) {
        String ref = Sha256.hex(bytes);
        store.put(ref, bytes, expiry());
        LOG.debugf("payload of %d bytes kept aside as %s", bytes.length, ref);
        return ref;
    }

    private void renew(String ref, String providerLeadId) {
        if (!store.renew(ref, expiry())) {
            // Passed on all the same: normalize then fails the message with that error (retried, then the DLQ).
            LOG.warnf("the payload of lead %s kept aside as %s is gone", providerLeadId, ref);
        }
    }

    private Instant expiry() {
        return clock.instant().plus(retention);
    }

    private byte[] bytes(JsonNode payload) {
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a lead payload cannot be written as JSON", e);
        }
    }
}
