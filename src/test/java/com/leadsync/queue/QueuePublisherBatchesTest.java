package com.leadsync.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.leadsync.ingest.IngestMessage;
import com.leadsync.ingest.OversizedPayloads;
import com.leadsync.model.ProviderType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueuePublisherBatchesTest {

    private static String ofSize(int bytes) {
        return String.join("", Collections.nCopies(bytes, "x"));
    }

    @Test
    void small_messages_go_ten_to_a_batch() {
        List<List<String>> batches = QueuePublisher.batches(Collections.nCopies(25, "{}"));
        assertThat(batches).extracting(List::size).containsExactly(10, 10, 5);
    }

    @Test
    void a_batch_never_exceeds_the_sqs_size_limit() {
        List<List<String>> batches = QueuePublisher.batches(Collections.nCopies(7, ofSize(100_000)));
        assertThat(batches).extracting(List::size).containsExactly(2, 2, 2, 1);
        assertThat(batches).allSatisfy(b -> assertThat(b.stream().mapToInt(String::length).sum())
                .isLessThanOrEqualTo(QueuePublisher.MAX_BATCH_BYTES));
    }

    @Test
    void sizes_count_utf8_bytes_not_characters() {
        String wide = "é".repeat(70_000);
        assertThat(QueuePublisher.batches(List.of(wide, wide))).extracting(List::size).containsExactly(1, 1);
    }

    @Test
    void a_message_over_the_limit_is_refused_before_anything_is_sent() {
        assertThatThrownBy(() -> QueuePublisher.batches(List.of("{}", ofSize(QueuePublisher.MAX_BATCH_BYTES + 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds")
                .hasMessageContaining("travels by reference").hasMessageContaining("nothing was sent");
    }

    /** The spill threshold leaves room for the rest of the message, even with ids far longer than any platform's. */
    @Test
    void an_ingest_message_with_the_largest_inline_payload_fits_in_a_batch() throws Exception {
        ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        ObjectNode payload = json.createObjectNode().put("lead_id", "TeSter-1").put("answer", "");
        payload.put("answer", "x".repeat(OversizedPayloads.MAX_INLINE_BYTES - payload.toString().length()));
        String id = "9".repeat(200);
        Instant at = Instant.parse("2026-03-07T14:30:00.123456789Z");
        IngestMessage largest = new IngestMessage(id, id, ProviderType.LINKEDIN_ADS, id, id, id, id, at, "unrouted-drain",
                at, payload, null, 0, null);

        String body = json.writeValueAsString(largest);

        assertThat(json.writeValueAsBytes(payload)).hasSize(OversizedPayloads.MAX_INLINE_BYTES);
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(QueuePublisher.MAX_BATCH_BYTES);
        assertThat(QueuePublisher.batches(List.of(body, body))).extracting(List::size).containsExactly(1, 1);
    }
}
