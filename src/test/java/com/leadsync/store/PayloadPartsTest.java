package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How a document too big for one item is cut into gzipped parts and put together again (no emulator). */
class PayloadPartsTest {

    /** DynamoDB's item limit, less room for the part's key and counters. */
    private static final int ROOM_FOR_DATA = 400 * 1024 - 1024;

    private static byte[] incompressible(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    @Test
    void a_document_comes_back_byte_for_byte_from_its_parts() {
        for (int size : List.of(0, 1, 1000, PayloadParts.PART_BYTES - 1, PayloadParts.PART_BYTES,
                PayloadParts.PART_BYTES + 1, 3 * PayloadParts.PART_BYTES, 1024 * 1024 + 7)) {
            byte[] document = incompressible(size);
            assertThat(PayloadParts.join(PayloadParts.split(document))).as("%d bytes", size).isEqualTo(document);
        }
    }

    @Test
    void parts_are_cut_every_part_size_of_the_document_and_an_empty_one_is_one_part() {
        assertThat(PayloadParts.split(new byte[0])).hasSize(1);
        assertThat(PayloadParts.split(new byte[PayloadParts.PART_BYTES])).hasSize(1);
        assertThat(PayloadParts.split(new byte[PayloadParts.PART_BYTES + 1])).hasSize(2);
        assertThat(PayloadParts.split(incompressible(1024 * 1024))).hasSize(4);
    }

    @Test
    void even_an_incompressible_part_fits_in_one_item() {
        assertThat(PayloadParts.split(incompressible(1024 * 1024))).allSatisfy(part ->
                assertThat(part.length).isLessThan(ROOM_FOR_DATA));
    }

    @Test
    void parts_are_gzipped() {
        byte[] json = ("{\"answer\":\"" + "a long answer, ".repeat(40_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        List<byte[]> parts = PayloadParts.split(json);
        assertThat(parts).hasSize(2);
        assertThat(parts.stream().mapToInt(p -> p.length).sum()).isLessThan(json.length / 20);
        // gzip's magic number: each part is a gzip stream of its own, readable without the others.
        assertThat(parts).allSatisfy(p -> assertThat(new byte[] { p[0], p[1] })
                .isEqualTo(new byte[] { (byte) 0x1f, (byte) 0x8b }));
        assertThat(PayloadParts.join(parts.subList(0, 1))).isEqualTo(
                Arrays.copyOf(json, PayloadParts.PART_BYTES));
    }
}
