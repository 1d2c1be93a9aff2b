package com.leadsync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderCallException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    private static InputStream bytes(int n) {
        return new ByteArrayInputStream("x".repeat(n).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void an_answer_up_to_the_limit_is_read_whole_as_utf8() throws IOException {
        assertThat(BoundedBody.text(bytes(1024), 1024, "test call")).hasSize(1024);
        assertThat(BoundedBody.text(new ByteArrayInputStream("{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8)),
                100, "test call")).isEqualTo("{\"name\":\"Zoë\"}");
    }

    @Test
    void an_answer_over_the_limit_is_invalid_and_says_so() {
        assertThatThrownBy(() -> BoundedBody.text(bytes(1025), 1024, "Test API list leads"))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.getMessage()).isEqualTo(
                            "Test API list leads: the answer is larger than 1024 bytes, the limit for it");
                });
    }

    @Test
    void a_capped_stream_gives_its_bytes_up_to_the_limit_and_refuses_the_next() throws IOException {
        InputStream capped = BoundedBody.capped(bytes(3000), 2048, "Test file");
        assertThat(capped.readNBytes(2048)).hasSize(2048);

        assertThatThrownBy(capped::read).isInstanceOfSatisfying(ProviderCallException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
        assertThat(BoundedBody.capped(bytes(2048), 2048, "Test file").readAllBytes()).hasSize(2048);
    }
}
