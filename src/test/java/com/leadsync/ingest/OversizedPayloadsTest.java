package com.leadsync.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.leadsync.crypto.Sha256;
import com.leadsync.model.ProviderType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a lead payload travels by reference, and that it comes back as the same JSON (no emulator). */
class OversizedPayloadsTest {

    private static final Instant NOW = Instant.parse("2026-03-07T14:30:00Z");
    private static final Duration RETENTION = Duration.ofDays(35);
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    /** The repository's contract, in memory: what was put, and until when. */
    private static final class KeptPayloads implements PayloadRepository {
        final Map<String, byte[]> kept = new HashMap<>();
        final Map<String, Instant> until = new HashMap<>();
        int puts;

        @Override
        public void put(String ref, byte[] json, Instant expiresAt) {
            puts++;
            kept.put(ref, json.clone());
            until.put(ref, expiresAt);
        }

        @Override
        public Optional<byte[]> get(String ref) {
            return Optional.ofNullable(kept.get(ref)).map(byte[]::clone);
        }

        @Override
        public boolean renew(String ref, Instant expiresAt) {
            if (!kept.containsKey(ref)) {
                return false;
            }
            until.put(ref, expiresAt);
            return true;
        }
    }

    private final KeptPayloads store = new KeptPayloads();
    private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private OversizedPayloads payloads() {
        return new OversizedPayloads(store, JSON, clock, RETENTION);
    }

    /** A Google-shaped lead whose JSON is exactly {@code bytes} long (ASCII, so characters = bytes). */
    private static JsonNode payloadOf(int bytes) {
        ObjectNode lead = JSON.createObjectNode().put("lead_id", "TeSter-1").put("answer", "");
        int rest = bytes - lead.toString().length();
        return lead.put("answer", "x".repeat(rest));
    }

    private static IngestMessage message(JsonNode payload) {
        return new IngestMessage("acc_1", "con_1", ProviderType.GOOGLE_ADS, "1234567890", "TeSter-1", "40000000000",
                "30000000000", NOW, "webhook", NOW, payload, null, 0, null);
    }

    private static int size(JsonNode payload) throws Exception {
        return JSON.writeValueAsBytes(payload).length;
    }

    @Test
    void a_payload_up_to_the_limit_travels_inline_and_one_byte_more_by_reference() throws Exception {
        JsonNode atLimit = payloadOf(OversizedPayloads.MAX_INLINE_BYTES);
        assertThat(size(atLimit)).isEqualTo(OversizedPayloads.MAX_INLINE_BYTES);
        assertThat(payloads().forQueue(message(atLimit))).isEqualTo(message(atLimit));
        assertThat(store.puts).isZero();

        JsonNode over = payloadOf(OversizedPayloads.MAX_INLINE_BYTES + 1);
        IngestMessage sent = payloads().forQueue(message(over));

        byte[] json = JSON.writeValueAsBytes(over);
        assertThat(sent.payload()).isNull();
        assertThat(sent.payloadRef()).isEqualTo(Sha256.hex(json));
        assertThat(sent).isEqualTo(message(over).withPayloadRef(Sha256.hex(json)));
        assertThat(store.kept.get(sent.payloadRef())).isEqualTo(json);
        assertThat(store.until.get(sent.payloadRef())).isEqualTo(NOW.plus(RETENTION));
    }

    @Test
    void a_message_that_travels_by_reference_maps_from_the_same_json_as_inline() throws Exception {
        JsonNode big = JSON.readTree("{\"lead_id\":\"TeSter-1\",\"is_test\":false,\"campaign_id\":50000000000,"
                + "\"user_column_data\":[{\"column_name\":\"Tell us more\",\"string_value\":\""
                + "é ✓ \\\"quoted\\\" ".repeat(20_000) + "\",\"column_id\":\"QUESTION_1\"}]}");
        IngestMessage sent = payloads().forQueue(message(big));
        // The message as normalize reads it from the queue.
        IngestMessage received = JSON.readValue(JSON.writeValueAsString(sent), IngestMessage.class);

        assertThat(received.payloadRef()).isNotNull();
        assertThat(payloads().payload(received)).isEqualTo(big);
        assertThat(payloads().payload(message(big))).as("inline").isSameAs(big);
        assertThat(payloads().payload(message(null))).as("to fetch").isNull();
    }

