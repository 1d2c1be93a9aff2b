package com.leadsync.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
    }
}