    @Test
    void a_retried_webhook_keeps_the_same_payload_under_the_same_reference() {
        JsonNode big = payloadOf(300_000);
        IngestMessage first = payloads().forQueue(message(big));
        IngestMessage again = payloads().forQueue(message(big));
        assertThat(again.payloadRef()).isEqualTo(first.payloadRef());
        assertThat(store.kept).hasSize(1);
    }

    @Test
    void passing_a_reference_on_renews_it_instead_of_keeping_it_again() {
        IngestMessage sent = payloads().forQueue(message(payloadOf(300_000)));
        clock = Clock.offset(clock, Duration.ofDays(20));

        IngestMessage deferred = payloads().forQueue(sent);
        assertThat(deferred).isEqualTo(sent);
        assertThat(store.puts).isEqualTo(1);
        assertThat(store.until.get(sent.payloadRef())).isEqualTo(NOW.plus(Duration.ofDays(20)).plus(RETENTION));

        clock = Clock.offset(clock, Duration.ofDays(1));
        OversizedPayloads.Kept parked = payloads().forWaiting(null, sent.payloadRef(), sent.providerLeadId());
        assertThat(parked).isEqualTo(new OversizedPayloads.Kept(null, sent.payloadRef()));
        assertThat(store.until.get(sent.payloadRef())).isEqualTo(NOW.plus(Duration.ofDays(21)).plus(RETENTION));
    }

    @Test
    void a_waiting_notice_keeps_a_small_payload_as_json_and_a_big_one_by_reference() throws Exception {
        JsonNode small = payloadOf(OversizedPayloads.MAX_INLINE_BYTES);
        OversizedPayloads.Kept inline = payloads().forWaiting(small, null, "TeSter-1");
        assertThat(inline.ref()).isNull();
        assertThat(JSON.readTree(inline.json())).isEqualTo(small);
        assertThat(inline.json().getBytes(StandardCharsets.UTF_8)).hasSize(OversizedPayloads.MAX_INLINE_BYTES);

        JsonNode big = payloadOf(OversizedPayloads.MAX_INLINE_BYTES + 1);
        OversizedPayloads.Kept aside = payloads().forWaiting(big, null, "TeSter-1");
        assertThat(aside.json()).isNull();
        assertThat(store.kept.get(aside.ref())).isEqualTo(JSON.writeValueAsBytes(big));

        assertThat(payloads().forWaiting(null, null, "TeSter-1")).isEqualTo(new OversizedPayloads.Kept(null, null));
    }

    @Test
    void a_reference_to_nothing_fails_instead_of_dropping_the_lead() {
        IngestMessage dangling = message(null).withPayloadRef(Sha256.hex("never kept"));
        // Queued all the same (the lead then fails in normalize, visibly), not refused here.
        assertThat(payloads().forQueue(dangling)).isEqualTo(dangling);

        assertThatThrownBy(() -> payloads().payload(dangling)).isInstanceOf(OversizedPayloads.MissingPayload.class)
                .hasMessageContaining("TeSter-1").hasMessageContaining(dangling.payloadRef()).hasMessageContaining("gone");
    }

    @Test
    void a_message_carries_its_payload_or_a_reference_not_both() {
        assertThatThrownBy(() -> new IngestMessage("acc_1", "con_1", ProviderType.GOOGLE_ADS, "1234567890",
                "TeSter-1", null, null, NOW, "webhook", NOW, payloadOf(100), Sha256.hex("x"), 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
        assertThat(message(payloadOf(100)).withPayloadRef("abc").payload()).isNull();
    }

    @Test
    void a_kept_payload_that_does_not_match_its_reference_is_refused() {
        IngestMessage sent = payloads().forQueue(message(payloadOf(300_000)));
        store.kept.put(sent.payloadRef(), "{\"lead_id\":\"someone else\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> payloads().payload(sent)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not match");
    }
}
